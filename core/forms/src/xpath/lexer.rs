//! XPath 1.0 tokeniser.
//!
//! Splits an expression into tokens with their byte offsets so that a syntax error can
//! say where it is. It applies the XPath 1.0 disambiguation rules (section 3.7): `*` and
//! the names `and`, `or`, `div`, `mod` are operators only when a preceding token exists
//! that is not itself an operator or an opening token. It must never panic, whatever the
//! input: form files come from outside the app.

use super::XPathError;

/// One lexical token; kept small so a token stream of a long expression stays cheap.
#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    /// A numeric literal such as `12` or `.5`.
    Number(f64),
    /// A string literal, without its quotes.
    Literal(String),
    /// A (possibly prefixed) name test, e.g. `name`, `jr:choice-name`, `*`, `orx:*`.
    Name(String),
    /// A name immediately followed by `(` that is not a node type: a function call.
    Function(String),
    /// A node type test keyword followed by `(`: `node`, `text`, `comment`, ...
    NodeType(String),
    /// An axis name followed by `::`.
    Axis(String),
    /// `$name`.
    Variable(String),
    /// `/`
    Slash,
    /// `//`
    DoubleSlash,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `.`
    Dot,
    /// `..`
    DotDot,
    /// `@`
    At,
    /// `,`
    Comma,
    /// `|`
    Pipe,
    /// `+`
    Plus,
    /// `-`
    Minus,
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
    /// `*` as multiplication.
    Star,
    /// `and`
    And,
    /// `or`
    Or,
    /// `div`
    Div,
    /// `mod`
    Mod,
}

/// A token and the byte offset where it starts in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned {
    /// The token.
    pub token: Token,
    /// Byte offset of its first character.
    pub pos: usize,
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-' || c == '.'
}

/// Whether the previous token allows the next `*` or name to be read as an operator.
fn prev_allows_operator(prev: Option<&Token>) -> bool {
    match prev {
        None => false,
        Some(t) => !matches!(
            t,
            Token::At
                | Token::Axis(_)
                | Token::LParen
                | Token::LBracket
                | Token::Comma
                | Token::Slash
                | Token::DoubleSlash
                | Token::Pipe
                | Token::Plus
                | Token::Minus
                | Token::Eq
                | Token::Neq
                | Token::Lt
                | Token::Lte
                | Token::Gt
                | Token::Gte
                | Token::Star
                | Token::And
                | Token::Or
                | Token::Div
                | Token::Mod
        ),
    }
}

const NODE_TYPES: [&str; 4] = ["node", "text", "comment", "processing-instruction"];

