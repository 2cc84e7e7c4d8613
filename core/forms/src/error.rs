//! Errors of loading a form and of working with a session.
//!
//! Load errors name the bind or control and the expression at fault, so an agency can
//! fix its XLSForm; they never contain answers (no personal data in messages).

use crate::xpath::XPathError;

/// Why a form could not be loaded. Every variant names where the problem is.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LoadError {
    /// The file is not well-formed XML (or uses a DTD, which is refused).
    #[error("malformed XML: {0}")]
    Xml(String),
    /// A required part of an XForm is missing or misplaced.
    #[error("invalid form structure: {0}")]
    Structure(String),
    /// An expression of a bind does not compile.
    #[error("bind '{bind}', attribute '{attribute}': expression '{expression}': {source}")]
    BindExpression {
        /// The bind's nodeset.
        bind: String,
        /// Which attribute (`relevant`, `calculate`, ...).
        attribute: String,
        /// The expression as written.
        expression: String,
        /// What is wrong with it.
        source: Box<XPathError>,
    },
    /// An expression in the body (itemset, output, repeat count) does not compile.
    #[error("'{location}': expression '{expression}': {source}")]
    BodyExpression {
        /// The control, itemset or text id that holds it.
        location: String,
        /// The expression as written.
        expression: String,
        /// What is wrong with it.
        source: Box<XPathError>,
    },
    /// A bind or control refers to a node the primary instance does not have.
    #[error("'{0}' does not exist in the primary instance")]
    UnknownNode(String),
    /// A form attachment that an external instance reads is malformed.
    #[error("attachment '{name}': {reason}")]
    Attachment {
        /// The file name.
        name: String,
        /// What is wrong with it (never its content).
        reason: String,
    },
    /// Calculations depend on each other in a loop.
    #[error("dependency cycle between: {}", .nodes.join(" -> "))]
    Cycle {
        /// The nodes in the cycle, in order.
        nodes: Vec<String>,
    },
}

/// Why a session operation was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SessionError {
    /// The path is malformed or names no node of the form.
    #[error("no question at '{0}'")]
    UnknownPath(String),
    /// The node is calculated or read-only: it cannot be answered.
    #[error("'{0}' is read-only")]
    ReadOnly(String),
    /// The value does not fit the question's type.
    #[error("'{path}': {reason}")]
    InvalidValue {
        /// The question.
        path: String,
        /// Why (no value echoed back).
        reason: String,
    },
    /// The repeat does not allow adding or removing, or the index is out of range.
    #[error("repeat '{0}' cannot be changed that way")]
    Repeat(String),
    /// An expression failed while recomputing (e.g. a bad regex in a constraint).
    #[error("bind '{bind}': expression '{expression}': {source}")]
    Expression {
        /// The bind's nodeset.
        bind: String,
        /// The expression as written.
        expression: String,
        /// What went wrong.
        source: XPathError,
    },
    /// Answers are missing or invalid (finalize, or leaving a page).
    #[error("{} unresolved validation issue(s)", .0.len())]
    Invalid(Vec<crate::session::ValidationIssue>),
    /// A submitted instance could not be read (server-side validation).
    #[error("submission is not a readable instance: {0}")]
    Submission(String),
}
