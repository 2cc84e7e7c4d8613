//! XPath 1.0 recursive-descent parser.
//!
//! Turns the lexer's tokens into an [`Expr`]. Nesting depth is bounded so that a hostile
//! or broken form (`((((...`) is a syntax error rather than a stack overflow: this parser
//! must never panic.

use super::ast::{Axis, BinOp, Expr, NodeTest, Step};
use super::lexer::{tokenize, Spanned, Token};
use super::XPathError;

/// Sub-expressions nested deeper than this are refused; it protects the stack.
///
/// Measured 2026-12-02: the deepest expression in ODK's 141 fixture forms
/// (web-forms `packages/common/src/fixtures`, JavaRosa's resources included) nests 11
/// parentheses. At 128, a debug build on aarch64 (qemu) overflowed a 2 MiB test
/// thread before reaching the limit (each level is ~10 parser frames); at 64 it does
/// not, and a release build on aarch64 stays within a 512 KiB thread (an iOS
/// secondary thread's size) at either limit.
const MAX_DEPTH: usize = 64;

/// Parse a whole expression; trailing tokens are an error.
pub fn parse(src: &str) -> Result<Expr, XPathError> {
    let tokens = tokenize(src)?;
    let mut p = Parser {
        tokens,
        i: 0,
        depth: 0,
        end: src.len(),
    };
    if p.tokens.is_empty() {
        return Err(XPathError::Syntax {
            pos: 0,
            message: "empty expression".into(),
        });
    }
    let e = p.expr()?;
    if let Some(t) = p.tokens.get(p.i) {
        return Err(XPathError::Syntax {
            pos: t.pos,
            message: format!("unexpected {}", describe(&t.token)),
        });
    }
    Ok(e)
}

fn describe(t: &Token) -> String {
    match t {
        Token::Number(n) => format!("number {n}"),
        Token::Literal(s) => format!("string '{s}'"),
        Token::Name(n) | Token::Function(n) | Token::NodeType(n) => format!("name '{n}'"),
        Token::Axis(a) => format!("axis '{a}::'"),
        Token::Variable(v) => format!("variable '${v}'"),
        other => format!("'{}'", symbol(other)),
    }
}

fn symbol(t: &Token) -> &'static str {
    match t {
        Token::Slash => "/",
        Token::DoubleSlash => "//",
        Token::LParen => "(",
        Token::RParen => ")",
        Token::LBracket => "[",
        Token::RBracket => "]",
        Token::Dot => ".",
        Token::DotDot => "..",
        Token::At => "@",
        Token::Comma => ",",
        Token::Pipe => "|",
        Token::Plus => "+",
        Token::Minus => "-",
        Token::Eq => "=",
        Token::Neq => "!=",
        Token::Lt => "<",
        Token::Lte => "<=",
        Token::Gt => ">",
        Token::Gte => ">=",
        Token::Star => "*",
        Token::And => "and",
        Token::Or => "or",
        Token::Div => "div",
        Token::Mod => "mod",
        _ => "token",
    }
}

