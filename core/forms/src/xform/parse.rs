//! XForm XML -> [`FormDef`].
//!
//! Reads the model (instances, binds, itext, setvalue), the body, and the repeat
//! templates, compiling every expression on the way. DTDs are refused (roxmltree's
//! default), so entity expansion attacks cannot reach the engine. Every failure is a
//! [`LoadError`] that names the bind or control; nothing here may panic.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::body::{jr_attribute, resolve_path, BodyParser};
use super::itext::Itext;
use super::model::{Bind, DataType, FormDef, Preload, RepeatDef};
use super::text::parse_message;
use crate::error::LoadError;
use crate::external::{Attachments, LoadWarning, Source};
use crate::instance::{Document, NodeId};
use crate::xpath::XPath;

/// Element nesting deeper than this is refused: real forms stay under ~20 levels, and
/// the engine walks trees recursively (a 20,000-level file overflowed the stack).
pub const MAX_XML_DEPTH: usize = 200;

/// The element nesting depth of a parsed document, counted without recursion and
/// stopping once it passes [`MAX_XML_DEPTH`].
pub fn xml_depth(doc: &roxmltree::Document<'_>) -> usize {
    let mut max = 0;
    let mut stack = vec![(doc.root_element(), 1usize)];
    while let Some((n, d)) = stack.pop() {
        max = max.max(d);
        if max > MAX_XML_DEPTH {
            break;
        }
        stack.extend(n.children().filter(|c| c.is_element()).map(|c| (c, d + 1)));
    }
    max
}

/// Forms larger than this many XML nodes are refused (a generous bound: a
/// 1,000-question form with translations has well under 100,000).
const MAX_XML_NODES: u32 = 2_000_000;

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// Parse an XForm document without attachments (external instances load empty).
pub fn parse_xform(xml: &str) -> Result<FormDef, LoadError> {
    parse_xform_with(xml, &crate::external::NoAttachments)
}

