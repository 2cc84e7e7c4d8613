//! The submission: OpenRosa instance XML as ODK servers expect it, and a JSON view of
//! the answers for the shells.
//!
//! Non-relevant nodes are left out (ODK's rule: relevance off clears the values below
//! it from the submission); `meta/instanceID` is `uuid:...` and is the idempotency key
//! of the whole send path, so it is fixed once at finalize and never changes.

use std::sync::Arc;

use super::FormSession;
use crate::error::SessionError;
use crate::instance::{Document, NodeId, NodeKind};
use crate::xform::model::{DataType, Preload};

/// A finalized form, ready for the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    /// The instance XML (UTF-8).
    pub xml: String,
    /// `uuid:...`, the submission's idempotency key.
    pub instance_id: String,
    /// `meta/instanceName`, when the form computes one.
    pub instance_name: Option<String>,
    /// File names of attachments the XML references, in document order.
    pub attachments: Vec<String>,
}

fn escape(s: &str, attr: bool, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
}

/// Namespaces ODK forms use, for prefixes that appear in instance names.
const KNOWN_NAMESPACES: [(&str, &str); 4] = [
    ("jr", "http://openrosa.org/javarosa"),
    ("orx", "http://openrosa.org/xforms"),
    ("odk", "http://www.opendatakit.org/xforms"),
    ("h", "http://www.w3.org/1999/xhtml"),
];

impl FormSession {
    /// Finalize: stamp end time, make sure `meta/instanceID` is set, validate
    /// everything, and produce the submission. Issues refuse the finalize.
    pub fn finalize(&mut self) -> Result<Submission, SessionError> {
        self.failures.clear();
        let form = Arc::clone(&self.form);
        let now = crate::datetime::format_timestamp(self.env.now());
        for b in &form.def.binds {
            if b.preload == Some(Preload::End) {
                for n in self.instances_of(&b.nodeset) {
                    if self.forest.primary_mut().set_value(n, &now) {
                        let seeds = self
                            .form
                            .graph
                            .value_change(&b.nodeset)
                            .into_iter()
                            .collect();
                        self.recompute(seeds);
                    }
                }
            }
        }
        let issues = self.validate_all();
        if !issues.is_empty() {
            return Err(SessionError::Invalid(issues));
        }
        let instance_id = self.ensure_instance_id();
        let instance_name = form
            .def
            .instance_name_path
            .as_deref()
            .and_then(|p| self.instances_of(p).first().copied())
            .map(|n| self.forest.primary().value(n).to_string())
            .filter(|s| !s.is_empty());
        Ok(Submission {
            xml: self.instance_xml(),
            instance_id,
            instance_name,
            attachments: self.attachments(),
        })
    }

    /// The current `meta/instanceID`, creating `meta/instanceID` (with a new
    /// `uuid:...`) if the form lacks it or left it empty.
    fn ensure_instance_id(&mut self) -> String {
        let existing = self
            .form
            .def
            .instance_id_path
            .as_deref()
            .and_then(|p| self.instances_of(p).first().copied());
        let node = match existing {
            Some(n) => n,
            None => {
                let doc = self.forest.primary_mut();
                let root = doc.root_element().unwrap_or(0);
                let meta = match doc
                    .child(root, "meta")
                    .or_else(|| doc.child(root, "orx:meta"))
                {
                    Some(m) => m,
                    None => doc.add_element(root, "meta"),
                };
                doc.add_element(meta, "instanceID")
            }
        };
        let current = self.forest.primary().value(node).to_string();
        if current.is_empty() {
            let id = format!("uuid:{}", self.env.uuid());
            self.forest.primary_mut().set_value(node, &id);
            id
        } else {
            current
        }
    }

    fn attachments(&self) -> Vec<String> {
        let mut out = Vec::new();
        for b in &self.form.def.binds {
            if b.data_type == DataType::Binary {
                for n in self.instances_of(&b.nodeset) {
                    let v = self.forest.primary().value(n);
                    if !v.is_empty() && self.is_relevant(n) {
                        out.push((self.forest.primary().order_key(n), v.to_string()));
                    }
                }
            }
        }
        out.sort();
        out.into_iter().map(|(_, v)| v).collect()
    }