struct Parser {
    tokens: Vec<Spanned>,
    i: usize,
    depth: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.i).map(|t| &t.token)
    }

    fn pos(&self) -> usize {
        self.tokens.get(self.i).map(|t| t.pos).unwrap_or(self.end)
    }

    fn err<T>(&self, message: impl Into<String>) -> Result<T, XPathError> {
        Err(XPathError::Syntax {
            pos: self.pos(),
            message: message.into(),
        })
    }

    fn eat(&mut self, t: &Token) -> bool {
        if self.peek() == Some(t) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, t: &Token) -> Result<(), XPathError> {
        if self.eat(t) {
            Ok(())
        } else {
            match self.peek() {
                Some(found) => {
                    let found = describe(found);
                    self.err(format!("expected '{}', found {found}", symbol(t)))
                }
                None => self.err(format!("expected '{}' at end of expression", symbol(t))),
            }
        }
    }

    fn enter(&mut self) -> Result<(), XPathError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.err("expression nested too deeply");
        }
        Ok(())
    }

    fn expr(&mut self) -> Result<Expr, XPathError> {
        self.enter()?;
        let r = self.or_expr();
        self.depth -= 1;
        r
    }

    fn binary_level(
        &mut self,
        ops: &[(Token, BinOp)],
        next: fn(&mut Self) -> Result<Expr, XPathError>,
    ) -> Result<Expr, XPathError> {
        let mut left = next(self)?;
        'outer: loop {
            for (tok, op) in ops {
                if self.eat(tok) {
                    let right = next(self)?;
                    left = Expr::Binary(*op, Box::new(left), Box::new(right));
                    continue 'outer;
                }
            }
            return Ok(left);
        }
    }

    fn or_expr(&mut self) -> Result<Expr, XPathError> {
        self.binary_level(&[(Token::Or, BinOp::Or)], Self::and_expr)
    }

    fn and_expr(&mut self) -> Result<Expr, XPathError> {
        self.binary_level(&[(Token::And, BinOp::And)], Self::equality_expr)
    }

    fn equality_expr(&mut self) -> Result<Expr, XPathError> {
        self.binary_level(
            &[(Token::Eq, BinOp::Eq), (Token::Neq, BinOp::Neq)],
            Self::relational_expr,
        )
    }

    fn relational_expr(&mut self) -> Result<Expr, XPathError> {
        self.binary_level(
            &[
                (Token::Lte, BinOp::Lte),
                (Token::Gte, BinOp::Gte),
                (Token::Lt, BinOp::Lt),
                (Token::Gt, BinOp::Gt),
            ],
            Self::additive_expr,
        )
    }

    fn additive_expr(&mut self) -> Result<Expr, XPathError> {
        self.binary_level(
            &[(Token::Plus, BinOp::Add), (Token::Minus, BinOp::Sub)],
            Self::multiplicative_expr,
        )
    }

    fn multiplicative_expr(&mut self) -> Result<Expr, XPathError> {
        self.binary_level(
            &[
                (Token::Star, BinOp::Mul),
                (Token::Div, BinOp::Div),
                (Token::Mod, BinOp::Mod),
            ],
            Self::unary_expr,
        )
    }

    fn unary_expr(&mut self) -> Result<Expr, XPathError> {
        if self.eat(&Token::Minus) {
            self.enter()?;
            let inner = self.unary_expr();
            self.depth -= 1;
            return Ok(Expr::Neg(Box::new(inner?)));
        }
        self.union_expr()
    }

    fn union_expr(&mut self) -> Result<Expr, XPathError> {
        let mut left = self.path_expr()?;
        while self.eat(&Token::Pipe) {
            let right = self.path_expr()?;
            left = Expr::Union(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn path_expr(&mut self) -> Result<Expr, XPathError> {
        match self.peek() {
            Some(
                Token::Number(_)
                | Token::Literal(_)
                | Token::Function(_)
                | Token::Variable(_)
                | Token::LParen,
            ) => {
                let base = self.primary_expr()?;
                let predicates = self.predicates()?;
                let mut steps = Vec::new();
                loop {
                    if self.eat(&Token::Slash) {
                        steps.push(self.step()?);
                    } else if self.eat(&Token::DoubleSlash) {
                        steps.push(descendant_or_self());
                        steps.push(self.step()?);
                    } else {
                        break;
                    }
                }
                if predicates.is_empty() && steps.is_empty() {
                    Ok(base)
                } else {
                    Ok(Expr::Filter {
                        base: Box::new(base),
                        predicates,
                        steps,
                    })
                }
            }
            _ => self.location_path(),
        }
    }

    fn primary_expr(&mut self) -> Result<Expr, XPathError> {
        let pos = self.pos();
        match self.peek().cloned() {
            Some(Token::Number(n)) => {
                self.i += 1;
                Ok(Expr::Number(n))
            }
            Some(Token::Literal(s)) => {
                self.i += 1;
                Ok(Expr::Literal(s))
            }
            Some(Token::Variable(v)) => {
                self.i += 1;
                Ok(Expr::Variable(v))
            }
            Some(Token::LParen) => {
                self.i += 1;
                let e = self.expr()?;
                self.expect(&Token::RParen)?;
                Ok(e)
            }
            Some(Token::Function(name)) => {
                self.i += 1;
                self.expect(&Token::LParen)?;
                let mut args = Vec::new();
                if !self.eat(&Token::RParen) {
                    loop {
                        args.push(self.expr()?);
                        if self.eat(&Token::Comma) {
                            continue;
                        }
                        self.expect(&Token::RParen)?;
                        break;
                    }
                }
                Ok(Expr::Call { name, args, pos })
            }
            _ => self.err("expected an expression"),
        }
    }

    fn predicates(&mut self) -> Result<Vec<Expr>, XPathError> {
        let mut preds = Vec::new();
        while self.eat(&Token::LBracket) {
            preds.push(self.expr()?);
            self.expect(&Token::RBracket)?;
        }
        Ok(preds)
    }

    fn location_path(&mut self) -> Result<Expr, XPathError> {
        let mut steps = Vec::new();
        let absolute;
        if self.eat(&Token::Slash) {
            absolute = true;
            if self.starts_step() {
                steps.push(self.step()?);
            } else {
                return Ok(Expr::Path { absolute, steps });
            }
        } else if self.eat(&Token::DoubleSlash) {
            absolute = true;
            steps.push(descendant_or_self());
            steps.push(self.step()?);
        } else {
            absolute = false;
            if !self.starts_step() {
                return match self.peek() {
                    Some(t) => {
                        let d = describe(t);
                        self.err(format!("unexpected {d}"))
                    }
                    None => self.err("unexpected end of expression"),
                };
            }
            steps.push(self.step()?);
        }
        loop {
            if self.eat(&Token::Slash) {
                steps.push(self.step()?);
            } else if self.eat(&Token::DoubleSlash) {
                steps.push(descendant_or_self());
                steps.push(self.step()?);
            } else {
                break;
            }
        }
        Ok(Expr::Path { absolute, steps })
    }

    fn starts_step(&self) -> bool {
        matches!(
            self.peek(),
            Some(
                Token::Name(_)
                    | Token::NodeType(_)
                    | Token::Axis(_)
                    | Token::At
                    | Token::Dot
                    | Token::DotDot
            )
        )
    }

    fn step(&mut self) -> Result<Step, XPathError> {
        if self.eat(&Token::Dot) {
            return Ok(Step {
                axis: Axis::SelfAxis,
                test: NodeTest::Node,
                predicates: self.predicates()?,
            });
        }
        if self.eat(&Token::DotDot) {
            return Ok(Step {
                axis: Axis::Parent,
                test: NodeTest::Node,
                predicates: self.predicates()?,
            });
        }
        let axis = if self.eat(&Token::At) {
            Axis::Attribute
        } else if let Some(Token::Axis(name)) = self.peek().cloned() {
            match Axis::from_name(&name) {
                Some(a) => {
                    self.i += 1;
                    a
                }
                None => return self.err(format!("unknown axis '{name}'")),
            }
        } else {
            Axis::Child
        };
        let test = match self.peek().cloned() {
            Some(Token::Name(n)) => {
                self.i += 1;
                if n == "*" {
                    NodeTest::Any
                } else if let Some(prefix) = n.strip_suffix(":*") {
                    NodeTest::AnyInPrefix(prefix.to_string())
                } else {
                    NodeTest::Name(n)
                }
            }
            Some(Token::NodeType(t)) => {
                self.i += 1;
                self.expect(&Token::LParen)?;
                if t == "processing-instruction" {
                    if let Some(Token::Literal(_)) = self.peek() {
                        self.i += 1;
                    }
                }
                self.expect(&Token::RParen)?;
                match t.as_str() {
                    "node" => NodeTest::Node,
                    "text" => NodeTest::Text,
                    _ => NodeTest::Never,
                }
            }
            _ => return self.err("expected a node test"),
        };
        Ok(Step {
            axis,
            test,
            predicates: self.predicates()?,
        })
    }
}

fn descendant_or_self() -> Step {
    Step {
        axis: Axis::DescendantOrSelf,
        test: NodeTest::Node,
        predicates: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Expr {
        parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn precedence() {
        let e = p("1 + 2 * 3 = 7 and true()");
        match e {
            Expr::Binary(BinOp::And, l, _) => match *l {
                Expr::Binary(BinOp::Eq, l2, _) => {
                    assert!(matches!(*l2, Expr::Binary(BinOp::Add, _, _)))
                }
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn paths() {
        assert_eq!(
            p("/data/a"),
            Expr::Path {
                absolute: true,
                steps: vec![
                    Step {
                        axis: Axis::Child,
                        test: NodeTest::Name("data".into()),
                        predicates: vec![]
                    },
                    Step {
                        axis: Axis::Child,
                        test: NodeTest::Name("a".into()),
                        predicates: vec![]
                    }
                ]
            }
        );
        assert!(matches!(p("../a"), Expr::Path { absolute: false, ref steps } if steps.len() == 2));
        assert!(matches!(p("/"), Expr::Path { absolute: true, ref steps } if steps.is_empty()));
        assert!(matches!(p("//a"), Expr::Path { absolute: true, ref steps } if steps.len() == 2));
        match p("instance('c')/root/item[name = current()/../p]") {
            Expr::Filter { steps, .. } => {
                assert_eq!(steps.len(), 2);
                assert_eq!(steps[1].predicates.len(), 1);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn syntax_errors_have_positions() {
        for (src, pos) in [
            ("1 +", 3),
            ("(1", 2),
            ("a[", 2),
            ("", 0),
            ("f(1,)", 4),
            ("1 2", 2),
        ] {
            match parse(src) {
                Err(XPathError::Syntax { pos: got, .. }) => assert_eq!(got, pos, "{src}"),
                other => panic!("{src}: {other:?}"),
            }
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let src = "(".repeat(10_000) + "1" + &")".repeat(10_000);
        assert!(parse(&src).is_err());
        let src = "-".repeat(10_000) + "1";
        assert!(parse(&src).is_err());
    }
}
