//! Display text of labels, hints and messages: plain text with `<output/>` values, or a
//! reference into the itext translations. Resolved per language by the session.

use crate::error::LoadError;
use crate::xpath::ast::Expr;
use crate::xpath::XPath;

/// One piece of a display text.
#[derive(Debug, Clone)]
pub enum TextPart {
    /// Literal text.
    Literal(String),
    /// `<output value="..."/>`: an expression shown inline.
    Output(XPath),
}

/// A label, hint or message as the form declares it.
#[derive(Debug, Clone)]
pub enum Text {
    /// Inline text (may contain outputs).
    Plain(Vec<TextPart>),
    /// `jr:itext('id')`: looked up in the current language.
    Itext(String),
    /// `jr:itext(expr)`: the id is computed per item (itemset labels).
    ItextDynamic(XPath),
}

/// Read a `<label>`/`<hint>` element: `ref="jr:itext('id')"` or mixed content.
pub fn parse_text_element(el: roxmltree::Node<'_, '_>, location: &str) -> Result<Text, LoadError> {
    if let Some(r) = el.attribute("ref") {
        return parse_ref(r, location);
    }
    Ok(Text::Plain(parse_mixed(el, location)?))
}

/// Parse the `ref` of a text: `jr:itext('id')`, `jr:itext(path)`, or a plain path.
pub fn parse_ref(r: &str, location: &str) -> Result<Text, LoadError> {
    let x = compile(r, location)?;
    if let Expr::Call { name, args, .. } = &x.ast {
        if name == "jr:itext" {
            if let Some(Expr::Literal(id)) = args.first() {
                return Ok(Text::Itext(id.clone()));
            }
            if let Some(arg) = args.first() {
                return Ok(Text::ItextDynamic(XPath {
                    source: r.to_string(),
                    ast: arg.clone(),
                }));
            }
        }
    }
    Ok(Text::Plain(vec![TextPart::Output(x)]))
}

/// A message attribute such as `jr:constraintMsg`: an itext reference or literal text.
pub fn parse_message(s: &str, location: &str) -> Result<Text, LoadError> {
    let t = s.trim();
    if t.starts_with("jr:itext(") {
        return parse_ref(t, location);
    }
    Ok(Text::Plain(vec![TextPart::Literal(s.to_string())]))
}

/// Mixed content: text nodes and `<output value|ref="..."/>` children, in order.
pub fn parse_mixed(
    el: roxmltree::Node<'_, '_>,
    location: &str,
) -> Result<Vec<TextPart>, LoadError> {
    let mut parts = mixed_parts(el, location)?;
    // Trim the outer whitespace of the whole text, as ODK shows it; whitespace next
    // to inline outputs and inside markup is kept.
    if let Some(TextPart::Literal(first)) = parts.first_mut() {
        *first = first.trim_start().to_string();
    }
    if let Some(TextPart::Literal(last)) = parts.last_mut() {
        *last = last.trim_end().to_string();
    }
    Ok(parts)
}

fn mixed_parts(el: roxmltree::Node<'_, '_>, location: &str) -> Result<Vec<TextPart>, LoadError> {
    let mut parts = Vec::new();
    for c in el.children() {
        if c.is_text() {
            if let Some(t) = c.text() {
                parts.push(TextPart::Literal(t.to_string()));
            }
        } else if c.is_element() && c.tag_name().name() == "output" {
            if let Some(v) = c.attribute("value").or_else(|| c.attribute("ref")) {
                parts.push(TextPart::Output(compile(v, location)?));
            }
        } else if c.is_element() {
            // Markup such as <span> inside labels: keep its text.
            parts.extend(mixed_parts(c, location)?);
        }
    }
    Ok(parts)
}

fn compile(src: &str, location: &str) -> Result<XPath, LoadError> {
    XPath::compile(src).map_err(|source| LoadError::BodyExpression {
        location: location.to_string(),
        expression: src.to_string(),
        source: Box::new(source),
    })
}