/// Tokenise `src`; an unexpected character or an unterminated literal is an error with
/// its position.
pub fn tokenize(src: &str) -> Result<Vec<Spanned>, XPathError> {
    let chars: Vec<(usize, char)> = src.char_indices().collect();
    let mut out: Vec<Spanned> = Vec::new();
    let mut i = 0;
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let pos_of = |i: usize| chars.get(i).map(|&(p, _)| p).unwrap_or(src.len());
    while i < chars.len() {
        let (pos, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let prev = out.last().map(|s| &s.token);
        let token = match c {
            '(' => {
                i += 1;
                Token::LParen
            }
            ')' => {
                i += 1;
                Token::RParen
            }
            '[' => {
                i += 1;
                Token::LBracket
            }
            ']' => {
                i += 1;
                Token::RBracket
            }
            '@' => {
                i += 1;
                Token::At
            }
            ',' => {
                i += 1;
                Token::Comma
            }
            '|' => {
                i += 1;
                Token::Pipe
            }
            '+' => {
                i += 1;
                Token::Plus
            }
            '-' => {
                i += 1;
                Token::Minus
            }
            '=' => {
                i += 1;
                Token::Eq
            }
            '!' => {
                if at(i + 1) == Some('=') {
                    i += 2;
                    Token::Neq
                } else {
                    return Err(XPathError::Syntax {
                        pos,
                        message: "expected '=' after '!'".into(),
                    });
                }
            }
            '<' => {
                if at(i + 1) == Some('=') {
                    i += 2;
                    Token::Lte
                } else {
                    i += 1;
                    Token::Lt
                }
            }
            '>' => {
                if at(i + 1) == Some('=') {
                    i += 2;
                    Token::Gte
                } else {
                    i += 1;
                    Token::Gt
                }
            }
            '/' => {
                if at(i + 1) == Some('/') {
                    i += 2;
                    Token::DoubleSlash
                } else {
                    i += 1;
                    Token::Slash
                }
            }
            '*' => {
                i += 1;
                if prev_allows_operator(prev) {
                    Token::Star
                } else {
                    Token::Name("*".into())
                }
            }
            '"' | '\'' => {
                let quote = c;
                let start = i + 1;
                let mut j = start;
                while j < chars.len() && chars[j].1 != quote {
                    j += 1;
                }
                if j >= chars.len() {
                    return Err(XPathError::Syntax {
                        pos,
                        message: "unterminated string literal".into(),
                    });
                }
                let text = &src[pos_of(start)..pos_of(j)];
                i = j + 1;
                Token::Literal(text.to_string())
            }
            '.' if at(i + 1) == Some('.') => {
                i += 2;
                Token::DotDot
            }
            '.' if !at(i + 1).is_some_and(|d| d.is_ascii_digit()) => {
                i += 1;
                Token::Dot
            }
            '0'..='9' | '.' => {
                let start = i;
                while at(i).is_some_and(|d| d.is_ascii_digit()) {
                    i += 1;
                }
                if at(i) == Some('.') {
                    i += 1;
                    while at(i).is_some_and(|d| d.is_ascii_digit()) {
                        i += 1;
                    }
                }
                let text = &src[pos_of(start)..pos_of(i)];
                let n = text.parse::<f64>().map_err(|_| XPathError::Syntax {
                    pos,
                    message: format!("invalid number '{text}'"),
                })?;
                Token::Number(n)
            }
            '$' => {
                i += 1;
                let start = i;
                if !at(i).is_some_and(is_name_start) {
                    return Err(XPathError::Syntax {
                        pos,
                        message: "expected a variable name after '$'".into(),
                    });
                }
                while at(i).is_some_and(|c| is_name_char(c) || c == ':') {
                    i += 1;
                }
                Token::Variable(src[pos_of(start)..pos_of(i)].to_string())
            }
            c if is_name_start(c) => {
                let start = i;
                while at(i).is_some_and(is_name_char) {
                    i += 1;
                }
                // A prefix: `jr:choice-name`, `orx:*` (but not the axis separator `::`).
                if at(i) == Some(':') && at(i + 1) != Some(':') {
                    if at(i + 1).is_some_and(is_name_start) {
                        i += 1;
                        while at(i).is_some_and(is_name_char) {
                            i += 1;
                        }
                    } else if at(i + 1) == Some('*') {
                        i += 2;
                    }
                }
                let name = src[pos_of(start)..pos_of(i)].to_string();
                if prev_allows_operator(prev) {
                    let op = match name.as_str() {
                        "and" => Some(Token::And),
                        "or" => Some(Token::Or),
                        "div" => Some(Token::Div),
                        "mod" => Some(Token::Mod),
                        _ => None,
                    };
                    if let Some(op) = op {
                        out.push(Spanned { token: op, pos });
                        continue;
                    }
                }
                // Look ahead past whitespace for `(` or `::`.
                let mut k = i;
                while at(k).is_some_and(char::is_whitespace) {
                    k += 1;
                }
                if at(k) == Some(':') && at(k + 1) == Some(':') {
                    i = k + 2;
                    Token::Axis(name)
                } else if at(k) == Some('(') {
                    if NODE_TYPES.contains(&name.as_str()) {
                        Token::NodeType(name)
                    } else {
                        Token::Function(name)
                    }
                } else {
                    Token::Name(name)
                }
            }
            other => {
                return Err(XPathError::Syntax {
                    pos,
                    message: format!("unexpected character '{other}'"),
                })
            }
        };
        out.push(Spanned { token, pos });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Token> {
        tokenize(s)
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(|t| t.token)
            .collect()
    }

    #[test]
    fn star_and_names_are_disambiguated() {
        assert_eq!(
            toks("a * b"),
            vec![
                Token::Name("a".into()),
                Token::Star,
                Token::Name("b".into())
            ]
        );
        assert_eq!(
            toks("/data/*"),
            vec![
                Token::Slash,
                Token::Name("data".into()),
                Token::Slash,
                Token::Name("*".into())
            ]
        );
        assert_eq!(
            toks("div div div"),
            vec![
                Token::Name("div".into()),
                Token::Div,
                Token::Name("div".into())
            ]
        );
    }

    #[test]
    fn prefixed_function_and_axis() {
        assert_eq!(
            toks("jr:choice-name(., 'x')"),
            vec![
                Token::Function("jr:choice-name".into()),
                Token::LParen,
                Token::Dot,
                Token::Comma,
                Token::Literal("x".into()),
                Token::RParen
            ]
        );
        assert_eq!(
            toks("ancestor::node()"),
            vec![
                Token::Axis("ancestor".into()),
                Token::NodeType("node".into()),
                Token::LParen,
                Token::RParen
            ]
        );
    }

    #[test]
    fn numbers_and_dots() {
        assert_eq!(
            toks(".5 + ../a"),
            vec![
                Token::Number(0.5),
                Token::Plus,
                Token::DotDot,
                Token::Slash,
                Token::Name("a".into())
            ]
        );
        assert_eq!(toks("12.25"), vec![Token::Number(12.25)]);
    }

    #[test]
    fn errors_have_positions() {
        match tokenize("1 + 'abc") {
            Err(XPathError::Syntax { pos, .. }) => assert_eq!(pos, 4),
            other => panic!("unexpected {other:?}"),
        }
        match tokenize("a # b") {
            Err(XPathError::Syntax { pos, .. }) => assert_eq!(pos, 2),
            other => panic!("unexpected {other:?}"),
        }
    }
}
