#![doc = include_str!("../README.md")]
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod datetime;
pub mod env;
pub mod error;
pub mod external;
pub mod form;
pub mod graph;
pub mod instance;
pub mod session;
pub mod xform;
pub mod xpath;

pub use env::{Environment, FixedEnvironment, Timestamp};
pub use error::{LoadError, SessionError};
pub use external::{Attachments, LoadWarning, NoAttachments};
pub use form::Form;
pub use session::{
    ChoiceView, ExpressionFailure, FormSession, IssueKind, MediaRef, NodeSnapshot, Page, Question,
    SessionStart, Submission, ValidationIssue,
};

#[cfg(test)]
mod tests {
    fn assert_send_sync<T: Send + Sync>() {}

    /// The FFI shares a loaded form between sessions and moves sessions across threads.
    #[test]
    fn forms_and_sessions_are_send_and_sync() {
        assert_send_sync::<crate::Form>();
        assert_send_sync::<crate::FormSession>();
    }
}
