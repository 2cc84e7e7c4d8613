//! The body: which questions exist, how they are grouped, labelled and offered.
//!
//! References are resolved to absolute generic paths here (body refs may be relative to
//! the enclosing group or repeat, or name a bind by id), so the session never has to.

use std::collections::HashMap;

use super::model::{SetValue, SetValueEvent};
use super::text::{parse_ref, parse_text_element, Text};
use crate::error::LoadError;
use crate::xpath::XPath;

/// The kind of a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlKind {
    /// `<input>`: text, number, date, geo, barcode... depending on the bind type.
    Input,
    /// `<select1>`: one choice.
    Select1,
    /// `<select>`: several choices.
    Select,
    /// `<odk:rank>`: order the choices.
    Rank,
    /// `<upload>`: image, audio, video or file; `mediatype` says which.
    Upload,
    /// `<trigger>`: an acknowledgement (`OK`).
    Trigger,
    /// `<range>`: a number on a slider.
    Range,
}

impl ControlKind {
    /// The lower-case name shown to shells.
    pub fn name(self) -> &'static str {
        match self {
            ControlKind::Input => "input",
            ControlKind::Select1 => "select1",
            ControlKind::Select => "select",
            ControlKind::Rank => "rank",
            ControlKind::Upload => "upload",
            ControlKind::Trigger => "trigger",
            ControlKind::Range => "range",
        }
    }
}

/// One static choice.
#[derive(Debug, Clone)]
pub struct Choice {
    /// The value stored in the answer.
    pub value: String,
    /// Its label.
    pub label: Text,
}

/// Choices drawn from an instance, filtered by the itemset's predicate
/// (XLSForm `choice_filter`).
#[derive(Debug, Clone)]
pub struct Itemset {
    /// The item nodes (`instance('x')/root/item[...]`).
    pub nodeset: XPath,
    /// The value relative to an item (`name`).
    pub value: XPath,
    /// The label relative to an item (`label` or `jr:itext(itextId)`).
    pub label: Text,
}

/// Where a select's choices come from.
#[derive(Debug, Clone)]
pub enum Choices {
    /// Not a select.
    None,
    /// `<item>` children.
    Static(Vec<Choice>),
    /// `<itemset>`.
    Itemset(Box<Itemset>),
}

/// `<range>` parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RangeSpec {
    /// Lowest value.
    pub start: f64,
    /// Highest value.
    pub end: f64,
    /// Increment.
    pub step: f64,
}

/// A question.
#[derive(Debug, Clone)]
pub struct Control {
    /// What it is.
    pub kind: ControlKind,
    /// Generic path of the node it answers.
    pub path: String,
    /// `<label>`.
    pub label: Option<Text>,
    /// `<hint>` (its itext `guidance` form is the guidance hint).
    pub hint: Option<Text>,
    /// `appearance`, passed through to the shells.
    pub appearance: Option<String>,
    /// `mediatype` of an upload (`image/*`, `audio/*`, ...).
    pub mediatype: Option<String>,
    /// Choices of a select.
    pub choices: Choices,
    /// Range parameters.
    pub range: Option<RangeSpec>,
}

/// A group of questions; with `appearance="field-list"` it is one page.
#[derive(Debug, Clone)]
pub struct Group {
    /// Generic path of the group node, when it has one.
    pub path: Option<String>,
    /// `<label>`.
    pub label: Option<Text>,
    /// `appearance`.
    pub appearance: Option<String>,
    /// Contents.
    pub children: Vec<BodyNode>,
}

impl Group {
    /// Whether the whole group is shown on one page.
    pub fn is_field_list(&self) -> bool {
        self.appearance
            .as_deref()
            .is_some_and(|a| a.split_whitespace().any(|w| w == "field-list"))
    }
}

/// A repeat's body.
#[derive(Debug, Clone)]
pub struct RepeatNode {
    /// Generic path of the repeated node.
    pub path: String,
    /// The label of the enclosing group (pyxform puts it there) or of the repeat.
    pub label: Option<Text>,
    /// `appearance`.
    pub appearance: Option<String>,
    /// Contents of one instance.
    pub children: Vec<BodyNode>,
}