/// Parse an XForm document, reading external instances from `media`.
pub fn parse_xform_with(xml: &str, media: &dyn Attachments) -> Result<FormDef, LoadError> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_XML_NODES,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(xml, opts)
        .map_err(|e| LoadError::Xml(e.to_string()))?;
    if xml_depth(&doc) > MAX_XML_DEPTH {
        return Err(LoadError::Xml(format!(
            "elements nested more than {MAX_XML_DEPTH} levels deep"
        )));
    }
    let html = doc.root_element();
    let head =
        child(html, "head").ok_or_else(|| LoadError::Structure("no <h:head> element".into()))?;
    let model = child(head, "model")
        .ok_or_else(|| LoadError::Structure("no <model> in <h:head>".into()))?;
    let title = child(head, "title")
        .and_then(|t| t.text())
        .unwrap_or("")
        .trim()
        .to_string();

    // Instances: the first is primary, the others are secondary (by id).
    let mut instances = model
        .children()
        .filter(|c| c.is_element() && c.tag_name().name() == "instance");
    let primary_el = instances
        .next()
        .ok_or_else(|| LoadError::Structure("the model has no <instance>".into()))?;
    let root_el = primary_el
        .children()
        .find(|c| c.is_element())
        .ok_or_else(|| LoadError::Structure("the primary instance is empty".into()))?;
    let mut primary = Document::from_xml_element(root_el);
    let namespaces: Vec<(String, String)> = root_el
        .namespaces()
        .filter_map(|ns| ns.name().map(|p| (p.to_string(), ns.uri().to_string())))
        .collect();
    ensure_instance_id(&mut primary, root_el);
    let mut secondary: Vec<(String, Arc<Document>)> = Vec::new();
    let mut warnings = Vec::new();
    let mut last_saved = None;
    let mut attachment_names = Vec::new();
    for inst in instances {
        if let Some(Source::File { name, .. }) = inst.attribute("src").map(crate::external::source)
        {
            attachment_names.push(name);
        }
        let Some(id) = inst.attribute("id") else {
            return Err(LoadError::Structure(
                "a secondary <instance> has no id".into(),
            ));
        };
        if secondary.iter().any(|(i, _)| i == id) {
            return Err(LoadError::Structure(format!(
                "instance id '{id}' is used twice"
            )));
        }
        let d = match (
            inst.attribute("src"),
            inst.children().find(|c| c.is_element()),
        ) {
            (Some(src), _) => external_instance(id, src, media, &mut warnings, &mut last_saved)?,
            (None, Some(r)) => Document::from_xml_element(r),
            (None, None) => Document::new(),
        };
        secondary.push((id.to_string(), Arc::new(d)));
    }
    let root_id = primary.root_element().unwrap_or(0);
    let form_id = primary
        .attribute(root_id, "id")
        .map(|a| primary.value(a).to_string())
        .unwrap_or_default();
    let version = primary
        .attribute(root_id, "version")
        .map(|a| primary.value(a).to_string());

    // Relative references outside any group resolve against the instance root, as in
    // JavaRosa (`<input ref="name">` is `/data/name`).
    let root_ctx = format!("/{}", primary.name(root_id));

    // Every generic path of the primary instance, templates included.
    let mut known_paths = HashSet::new();
    collect_paths(&primary, primary.root(), &mut known_paths);

    // Bind ids first: the body may refer to binds by id.
    let bind_els: Vec<roxmltree::Node<'_, '_>> = model
        .descendants()
        .filter(|c| c.is_element() && c.tag_name().name() == "bind")
        .collect();
    let mut bind_ids = HashMap::new();
    for b in &bind_els {
        if let (Some(id), Some(ns)) = (
            b.attribute("id"),
            b.attribute("nodeset").or_else(|| b.attribute("ref")),
        ) {
            bind_ids.insert(id.to_string(), resolve_path(&root_ctx, ns));
        }
    }

    // Body (and the setvalue actions and repeats it declares).
    let mut bp = BodyParser {
        bind_ids: &bind_ids,
        setvalues: Vec::new(),
        repeats: Vec::new(),
    };
    for sv in model
        .children()
        .filter(|c| c.is_element() && c.tag_name().name() == "setvalue")
    {
        // `odk-new-repeat` belongs to the repeat it is declared in, never the model.
        if sv
            .attribute("event")
            .is_some_and(|e| e.split_whitespace().any(|x| x == "odk-new-repeat"))
        {
            return Err(LoadError::Structure(
                "a setvalue in the model cannot use the odk-new-repeat event".into(),
            ));
        }
        bp.setvalue(sv, &root_ctx, None)?;
    }
    let body = match child(html, "body") {
        Some(b) => bp.parse_children(b, &root_ctx)?,
        None => Vec::new(),
    };
    let setvalues = std::mem::take(&mut bp.setvalues);
    let mut repeat_decls = std::mem::take(&mut bp.repeats);
    for sv in &setvalues {
        if !known_paths.contains(&sv.target) {
            return Err(LoadError::UnknownNode(sv.target.clone()));
        }
    }

    // Binds.
    let mut binds: Vec<Bind> = Vec::new();
    let mut bind_index: HashMap<String, usize> = HashMap::new();
    for b in &bind_els {
        let Some(ns) = b.attribute("nodeset").or_else(|| b.attribute("ref")) else {
            return Err(LoadError::Structure("a <bind> has no nodeset".into()));
        };
        let nodeset = resolve_path(&root_ctx, ns);
        if !known_paths.contains(&nodeset) {
            // ODK ignores a bind to a node the instance does not have.
            if !warnings
                .iter()
                .any(|w| matches!(w, LoadWarning::MissingNode { nodeset: n } if *n == nodeset))
            {
                warnings.push(LoadWarning::MissingNode { nodeset });
            }
            continue;
        }
        let idx = *bind_index.entry(nodeset.clone()).or_insert_with(|| {
            binds.push(Bind::new(&nodeset));
            binds.len() - 1
        });
        let Some(bind) = binds.get_mut(idx) else {
            continue;
        };
        let expr = |attr: &str| -> Result<Option<XPath>, LoadError> {
            match b.attribute(attr) {
                Some(src) if !src.trim().is_empty() => {
                    XPath::compile(src)
                        .map(Some)
                        .map_err(|source| LoadError::BindExpression {
                            bind: nodeset.clone(),
                            attribute: attr.to_string(),
                            expression: src.to_string(),
                            source: Box::new(source),
                        })
                }
                _ => Ok(None),
            }
        };
        if let Some(t) = b.attribute("type") {
            bind.data_type = DataType::from_xform(t);
        }
        if let Some(x) = expr("required")? {
            bind.required = Some(x);
        }
        if let Some(x) = expr("relevant")? {
            bind.relevant = Some(x);
        }
        if let Some(x) = expr("constraint")? {
            bind.constraint = Some(x);
        }
        if let Some(x) = expr("calculate")? {
            bind.calculate = Some(x);
        }
        if let Some(x) = expr("readonly")? {
            bind.readonly = Some(x);
        }
        if let Some(m) = jr_attribute(*b, "constraintMsg") {
            bind.constraint_msg = Some(parse_message(m, &nodeset)?);
        }
        if let Some(m) = jr_attribute(*b, "requiredMsg") {
            bind.required_msg = Some(parse_message(m, &nodeset)?);
        }
        if let Some(p) = jr_attribute(*b, "preload") {
            let params = jr_attribute(*b, "preloadParams").unwrap_or("").trim();
            bind.preload = match (p.trim(), params) {
                ("uid", _) => Some(Preload::Uid),
                ("timestamp", "start") => Some(Preload::Start),
                ("timestamp", "end") => Some(Preload::End),
                ("date", _) => Some(Preload::Today),
                ("property", prop) if !prop.is_empty() => Some(Preload::Property(prop.into())),
                _ => None,
            };
        }
    }

    // Repeats: take templates out of the primary instance. Templates are copied from
    // the instance as written, so a nested repeat's own `jr:template` inside its outer
    // repeat's template is still found.
    repeat_decls.sort_by_key(|(p, _, _)| p.matches('/').count());
    let original = primary.clone();
    let mut repeats: HashMap<String, RepeatDef> = HashMap::new();
    for (path, count, no_add_remove) in repeat_decls {
        if !known_paths.contains(&path) {
            return Err(LoadError::UnknownNode(path));
        }
        if repeats.contains_key(&path) {
            continue;
        }
        let template = build_template(&original, &path, &repeats);
        let next_sibling = next_sibling_name(&primary, &path);
        detach_templates(&mut primary, &path);
        repeats.insert(
            path.clone(),
            RepeatDef {
                path,
                template,
                count,
                no_add_remove,
                next_sibling,
            },
        );
    }
    // Template-marked nodes of elements no body repeat mentions are dropped too.
    strip_all_templates(&mut primary);

    let itext = match child(model, "itext") {
        Some(it) => Itext::parse(it)?,
        None => Itext::default(),
    };
    let meta_path = |leaf: &str| {
        known_paths
            .iter()
            .filter(|p| {
                let mut segs = p.rsplit('/');
                let last = segs.next().unwrap_or("");
                let parent = segs.next().unwrap_or("");
                local(last) == leaf && local(parent) == "meta"
            })
            .min_by_key(|p| p.len())
            .cloned()
    };
    let instance_name_path = meta_path("instanceName");
    let instance_id_path = meta_path("instanceID");
    // ODK gives every new instance its id at once, whether or not the form says so.
    if let Some(p) = &instance_id_path {
        let idx = *bind_index.entry(p.clone()).or_insert_with(|| {
            binds.push(Bind::new(p));
            binds.len() - 1
        });
        if let Some(b) = binds.get_mut(idx) {
            if b.preload.is_none() && b.calculate.is_none() {
                b.preload = Some(Preload::Uid);
            }
        }
    }

    Ok(FormDef {
        title,
        form_id,
        version,
        initial: primary,
        secondary_indexes: secondary
            .iter()
            .map(|_| Arc::new(crate::instance::ValueIndex::new()))
            .collect(),
        secondary,
        binds,
        bind_index,
        repeats,
        setvalues,
        body,
        itext,
        instance_name_path,
        instance_id_path,
        last_saved,
        namespaces,
        attachment_names,
        warnings,
    })
}

