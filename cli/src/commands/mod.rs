//! One module per command group; each function is one command.

pub mod fill;
pub mod outbox;
pub mod profiles;
pub mod recover;
pub mod sync;