/// A body element.
#[derive(Debug, Clone)]
pub enum BodyNode {
    /// A question.
    Control(Box<Control>),
    /// A group.
    Group(Group),
    /// A repeat.
    Repeat(RepeatNode),
}

/// Resolve a body reference against the enclosing context path.
pub fn resolve_path(context: &str, r: &str) -> String {
    let r = r.trim();
    // In a body reference `current()` is the enclosing context (JavaRosa, Web Forms).
    let r = match r.strip_prefix("current()") {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => {
            rest.strip_prefix('/').unwrap_or(rest)
        }
        _ => r,
    };
    let mut segs: Vec<&str> = if r.starts_with('/') {
        Vec::new()
    } else {
        context.split('/').filter(|s| !s.is_empty()).collect()
    };
    for part in r.split('/').filter(|s| !s.is_empty()) {
        match part.trim() {
            "." => {}
            ".." => {
                segs.pop();
            }
            p => segs.push(p),
        }
    }
    let mut s = String::new();
    for seg in segs {
        s.push('/');
        s.push_str(seg);
    }
    s
}

/// `jr:count` is written relative to the repeat (`../n`, `current()/../n`); the engine
/// evaluates it at the repeat's parent, which exists even when there are no instances.
/// A plain relative path is rewritten to the same node seen from the parent; any other
/// expression is kept as written.
fn count_from_parent(src: &str) -> String {
    let s = src.trim();
    let s = s.strip_prefix("current()/").unwrap_or(s);
    let is_path = s
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '/' | '.' | '_' | '-' | ':'));
    match s.strip_prefix("../") {
        Some(rest) if is_path => rest.to_string(),
        _ => src.to_string(),
    }
}

/// The action events ODK defines (JavaRosa's `Actions`); others are a load error.
const KNOWN_EVENTS: [&str; 7] = [
    "odk-instance-first-load",
    "odk-instance-load",
    "odk-new-repeat",
    "xforms-value-changed",
    "xforms-ready",
    "xforms-revalidate",
    "jr-insert",
];

/// State threaded through body parsing.
pub struct BodyParser<'a> {
    /// Bind id -> nodeset, for `bind="id"` references.
    pub bind_ids: &'a HashMap<String, String>,
    /// `setvalue` actions found in the body.
    pub setvalues: Vec<SetValue>,
    /// Repeats found: (generic path, `jr:count`, `jr:noAddRemove`).
    pub repeats: Vec<(String, Option<XPath>, bool)>,
}

impl std::fmt::Debug for BodyParser<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BodyParser").finish_non_exhaustive()
    }
}

fn compile(src: &str, location: &str) -> Result<XPath, LoadError> {
    XPath::compile(src).map_err(|source| LoadError::BodyExpression {
        location: location.to_string(),
        expression: src.to_string(),
        source: Box::new(source),
    })
}

