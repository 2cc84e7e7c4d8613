//! The XPath abstract syntax tree.
//!
//! Parsed once when a form loads and evaluated many times, so it keeps only what the
//! evaluator needs: no source text, no tokens.

/// A binary operator, in XPath 1.0 terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `or`
    Or,
    /// `and`
    And,
    /// `=`
    Eq,
    /// `!=`
    Neq,
    /// `<`
    Lt,
    /// `<=`
    Lte,
    /// `>`
    Gt,
    /// `>=`
    Gte,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `div`
    Div,
    /// `mod`
    Mod,
}

/// The axes of XPath 1.0 (the namespace axis is not supported by ODK either).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    /// `child::`, the default axis.
    Child,
    /// `descendant::`
    Descendant,
    /// `descendant-or-self::`, what `//` abbreviates.
    DescendantOrSelf,
    /// `parent::`, what `..` abbreviates.
    Parent,
    /// `ancestor::`
    Ancestor,
    /// `ancestor-or-self::`
    AncestorOrSelf,
    /// `following-sibling::`
    FollowingSibling,
    /// `preceding-sibling::`
    PrecedingSibling,
    /// `following::`
    Following,
    /// `preceding::`
    Preceding,
    /// `attribute::`, what `@` abbreviates.
    Attribute,
    /// `self::`, what `.` abbreviates.
    SelfAxis,
}

impl Axis {
    /// Map an axis name as written in an expression.
    pub fn from_name(name: &str) -> Option<Axis> {
        Some(match name {
            "child" => Axis::Child,
            "descendant" => Axis::Descendant,
            "descendant-or-self" => Axis::DescendantOrSelf,
            "parent" => Axis::Parent,
            "ancestor" => Axis::Ancestor,
            "ancestor-or-self" => Axis::AncestorOrSelf,
            "following-sibling" => Axis::FollowingSibling,
            "preceding-sibling" => Axis::PrecedingSibling,
            "following" => Axis::Following,
            "preceding" => Axis::Preceding,
            "attribute" => Axis::Attribute,
            "self" => Axis::SelfAxis,
            _ => return None,
        })
    }

    /// Whether the axis yields nodes in reverse document order (for `position()`).
    pub fn is_reverse(self) -> bool {
        matches!(
            self,
            Axis::Parent
                | Axis::Ancestor
                | Axis::AncestorOrSelf
                | Axis::PrecedingSibling
                | Axis::Preceding
        )
    }
}

/// What a step's nodes must be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeTest {
    /// A name, possibly prefixed (`orx:meta`), compared as written.
    Name(String),
    /// `*`
    Any,
    /// `prefix:*`
    AnyInPrefix(String),
    /// `node()`
    Node,
    /// `text()`
    Text,
    /// `comment()` and `processing-instruction()`: never match an instance node.
    Never,
}

/// One location step: axis, node test and predicates.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The axis.
    pub axis: Axis,
    /// The node test.
    pub test: NodeTest,
    /// Predicates, applied in order.
    pub predicates: Vec<Expr>,
}

/// An XPath expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A number literal.
    Number(f64),
    /// A string literal.
    Literal(String),
    /// `$name`: ODK has no variables, so evaluation reports it as an error.
    Variable(String),
    /// A binary operation.
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// Unary minus.
    Neg(Box<Expr>),
    /// `a | b`
    Union(Box<Expr>, Box<Expr>),
    /// A function call; `pos` is the byte offset of the name, for error messages.
    Call {
        /// Function name as written (e.g. `jr:choice-name`).
        name: String,
        /// Arguments.
        args: Vec<Expr>,
        /// Byte offset of the name in the source.
        pos: usize,
    },
    /// A location path.
    Path {
        /// Starts at the root (`/...`).
        absolute: bool,
        /// The steps.
        steps: Vec<Step>,
    },
    /// A filter expression `primary[pred]...` optionally followed by `/steps`.
    Filter {
        /// The primary expression.
        base: Box<Expr>,
        /// Predicates applied to the primary's node-set.
        predicates: Vec<Expr>,
        /// Steps after the filter (`instance('x')/root/item`).
        steps: Vec<Step>,
    },
}