    /// The instance as OpenRosa XML (without validating; see [`Self::finalize`]).
    pub fn instance_xml(&self) -> String {
        let doc = self.forest.primary();
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        if let Some(root) = doc.root_element() {
            let mut prefixes = Vec::new();
            collect_prefixes(doc, root, &mut prefixes);
            self.write_element(doc, root, Some(&prefixes), &mut out);
        }
        out
    }

    fn write_element(&self, doc: &Document, n: NodeId, ns: Option<&[String]>, out: &mut String) {
        if !self.is_relevant(n) {
            return;
        }
        out.push('<');
        out.push_str(doc.name(n));
        if let Some(prefixes) = ns {
            for p in prefixes {
                let declared = self.form.def.namespaces.iter().find(|(k, _)| k == p);
                let uri = declared.map(|(_, u)| u.as_str()).or_else(|| {
                    KNOWN_NAMESPACES
                        .iter()
                        .find(|(k, _)| k == p)
                        .map(|(_, u)| *u)
                });
                if let Some(uri) = uri {
                    out.push_str(" xmlns:");
                    out.push_str(p);
                    out.push_str("=\"");
                    escape(uri, true, &mut *out);
                    out.push('"');
                }
            }
        }
        for &a in doc.attributes(n) {
            out.push(' ');
            out.push_str(doc.name(a));
            out.push_str("=\"");
            escape(doc.value(a), true, out);
            out.push('"');
        }
        let kids = doc.children(n);
        if kids.is_empty() {
            let v = doc.value(n);
            if v.is_empty() {
                out.push_str("/>");
            } else {
                out.push('>');
                escape(v, false, out);
                out.push_str(&format!("</{}>", doc.name(n)));
            }
            return;
        }
        out.push('>');
        for &k in kids {
            self.write_element(doc, k, None, out);
        }
        out.push_str(&format!("</{}>", doc.name(n)));
    }

    /// The relevant answers as JSON: groups are objects, repeats arrays, values strings.
    /// Element names are used as keys (prefixes kept), in form order.
    pub fn answers_json(&self) -> String {
        let doc = self.forest.primary();
        let mut out = String::new();
        match doc.root_element() {
            Some(root) => self.json_object(doc, root, &mut out),
            None => out.push_str("{}"),
        }
        out
    }

    fn json_object(&self, doc: &Document, n: NodeId, out: &mut String) {
        out.push('{');
        let kids: Vec<NodeId> = doc
            .children(n)
            .iter()
            .copied()
            .filter(|&k| self.is_relevant(k))
            .collect();
        let mut first = true;
        let mut i = 0;
        while i < kids.len() {
            let k = kids[i];
            let name = doc.name(k);
            let generic = doc.generic_path(k);
            if !first {
                out.push(',');
            }
            first = false;
            json_string(name, out);
            out.push(':');
            if self.form.def.is_repeat(&generic) {
                out.push('[');
                let mut j = i;
                let mut sep = false;
                while j < kids.len() && doc.name(kids[j]) == name {
                    if sep {
                        out.push(',');
                    }
                    sep = true;
                    self.json_object(doc, kids[j], out);
                    j += 1;
                }
                out.push(']');
                i = j;
                continue;
            }
            if doc.children(k).is_empty() {
                json_string(doc.value(k), out);
            } else {
                self.json_object(doc, k, out);
            }
            i += 1;
        }
        out.push('}');
    }
}

fn collect_prefixes(doc: &Document, n: NodeId, out: &mut Vec<String>) {
    let mut add = |name: &str| {
        if let Some((p, _)) = name.split_once(':') {
            if !out.iter().any(|x| x == p) {
                out.push(p.to_string());
            }
        }
    };
    add(doc.name(n));
    for &a in doc.attributes(n) {
        if doc.kind(a) == NodeKind::Attribute {
            add(doc.name(a));
        }
    }
    for &c in doc.children(n) {
        collect_prefixes(doc, c, out);
    }
}

fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}