impl BodyParser<'_> {
    fn node_ref(&self, el: roxmltree::Node<'_, '_>, context: &str, attr: &str) -> Option<String> {
        if let Some(r) = el.attribute(attr) {
            return Some(resolve_path(context, r));
        }
        el.attribute("bind")
            .and_then(|id| self.bind_ids.get(id))
            .cloned()
    }

    /// Parse the children of a body element under `context`.
    pub fn parse_children(
        &mut self,
        parent: roxmltree::Node<'_, '_>,
        context: &str,
    ) -> Result<Vec<BodyNode>, LoadError> {
        let mut out = Vec::new();
        for el in parent.children().filter(|c| c.is_element()) {
            let kind = match el.tag_name().name() {
                "input" | "secret" => Some(ControlKind::Input),
                "select1" => Some(ControlKind::Select1),
                "select" => Some(ControlKind::Select),
                "rank" => Some(ControlKind::Rank),
                "upload" => Some(ControlKind::Upload),
                "trigger" => Some(ControlKind::Trigger),
                "range" => Some(ControlKind::Range),
                _ => None,
            };
            if let Some(kind) = kind {
                out.push(BodyNode::Control(Box::new(
                    self.control(el, kind, context)?,
                )));
                continue;
            }
            match el.tag_name().name() {
                "group" => {
                    let path = self.node_ref(el, context, "ref");
                    let inner_ctx = path.clone().unwrap_or_else(|| context.to_string());
                    let label = label_of(el, "label", &inner_ctx)?;
                    let children = self.parse_children(el, &inner_ctx)?;
                    out.push(BodyNode::Group(Group {
                        path,
                        label,
                        appearance: el.attribute("appearance").map(str::to_string),
                        children,
                    }));
                }
                "repeat" => {
                    let Some(path) = self.node_ref(el, context, "nodeset") else {
                        return Err(LoadError::Structure(format!(
                            "a repeat inside '{context}' has no nodeset"
                        )));
                    };
                    let label = label_of(el, "label", &path)?;
                    let label = match label {
                        Some(l) => Some(l),
                        None => el
                            .parent()
                            .filter(|p| p.tag_name().name() == "group")
                            .map(|p| label_of(p, "label", &path))
                            .transpose()?
                            .flatten(),
                    };
                    let count = match jr_attribute(el, "count") {
                        Some(c) if !c.trim().is_empty() => {
                            Some(compile(&count_from_parent(c), &path)?)
                        }
                        _ => None,
                    };
                    let no_add_remove = jr_attribute(el, "noAddRemove")
                        .is_some_and(|v| matches!(v.trim(), "true()" | "true" | "1"));
                    self.repeats.push((path.clone(), count, no_add_remove));
                    let children = self.parse_children(el, &path)?;
                    out.push(BodyNode::Repeat(RepeatNode {
                        path,
                        label,
                        appearance: el.attribute("appearance").map(str::to_string),
                        children,
                    }));
                }
                "setvalue" => self.setvalue(el, context, None)?,
                _ => {}
            }
        }
        Ok(out)
    }

    /// Record a `setvalue` action; `trigger` is the control it sits in.
    pub fn setvalue(
        &mut self,
        el: roxmltree::Node<'_, '_>,
        context: &str,
        trigger: Option<&str>,
    ) -> Result<(), LoadError> {
        let events = el.attribute("event").unwrap_or("");
        let Some(target) = self.node_ref(el, context, "ref") else {
            return Ok(());
        };
        let value = match el.attribute("value") {
            Some(v) => Some(compile(v, &target)?),
            None => el.text().map(|t| XPath {
                source: t.to_string(),
                ast: crate::xpath::Expr::Literal(t.to_string()),
            }),
        };
        let unknown: Vec<&str> = events
            .split_whitespace()
            .filter(|ev| !KNOWN_EVENTS.contains(ev))
            .collect();
        if !unknown.is_empty() {
            // JavaRosa and Web Forms refuse these forms with this message.
            return Err(LoadError::Structure(format!(
                "An action was registered for unsupported events: {}",
                unknown.join(", ")
            )));
        }
        for ev in events.split_whitespace() {
            let event = match ev {
                // `odk-instance-load` runs at every load; a session starts once.
                "odk-instance-first-load" | "odk-instance-load" => SetValueEvent::FirstLoad,
                "odk-new-repeat" => SetValueEvent::NewRepeat,
                "xforms-value-changed" => SetValueEvent::ValueChanged,
                _ => continue,
            };
            self.setvalues.push(SetValue {
                event,
                target: target.clone(),
                trigger: trigger.map(str::to_string),
                value: value.clone(),
            });
        }
        Ok(())
    }

    fn control(
        &mut self,
        el: roxmltree::Node<'_, '_>,
        kind: ControlKind,
        context: &str,
    ) -> Result<Control, LoadError> {
        let Some(path) = self.node_ref(el, context, "ref") else {
            return Err(LoadError::Structure(format!(
                "a <{}> inside '{context}' has no ref",
                el.tag_name().name()
            )));
        };
        let label = label_of(el, "label", &path)?;
        let hint = label_of(el, "hint", &path)?;
        let mut items = Vec::new();
        let mut itemset = None;
        for c in el.children().filter(|c| c.is_element()) {
            match c.tag_name().name() {
                "item" => {
                    let value = c
                        .children()
                        .find(|x| x.is_element() && x.tag_name().name() == "value")
                        .and_then(|v| v.text())
                        .unwrap_or("")
                        .trim()
                        .to_string();
                    let label =
                        label_of(c, "label", &path)?.unwrap_or_else(|| Text::Plain(Vec::new()));
                    items.push(Choice { value, label });
                }
                "itemset" => {
                    let Some(nodeset) = c.attribute("nodeset") else {
                        return Err(LoadError::Structure(format!(
                            "itemset of '{path}' has no nodeset"
                        )));
                    };
                    let nodeset = compile(nodeset, &path)?;
                    let child = |name: &str| {
                        c.children()
                            .find(|x| x.is_element() && x.tag_name().name() == name)
                    };
                    let value_ref = child("value")
                        .and_then(|v| v.attribute("ref"))
                        .unwrap_or("name");
                    let value = compile(value_ref, &path)?;
                    let label = match child("label").and_then(|l| l.attribute("ref")) {
                        Some(r) => parse_ref(r, &path)?,
                        None => parse_ref("label", &path)?,
                    };
                    itemset = Some(Itemset {
                        nodeset,
                        value,
                        label,
                    });
                }
                "setvalue" => self.setvalue(c, context, Some(&path))?,
                _ => {}
            }
        }
        let choices = match (itemset, items.is_empty()) {
            (Some(i), _) => Choices::Itemset(Box::new(i)),
            (None, false) => Choices::Static(items),
            (None, true) => Choices::None,
        };
        let range = if kind == ControlKind::Range {
            // A present but malformed bound is a load error, as in JavaRosa
            // (`bad-range-form.xml`); a missing one takes ODK's default.
            let num = |a: &str, d: f64| -> Result<f64, LoadError> {
                match el.attribute(a) {
                    None => Ok(d),
                    Some(v) => v.trim().parse::<f64>().map_err(|_| {
                        LoadError::Structure(format!(
                            "range '{path}': attribute {a} is not a number"
                        ))
                    }),
                }
            };
            Some(RangeSpec {
                start: num("start", 0.0)?,
                end: num("end", 10.0)?,
                step: num("step", 1.0)?,
            })
        } else {
            None
        };
        Ok(Control {
            kind,
            path,
            label,
            hint,
            appearance: el.attribute("appearance").map(str::to_string),
            mediatype: el.attribute("mediatype").map(str::to_string),
            choices,
            range,
        })
    }
}

/// The JavaRosa namespace.
pub const JR_NS: &str = "http://openrosa.org/javarosa";

/// Attribute `jr:local`, or an attribute of that local name in any namespace (forms in
/// the wild sometimes bind the prefix to a different URI).
pub fn jr_attribute<'a>(el: roxmltree::Node<'a, '_>, local: &str) -> Option<&'a str> {
    el.attribute((JR_NS, local)).or_else(|| {
        el.attributes()
            .find(|a| a.name() == local && a.namespace().is_some())
            .map(|a| a.value())
    })
}

fn label_of(
    el: roxmltree::Node<'_, '_>,
    name: &str,
    location: &str,
) -> Result<Option<Text>, LoadError> {
    el.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
        .map(|l| parse_text_element(l, location))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::resolve_path;

    #[test]
    fn resolves_relative_refs() {
        assert_eq!(resolve_path("/data/g", "name"), "/data/g/name");
        assert_eq!(resolve_path("/data/g", "../x"), "/data/x");
        assert_eq!(resolve_path("/data/g", " /data/y "), "/data/y");
        assert_eq!(resolve_path("/data/g", "./z"), "/data/g/z");
    }
}
