//! [`Form`]: a loaded, checked XForm with its dependency graph, ready for sessions.
//!
//! Loading does all the checking (XML, structure, expressions, cycles) once, so that
//! filling the form can never hit a malformed expression. A `Form` is immutable; share
//! it between sessions with `Arc`.

use std::collections::HashMap;

use crate::error::LoadError;
use crate::external::{Attachments, LoadWarning, NoAttachments};
use crate::graph::DepGraph;
use crate::xform::body::{BodyNode, Control};
use crate::xform::model::FormDef;
use crate::xform::parse::parse_xform_with;

/// A loaded form definition plus its dependency graph.
#[derive(Debug, Clone)]
pub struct Form {
    /// The parsed definition.
    pub def: FormDef,
    /// Computations in topological order.
    pub graph: DepGraph,
    /// Controls by generic path.
    pub(crate) controls: HashMap<String, Control>,
    /// Selects with an itemset, sorted by path, with the paths their itemset reads:
    /// what `session::prune` re-checks after an answer.
    pub(crate) filtered_selects: Vec<(String, Vec<String>)>,
}

impl Form {
    /// Load an XForm: parse, compile every expression, build the dependency graph.
    pub fn parse(xml: &str) -> Result<Form, LoadError> {
        Form::parse_with_attachments(xml, &NoAttachments)
    }

    /// Load an XForm whose external instances (`jr://file/...`, `jr://file-csv/...`)
    /// are read from `media`. A missing file leaves its instance empty and is listed
    /// in [`Form::warnings`].
    pub fn parse_with_attachments(xml: &str, media: &dyn Attachments) -> Result<Form, LoadError> {
        let mut def = parse_xform_with(xml, media)?;
        normalize_defaults(&mut def);
        let graph = DepGraph::build(&def)?;
        let mut controls = HashMap::new();
        index_controls(&def.body, &mut controls);
        collapse_select_defaults(&mut def, &controls);
        let mut paths: Vec<&String> = controls.keys().collect();
        let mut groups = Vec::new();
        group_paths(&def.body, &mut groups);
        paths.extend(groups.iter());
        for path in paths {
            if !crate::xform::parse::path_exists(&def, path) {
                return Err(LoadError::UnknownNode(path.clone()));
            }
        }
        let mut filtered_selects: Vec<(String, Vec<String>)> = controls
            .values()
            .filter_map(|c| match &c.choices {
                crate::xform::body::Choices::Itemset(set) => Some((
                    c.path.clone(),
                    crate::xpath::deps::dependencies(&set.nodeset.ast, &c.path),
                )),
                _ => None,
            })
            .collect();
        filtered_selects.sort();
        Ok(Form {
            def,
            graph,
            controls,
            filtered_selects,
        })
    }

    /// The form id (`<data id="...">`), the key servers know the form by.
    pub fn id(&self) -> &str {
        &self.def.form_id
    }

    /// The form version, if declared.
    pub fn version(&self) -> Option<&str> {
        self.def.version.as_deref()
    }

    /// The title.
    pub fn title(&self) -> &str {
        &self.def.title
    }

    /// The languages the form is translated into.
    pub fn languages(&self) -> &[String] {
        &self.def.itext.languages
    }

    /// What ODK accepts silently but the form's author may want to know (binds to
    /// missing nodes, missing attachments).
    pub fn warnings(&self) -> &[LoadWarning] {
        &self.def.warnings
    }

    /// The attachment file names the form's external instances read (what the device
    /// must have in its forms cache before offering the form).
    pub fn attachment_names(&self) -> Vec<String> {
        self.def.attachment_names.clone()
    }

    /// The media files the form's labels show (`jr://images/logo.png` -> `logo.png`),
    /// sorted: with [`Form::attachment_names`], the files its manifest must deliver.
    pub fn media_files(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .def
            .itext
            .media_uris()
            .iter()
            .map(|u| crate::session::media_file(u))
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// The control answering a generic path.
    pub fn control(&self, generic_path: &str) -> Option<&Control> {
        self.controls.get(generic_path)
    }
}

fn index_controls(nodes: &[BodyNode], out: &mut HashMap<String, Control>) {
    for n in nodes {
        match n {
            BodyNode::Control(c) => {
                out.entry(c.path.clone()).or_insert_with(|| (**c).clone());
            }
            BodyNode::Group(g) => index_controls(&g.children, out),
            BodyNode::Repeat(r) => index_controls(&r.children, out),
        }
    }
}

fn group_paths(nodes: &[BodyNode], out: &mut Vec<String>) {
    for n in nodes {
        match n {
            BodyNode::Control(_) => {}
            BodyNode::Group(g) => {
                out.extend(g.path.clone());
                group_paths(&g.children, out);
            }
            BodyNode::Repeat(r) => group_paths(&r.children, out),
        }
    }
}

/// A select-multiple default is stored with single spaces (`a  b` reads `a b`), as
/// ODK does, whatever type the bind declares.
fn collapse_select_defaults(def: &mut FormDef, controls: &HashMap<String, Control>) {
    use crate::xform::body::ControlKind;
    for (path, c) in controls {
        if c.kind != ControlKind::Select {
            continue;
        }
        for n in crate::xform::parse::nodes_at(&def.initial, path) {
            let v = def.initial.value(n);
            let collapsed = v.split_whitespace().collect::<Vec<_>>().join(" ");
            if collapsed != v {
                def.initial.set_value(n, &collapsed);
            }
        }
    }
}

/// Store typed defaults as ODK's engine does (`<income>0</income>` in a decimal reads
/// `0.0`), so a default and the same value typed in are indistinguishable.
fn normalize_defaults(def: &mut FormDef) {
    use crate::session::types::{normalize, type_problem};
    use crate::xform::model::DataType;
    let typed: Vec<(String, DataType)> = def
        .binds
        .iter()
        .filter(|b| {
            matches!(
                b.data_type,
                DataType::Int
                    | DataType::Date
                    | DataType::Decimal
                    | DataType::Geopoint
                    | DataType::Geotrace
                    | DataType::Geoshape
            )
        })
        .map(|b| (b.nodeset.clone(), b.data_type))
        .collect();
    let fix = |doc: &mut crate::instance::Document, path: &str, dt: DataType| {
        for n in crate::xform::parse::nodes_at(doc, path) {
            let v = normalize(dt, doc.value(n).to_string());
            if !v.is_empty() && type_problem(dt, &v).is_none() {
                doc.set_value(n, &v);
            }
        }
    };
    for (path, dt) in &typed {
        fix(&mut def.initial, path, *dt);
        for r in def.repeats.values_mut() {
            let rest = path
                .strip_prefix(r.path.as_str())
                .filter(|rest| rest.starts_with('/'));
            if let Some(rest) = rest {
                let local = r.path.rsplit('/').next().unwrap_or("");
                fix(&mut r.template, &format!("/{local}{rest}"), *dt);
            }
        }
    }
}
