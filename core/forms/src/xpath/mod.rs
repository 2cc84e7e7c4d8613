//! XPath 1.0 with the ODK function set.
//!
//! An expression is compiled once when the form loads ([`XPath::compile`]: tokenise,
//! parse, check every function name and arity) and then evaluated against a [`Forest`]
//! whenever its inputs change. Compilation errors are typed and carry a position;
//! evaluation never panics and never touches the outside world except through the
//! caller's [`Environment`].

pub mod ast;
pub mod check;
pub mod deps;
pub mod eval;
pub mod functions;
pub mod lexer;
mod lookup;
pub mod parser;
pub mod value;

use crate::env::Environment;
use crate::instance::{Forest, NodeRef};
pub use ast::Expr;
pub use value::Value;

/// Why an expression could not be compiled or evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum XPathError {
    /// The text is not a valid XPath expression.
    #[error("syntax error at position {pos}: {message}")]
    Syntax {
        /// Byte offset of the problem.
        pos: usize,
        /// What was wrong.
        message: String,
    },
    /// A function the engine does not know.
    #[error("unknown function '{name}' at position {pos}")]
    UnknownFunction {
        /// The name as written.
        name: String,
        /// Byte offset of the call.
        pos: usize,
    },
    /// A known function called with the wrong number of arguments.
    #[error("function '{name}' at position {pos} takes {expected} argument(s), got {found}")]
    Arity {
        /// The function.
        name: String,
        /// Byte offset of the call.
        pos: usize,
        /// Human description of the accepted counts (`"2"`, `"1 or more"`).
        expected: String,
        /// Arguments given.
        found: usize,
    },
    /// A value of the wrong kind at run time (e.g. a path step on a number).
    #[error("evaluation error: {0}")]
    Eval(String),
}

/// A compiled expression: its source (for error messages) and its syntax tree.
#[derive(Debug, Clone, PartialEq)]
pub struct XPath {
    /// The expression as written in the form.
    pub source: String,
    /// The checked syntax tree.
    pub ast: Expr,
}

impl XPath {
    /// Parse and check an expression: syntax, function names and arities.
    pub fn compile(source: &str) -> Result<XPath, XPathError> {
        let ast = parser::parse(source)?;
        check::check(&ast)?;
        Ok(XPath {
            source: source.to_string(),
            ast,
        })
    }

    /// Evaluate with `context` as both the context node and `current()`.
    pub fn eval(&self, ctx: &EvalContext<'_>, context: NodeRef) -> Result<Value, XPathError> {
        eval::evaluate(&self.ast, ctx, context)
    }

    /// Evaluate and convert to a string.
    pub fn eval_string(
        &self,
        ctx: &EvalContext<'_>,
        context: NodeRef,
    ) -> Result<String, XPathError> {
        Ok(self.eval(ctx, context)?.to_string_value(ctx.forest))
    }

    /// Evaluate and convert to a boolean.
    pub fn eval_bool(&self, ctx: &EvalContext<'_>, context: NodeRef) -> Result<bool, XPathError> {
        Ok(self.eval(ctx, context)?.to_bool())
    }
}

/// Lookups the evaluator needs from the form, beyond the instance data.
pub trait FormLookup {
    /// The label of choice `value` of the select bound to `node`, in the current
    /// language (`jr:choice-name`).
    fn choice_label(&self, node: NodeRef, value: &str) -> Option<String>;

    /// Text `id` of the form's translations in the current language (`jr:itext(id)`
    /// inside an expression); `None` falls back to the id itself.
    fn itext(&self, _id: &str) -> Option<String> {
        None
    }
}

/// A lookup that knows no choices; for evaluating outside a form session.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoLookup;

impl FormLookup for NoLookup {
    fn choice_label(&self, _node: NodeRef, _value: &str) -> Option<String> {
        None
    }
}

/// Everything an evaluation reads: the data, the environment and the form's lookups.
#[derive(Clone, Copy)]
pub struct EvalContext<'a> {
    /// Primary and secondary instances.
    pub forest: &'a Forest,
    /// Time, randomness and device properties.
    pub env: &'a dyn Environment,
    /// Choice labels and other form-level lookups.
    pub lookup: &'a dyn FormLookup,
}

impl std::fmt::Debug for EvalContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EvalContext").finish_non_exhaustive()
    }
}
