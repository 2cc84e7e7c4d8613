//! Turning labels, hints, messages and choices into display strings in the session's
//! language, with `<output/>` values filled in.

use std::cell::Cell;

use super::pages::ChoiceView;
use super::FormSession;
use crate::instance::{NodeId, NodeRef};
use crate::xform::body::{Choices, Control};
use crate::xform::text::{Text, TextPart};
use crate::xpath::{FormLookup, Value};

thread_local! {
    /// Guards `jr:choice-name` inside choice labels from recursing forever.
    static LOOKUP_DEPTH: Cell<u32> = const { Cell::new(0) };
}

impl FormSession {
    fn render_parts(&self, parts: &[TextPart], ctx: NodeRef) -> String {
        let mut s = String::new();
        for p in parts {
            match p {
                TextPart::Literal(t) => s.push_str(t),
                TextPart::Output(x) => {
                    if let Ok(v) = self.eval_value(x, ctx) {
                        s.push_str(&v.to_string_value(&self.forest));
                    }
                }
            }
        }
        s
    }

    /// Render a text in the current language, evaluating outputs at `ctx`.
    pub(crate) fn render(&self, text: &Text, ctx: NodeRef) -> String {
        self.render_form(text, ctx, "").unwrap_or_default()
    }

    /// Render one itext form (`""`, `guidance`, `image`, ...) of a text.
    pub(crate) fn render_form(&self, text: &Text, ctx: NodeRef, form: &str) -> Option<String> {
        let itext = &self.form.def.itext;
        let lang = self.language.as_deref();
        match text {
            Text::Plain(parts) if form.is_empty() => Some(self.render_parts(parts, ctx)),
            Text::Plain(_) => None,
            Text::Itext(id) => itext
                .get(lang, id, form)
                .map(|parts| self.render_parts(parts, ctx)),
            Text::ItextDynamic(x) => {
                let id = self.eval_value(x, ctx).ok()?.to_string_value(&self.forest);
                itext
                    .get(lang, &id, form)
                    .map(|parts| self.render_parts(parts, ctx))
            }
        }
    }

    /// The choices a select offers now (itemsets filtered by their predicate).
    pub(crate) fn choices(&self, control: &Control, node: NodeId) -> Vec<ChoiceView> {
        let ctx = NodeRef::primary(node);
        match &control.choices {
            Choices::None => Vec::new(),
            Choices::Static(items) => items
                .iter()
                .map(|c| ChoiceView {
                    value: c.value.clone(),
                    label: self.render(&c.label, ctx),
                    media: self.media_of(&c.label, ctx),
                })
                .collect(),
            Choices::Itemset(set) => {
                let items = match self.eval_value(&set.nodeset, ctx) {
                    Ok(Value::Nodes(ns)) => ns,
                    _ => return Vec::new(),
                };
                items
                    .into_iter()
                    .map(|item| {
                        let value = set
                            .value
                            .eval(&self.eval_ctx(), item)
                            .map(|v| v.to_string_value(&self.forest))
                            .unwrap_or_default();
                        ChoiceView {
                            value,
                            label: self.render(&set.label, item),
                            media: self.media_of(&set.label, item),
                        }
                    })
                    .collect()
            }
        }
    }
}

impl FormLookup for FormSession {
    fn itext(&self, id: &str) -> Option<String> {
        let depth = LOOKUP_DEPTH.with(|d| d.get());
        if depth > 2 {
            return None;
        }
        let parts = self.form.def.itext.get(self.language.as_deref(), id, "")?;
        let root = self.forest.primary().root_element()?;
        LOOKUP_DEPTH.with(|d| d.set(depth + 1));
        let text = self.render_parts(parts, NodeRef::primary(root));
        LOOKUP_DEPTH.with(|d| d.set(depth));
        Some(text)
    }

    fn choice_label(&self, node: NodeRef, value: &str) -> Option<String> {
        if node.doc != 0 {
            return None;
        }
        let depth = LOOKUP_DEPTH.with(|d| d.get());
        if depth > 2 {
            return None;
        }
        let generic = self.forest.primary().generic_path(node.node);
        let control = self.form.control(&generic)?;
        LOOKUP_DEPTH.with(|d| d.set(depth + 1));
        let label = self
            .choices(control, node.node)
            .into_iter()
            .find(|c| c.value == value)
            .map(|c| c.label);
        LOOKUP_DEPTH.with(|d| d.set(depth));
        label
    }
}
