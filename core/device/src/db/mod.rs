//! SQLite plumbing: opening connections, the schema and its migrations.

mod connection;
pub(crate) mod schema;

pub(crate) use connection::{open_reader, open_writer};
