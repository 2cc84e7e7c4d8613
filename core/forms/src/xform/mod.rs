//! XForm definitions: parsing the XML into an immutable, checked form.

pub mod body;
pub mod itext;
pub mod model;
pub mod parse;
pub mod text;
