//! Drafts and submitted instances: exporting the answers as a flat map and rebuilding a
//! session from such a map.
//!
//! The map is what core/device seals and stores after every answer: instance path
//! (`/data/members[2]/name`, see [`crate::instance::path`]) -> ODK string value. Every
//! leaf is exported, empty ones too (so a cleared default stays cleared), and every
//! repeat instance has a marker key (`/data/members[2]` -> `""`) so that an instance
//! with no answers survives. Resuming recomputes everything except calculations that
//! read nothing (`uuid()`, `now()`), which keep their saved value: a resumed draft keeps
//! its instanceID.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{FormSession, ValidationIssue};
use crate::env::Environment;
use crate::error::SessionError;
use crate::form::Form;
use crate::instance::tree::qualified_name;
use crate::instance::{path, NodeId};

/// More repeat instances than this in a draft or submission is refused.
const MAX_INSTANCES: usize = 10_000;

impl FormSession {
    /// The answers as a flat map, for saving a draft.
    pub fn export_draft(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let doc = self.forest.primary();
        if let Some(root) = doc.root_element() {
            self.export_node(root, &mut out);
        }
        out
    }

    fn export_node(&self, n: NodeId, out: &mut BTreeMap<String, String>) {
        let doc = self.forest.primary();
        for &c in doc.children(n) {
            let generic = doc.generic_path(c);
            if self.form.def.is_repeat(&generic) {
                out.insert(self.path_of(c), String::new());
            }
            if doc.children(c).is_empty() {
                out.insert(self.path_of(c), doc.value(c).to_string());
            } else {
                self.export_node(c, out);
            }
        }
    }

    /// Rebuild a session from a draft map. Keys the form does not know (a form update
    /// removed the question) are skipped.
    pub fn resume(
        form: Arc<Form>,
        env: Arc<dyn Environment>,
        draft: &BTreeMap<String, String>,
    ) -> Result<FormSession, SessionError> {
        FormSession::resume_with_last_saved(form, env, draft, None)
    }

    /// [`FormSession::resume`] for forms that read `jr://instance/last-saved`: the
    /// citizen's previous submission (instance XML) is that instance again, so
    /// expressions reading it see what they saw when the draft was started.
    pub fn resume_with_last_saved(
        form: Arc<Form>,
        env: Arc<dyn Environment>,
        draft: &BTreeMap<String, String>,
        last_saved: Option<&str>,
    ) -> Result<FormSession, SessionError> {
        let mut s = FormSession::blank(form, env);
        s.load_last_saved(last_saved)?;
        // Start without repeat instances: the draft says which exist.
        let mut repeat_paths: Vec<String> = s.form.def.repeats.keys().cloned().collect();
        repeat_paths.sort_by_key(|p| p.matches('/').count());
        for p in &repeat_paths {
            for n in s.instances_of(p) {
                s.forest.primary_mut().detach(n);
            }
        }
        for key in draft.keys() {
            s.materialize(key)?;
        }
        for (key, value) in draft {
            if let Some(n) = path::resolve(s.forest.primary(), key) {
                let doc = s.forest.primary();
                if doc.is_leaf(n) && !s.form.def.is_repeat(&doc.generic_path(n)) {
                    s.forest.primary_mut().set_value(n, value);
                }
            }
        }
        s.started = true;
        s.recompute_all(true);
        Ok(s)
    }

    /// Create the repeat instances a key's indices need.
    fn materialize(&mut self, key: &str) -> Result<(), SessionError> {
        let Some(segs) = path::parse(key) else {
            return Ok(());
        };
        let mut cur = self.forest.primary().root();
        let mut generic = String::new();
        for seg in segs {
            generic.push('/');
            generic.push_str(&seg.name);
            if let Some(def) = self.form.def.repeats.get(&generic).cloned() {
                if seg.index > MAX_INSTANCES {
                    return Err(SessionError::Repeat(generic));
                }
                let mut have = self.repeat_children(cur, &def);
                while have.len() < seg.index {
                    let id = self.insert_bare(cur, &def);
                    have.push(id);
                }
                match have.get(seg.index - 1) {
                    Some(&n) => cur = n,
                    None => return Ok(()),
                }
            } else {
                let doc = self.forest.primary();
                match doc
                    .children_named(cur, &seg.name)
                    .get(seg.index - 1)
                    .copied()
                {
                    Some(n) => cur = n,
                    None => return Ok(()),
                }
            }
        }
        Ok(())
    }

    /// Read a submitted instance (the server side) into a session with the same rules
    /// the phone applied. The root element and form id must match the form.
    pub fn from_submission(
        form: Arc<Form>,
        env: Arc<dyn Environment>,
        xml: &str,
    ) -> Result<FormSession, SessionError> {
        let opts = roxmltree::ParsingOptions {
            allow_dtd: false,
            nodes_limit: 1_000_000,
            ..roxmltree::ParsingOptions::default()
        };
        let doc = roxmltree::Document::parse_with_options(xml, opts)
            .map_err(|e| SessionError::Submission(e.to_string()))?;
        let max = crate::xform::parse::MAX_XML_DEPTH;
        if crate::xform::parse::xml_depth(&doc) > max {
            return Err(SessionError::Submission(format!(
                "elements nested more than {max} levels deep"
            )));
        }
        let root = doc.root_element();
        let expected_root = form
            .def
            .initial
            .root_element()
            .map(|r| form.def.initial.name(r).to_string())
            .unwrap_or_default();
        if qualified_name(root) != expected_root {
            return Err(SessionError::Submission(
                "the root element does not match the form".into(),
            ));
        }
        if let Some(id) = root.attribute("id") {
            if id != form.def.form_id {
                return Err(SessionError::Submission(
                    "the form id does not match the form".into(),
                ));
            }
        }
        let mut map = BTreeMap::new();
        flatten_xml(&form, root, &format!("/{expected_root}"), &mut map);
        FormSession::resume(form, env, &map)
    }

    /// Server-side validation: the issues of a submitted instance (empty: valid).
    pub fn validate_submission(
        form: Arc<Form>,
        env: Arc<dyn Environment>,
        xml: &str,
    ) -> Result<Vec<ValidationIssue>, SessionError> {
        let s = FormSession::from_submission(form, env, xml)?;
        Ok(s.validate_all())
    }
}

fn flatten_xml(
    form: &Form,
    el: roxmltree::Node<'_, '_>,
    el_path: &str,
    out: &mut BTreeMap<String, String>,
) {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut any_child = false;
    for c in el.children().filter(|c| c.is_element()) {
        any_child = true;
        let name = qualified_name(c);
        let base = format!("{el_path}/{name}");
        let generic = path::generic(&base);
        let child_path = if form.def.is_repeat(&generic) {
            let k = counts.entry(name).or_insert(0);
            *k += 1;
            let p = format!("{base}[{k}]");
            out.insert(p.clone(), String::new());
            p
        } else {
            base
        };
        flatten_xml(form, c, &child_path, out);
    }
    if !any_child {
        let text: String = el.children().filter_map(|c| c.text()).collect();
        out.insert(el_path.to_string(), text.trim().to_string());
    }
}