/// The document of an instance with a `src`: a form attachment read now, or an empty
/// one (with a warning) when the file is missing or the scheme unknown. A last-saved
/// instance starts empty; the session fills it with the previous submission.
fn external_instance(
    id: &str,
    src: &str,
    media: &dyn Attachments,
    warnings: &mut Vec<LoadWarning>,
    last_saved: &mut Option<String>,
) -> Result<Document, LoadError> {
    match crate::external::source(src) {
        Source::File { name, format } => match media.attachment(&name) {
            Some(bytes) => crate::external::read(&bytes, format)
                .map_err(|reason| LoadError::Attachment { name, reason }),
            None => {
                warnings.push(LoadWarning::MissingAttachment {
                    instance: id.to_string(),
                    name,
                });
                Ok(Document::new())
            }
        },
        Source::LastSaved => {
            *last_saved = Some(id.to_string());
            Ok(Document::new())
        }
        Source::Other => {
            warnings.push(LoadWarning::UnsupportedSource {
                instance: id.to_string(),
                src: src.to_string(),
            });
            Ok(Document::new())
        }
    }
}

/// Add `meta/instanceID` when the primary instance lacks it, as ODK does: inside the
/// existing meta element (with its prefix), else in a new `meta` element with the
/// prefix the form declares for the OpenRosa namespace.
fn ensure_instance_id(doc: &mut Document, root_el: roxmltree::Node<'_, '_>) {
    let Some(root) = doc.root_element() else {
        return;
    };
    let meta = doc
        .children(root)
        .iter()
        .copied()
        .find(|&c| local(doc.name(c)) == "meta");
    let meta = match meta {
        Some(m) => m,
        None => {
            let name = match root_el.lookup_prefix("http://openrosa.org/xforms") {
                Some(p) if !p.is_empty() => format!("{p}:meta"),
                _ => "meta".to_string(),
            };
            doc.add_element(root, &name)
        }
    };
    if doc
        .children(meta)
        .iter()
        .any(|&c| local(doc.name(c)) == "instanceID")
    {
        return;
    }
    let name = match doc.name(meta).split_once(':') {
        Some((p, _)) => format!("{p}:instanceID"),
        None => "instanceID".to_string(),
    };
    doc.add_element(meta, &name);
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

fn collect_paths(doc: &Document, node: NodeId, out: &mut HashSet<String>) {
    for &c in doc.children(node) {
        out.insert(doc.generic_path(c));
        for &a in doc.attributes(c) {
            out.insert(doc.generic_path(a));
        }
        collect_paths(doc, c, out);
    }
}

/// All attached nodes of `doc` whose generic path is `path`.
pub fn nodes_at(doc: &Document, path: &str) -> Vec<NodeId> {
    let mut set = vec![doc.root()];
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        let mut next = Vec::new();
        for n in set {
            if let Some(a) = seg.strip_prefix('@') {
                next.extend(doc.attribute(n, a));
            } else {
                next.extend_from_slice(doc.children_named(n, seg));
            }
        }
        set = next;
    }
    set
}

fn is_template(doc: &Document, n: NodeId) -> bool {
    doc.attribute(n, "jr:template").is_some()
}

/// Copy the repeat's template (the `jr:template` node, else the first instance) into its
/// own document, without nested template nodes.
fn build_template(primary: &Document, path: &str, done: &HashMap<String, RepeatDef>) -> Document {
    let mut found = nodes_at(primary, path);
    let mut source_doc = primary;
    if found.is_empty() {
        // The only copies may sit inside an outer repeat's template.
        for def in done.values() {
            let rest = path
                .strip_prefix(def.path.as_str())
                .filter(|r| r.starts_with('/'));
            if let Some(rest) = rest {
                let inner = format!("/{}{rest}", local_last(&def.path));
                let hits = nodes_at(&def.template, &inner);
                if !hits.is_empty() {
                    found = hits;
                    source_doc = &def.template;
                    break;
                }
            }
        }
    }
    let src = found
        .iter()
        .copied()
        .find(|&n| is_template(source_doc, n))
        .or_else(|| found.first().copied());
    let mut t = Document::new();
    if let Some(src) = src {
        let copy = t.copy_subtree(source_doc, src, t.root(), 0);
        t.remove_attribute(copy, "jr:template");
        strip_all_templates(&mut t);
    }
    t
}

/// The name of the first element after the last node at `path` among its siblings.
fn next_sibling_name(doc: &Document, path: &str) -> Option<String> {
    let nodes = nodes_at(doc, path);
    let last = *nodes.last()?;
    let parent = doc.parent(last)?;
    let name = doc.name(last);
    let idx = doc.child_index(last)?;
    doc.children(parent)
        .get(idx + 1..)?
        .iter()
        .find(|&&c| doc.name(c) != name)
        .map(|&c| doc.name(c).to_string())
}

fn local_last(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Detach the `jr:template` nodes at `path` from the live instance.
fn detach_templates(doc: &mut Document, path: &str) {
    for n in nodes_at(doc, path) {
        if is_template(doc, n) {
            doc.detach(n);
        }
    }
}

fn strip_all_templates(doc: &mut Document) {
    let mut stack = vec![doc.root()];
    let mut marked = Vec::new();
    while let Some(n) = stack.pop() {
        for &c in doc.children(n) {
            if is_template(doc, c) {
                marked.push(c);
            } else {
                stack.push(c);
            }
        }
    }
    for m in marked {
        doc.detach(m);
    }
}

/// Whether a generic path exists in the initial instance or in a repeat template.
pub fn path_exists(def: &FormDef, path: &str) -> bool {
    if !nodes_at(&def.initial, path).is_empty() {
        return true;
    }
    def.repeats.values().any(|r| {
        path.strip_prefix(r.path.as_str())
            .filter(|rest| rest.is_empty() || rest.starts_with('/'))
            .is_some_and(|rest| {
                let inner = format!("/{}{rest}", local_last(&r.path));
                !nodes_at(&r.template, &inner).is_empty()
            })
    })
}
