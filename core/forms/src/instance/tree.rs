//! The instance tree: an arena of element and attribute nodes.
//!
//! XForm instances are small trees whose leaves hold string values. An arena of nodes
//! addressed by index keeps node references `Copy` and stable while repeats are added
//! and removed (a removed node is detached, never reused), which the evaluator and the
//! dependency graph rely on. Element names are kept as written (`orx:meta`): forms and
//! their expressions use the same prefixes, and submissions must repeat them.

use std::collections::{HashMap, HashSet};

/// One instance document: the primary instance or a secondary one.
#[derive(Debug, Clone)]
pub struct Document {
    nodes: Vec<NodeData>,
    /// Parent -> child name -> children of that name in order. Forms put hundreds of
    /// questions under one element; a linear scan per path step made one answer of a
    /// 1,000-question form cost most of the 1 ms budget (measured 2026-11-28).
    by_name: HashMap<NodeId, HashMap<String, Vec<NodeId>>>,
    /// Nodes that expressions must read as blank: ODK evaluates a non-relevant node
    /// (and everything below it) as empty, while keeping its value for when it
    /// becomes relevant again. The session keeps this in step with relevance.
    blank: HashSet<NodeId>,
}

/// The kind of an arena node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// The document node above the root element (what `/` selects).
    Root,
    /// An element.
    Element,
    /// An attribute of an element.
    Attribute,
}

#[derive(Debug, Clone)]
struct NodeData {
    kind: NodeKind,
    name: String,
    parent: Option<u32>,
    children: Vec<u32>,
    attributes: Vec<u32>,
    value: String,
}

/// A node of one document, by index. Stable for the life of the document.
pub type NodeId = u32;

impl Default for Document {
    fn default() -> Self {
        Self::new()
    }
}

impl Document {
    /// An empty document holding only its document node.
    pub fn new() -> Document {
        Document {
            nodes: vec![NodeData {
                kind: NodeKind::Root,
                name: String::new(),
                parent: None,
                children: Vec::new(),
                attributes: Vec::new(),
                value: String::new(),
            }],
            by_name: HashMap::new(),
            blank: HashSet::new(),
        }
    }

    /// The document node (`/`).
    pub fn root(&self) -> NodeId {
        0
    }

    /// The root element (`/data`), if any.
    pub fn root_element(&self) -> Option<NodeId> {
        self.children(0).first().copied()
    }

    fn node(&self, id: NodeId) -> Option<&NodeData> {
        self.nodes.get(id as usize)
    }

    /// Kind of a node (an unknown id reads as a detached element).
    pub fn kind(&self, id: NodeId) -> NodeKind {
        self.node(id).map(|n| n.kind).unwrap_or(NodeKind::Element)
    }

    /// Name as written, with its prefix.
    pub fn name(&self, id: NodeId) -> &str {
        self.node(id).map(|n| n.name.as_str()).unwrap_or("")
    }

    /// Parent (for an attribute: its element).
    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        self.node(id).and_then(|n| n.parent)
    }

    /// Child elements in document order.
    pub fn children(&self, id: NodeId) -> &[NodeId] {
        self.node(id).map(|n| n.children.as_slice()).unwrap_or(&[])
    }

    /// Attributes in document order.
    pub fn attributes(&self, id: NodeId) -> &[NodeId] {
        self.node(id)
            .map(|n| n.attributes.as_slice())
            .unwrap_or(&[])
    }

    /// The attribute named `name` of element `id`.
    pub fn attribute(&self, id: NodeId, name: &str) -> Option<NodeId> {
        self.attributes(id)
            .iter()
            .copied()
            .find(|&a| self.name(a) == name)
    }

    /// The first child element named `name`.
    pub fn child(&self, id: NodeId, name: &str) -> Option<NodeId> {
        self.children_named(id, name).first().copied()
    }

    /// Child elements named `name`, in document order.
    pub fn children_named(&self, id: NodeId, name: &str) -> &[NodeId] {
        self.by_name
            .get(&id)
            .and_then(|m| m.get(name))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Rebuild the name index entry of `parent`/`name` from the children list.
    fn reindex(&mut self, parent: NodeId, name: &str) {
        let kids: Vec<NodeId> = self
            .children(parent)
            .iter()
            .copied()
            .filter(|&c| self.name(c) == name)
            .collect();
        let entry = self.by_name.entry(parent).or_default();
        if kids.is_empty() {
            entry.remove(name);
        } else {
            entry.insert(name.to_string(), kids);
        }
    }

    /// The node's own text (leaf value or attribute value).
    pub fn value(&self, id: NodeId) -> &str {
        self.node(id).map(|n| n.value.as_str()).unwrap_or("")
    }

    /// XPath string-value: own text for leaves and attributes, the concatenated text of
    /// all descendants for inner elements.
    pub fn string_value(&self, id: NodeId) -> String {
        let kids = self.children(id);
        if kids.is_empty() {
            return self.value(id).to_string();
        }
        let mut s = String::new();
        self.collect_text(id, &mut s);
        s
    }

    /// Mark a node as read-as-blank (or not); returns whether that changed.
    pub fn set_blank(&mut self, id: NodeId, blank: bool) -> bool {
        if blank {
            self.blank.insert(id)
        } else {
            self.blank.remove(&id)
        }
    }

    /// Whether the node or one of its ancestors reads as blank.
    pub fn is_blank(&self, id: NodeId) -> bool {
        if self.blank.is_empty() {
            return false;
        }
        let mut cur = Some(id);
        while let Some(c) = cur {
            if self.blank.contains(&c) {
                return true;
            }
            cur = self.parent(c);
        }
        false
    }

    /// The string-value expressions see: blank for non-relevant nodes, and without the
    /// text of non-relevant descendants.
    pub fn visible_string_value(&self, id: NodeId) -> String {
        if self.blank.is_empty() {
            return self.string_value(id);
        }
        if self.is_blank(id) {
            return String::new();
        }
        let mut s = String::new();
        self.collect_visible(id, &mut s);
        s
    }

    fn collect_visible(&self, id: NodeId, out: &mut String) {
        let kids = self.children(id);
        if kids.is_empty() {
            out.push_str(self.value(id));
        } else {
            for &k in kids {
                if !self.blank.contains(&k) {
                    self.collect_visible(k, out);
                }
            }
        }
    }

    fn collect_text(&self, id: NodeId, out: &mut String) {
        let kids = self.children(id);
        if kids.is_empty() {
            out.push_str(self.value(id));
        } else {
            for &k in kids {
                self.collect_text(k, out);
            }
        }
    }

    /// Whether the node is an element with no child elements.
    pub fn is_leaf(&self, id: NodeId) -> bool {
        self.kind(id) == NodeKind::Element && self.children(id).is_empty()
    }

    /// Set a leaf or attribute value. Returns whether it changed.
    pub fn set_value(&mut self, id: NodeId, value: &str) -> bool {
        match self.nodes.get_mut(id as usize) {
            Some(n) if n.value != value => {
                n.value.clear();
                n.value.push_str(value);
                true
            }
            _ => false,
        }
    }

    /// Append a new element under `parent`.
    pub fn add_element(&mut self, parent: NodeId, name: &str) -> NodeId {
        let id = self.push(NodeKind::Element, name, Some(parent));
        if let Some(p) = self.nodes.get_mut(parent as usize) {
            p.children.push(id);
        }
        self.by_name
            .entry(parent)
            .or_default()
            .entry(name.to_string())
            .or_default()
            .push(id);
        id
    }

    /// Insert a new element under `parent` at child position `index`.
    pub fn insert_element(&mut self, parent: NodeId, index: usize, name: &str) -> NodeId {
        let id = self.push(NodeKind::Element, name, Some(parent));
        if let Some(p) = self.nodes.get_mut(parent as usize) {
            let at = index.min(p.children.len());
            p.children.insert(at, id);
        }
        self.reindex(parent, name);
        id
    }

    /// Add an attribute to an element.
    pub fn add_attribute(&mut self, element: NodeId, name: &str, value: &str) -> NodeId {
        let id = self.push(NodeKind::Attribute, name, Some(element));
        if let Some(n) = self.nodes.get_mut(id as usize) {
            n.value = value.to_string();
        }
        if let Some(p) = self.nodes.get_mut(element as usize) {
            p.attributes.push(id);
        }
        id
    }

    /// Remove an attribute from its element.
    pub fn remove_attribute(&mut self, element: NodeId, name: &str) {
        if let Some(a) = self.attribute(element, name) {
            if let Some(p) = self.nodes.get_mut(element as usize) {
                p.attributes.retain(|&x| x != a);
            }
        }
    }

    fn push(&mut self, kind: NodeKind, name: &str, parent: Option<NodeId>) -> NodeId {
        let id = self.nodes.len() as NodeId;
        self.nodes.push(NodeData {
            kind,
            name: name.to_string(),
            parent,
            children: Vec::new(),
            attributes: Vec::new(),
            value: String::new(),
        });
        id
    }

    /// Detach a node (and so its subtree) from its parent.
    pub fn detach(&mut self, id: NodeId) {
        if let Some(p) = self.parent(id) {
            if let Some(pn) = self.nodes.get_mut(p as usize) {
                pn.children.retain(|&c| c != id);
            }
            let name = self.name(id).to_string();
            self.reindex(p, &name);
        }
        if let Some(n) = self.nodes.get_mut(id as usize) {
            n.parent = None;
        }
    }

    /// Deep-copy the subtree at `src` (of `from`) under `parent` at child `index`.
    pub fn copy_subtree(
        &mut self,
        from: &Document,
        src: NodeId,
        parent: NodeId,
        index: usize,
    ) -> NodeId {
        let id = self.insert_element(parent, index, from.name(src));
        self.set_value(id, from.value(src));
        for &a in from.attributes(src) {
            self.add_attribute(id, from.name(a), from.value(a));
        }
        for &c in from.children(src) {
            let at = self.children(id).len();
            self.copy_subtree(from, c, id, at);
        }
        id
    }

    /// Index of `id` among its parent's children.
    pub fn child_index(&self, id: NodeId) -> Option<usize> {
        let p = self.parent(id)?;
        self.children(p).iter().position(|&c| c == id)
    }

    /// A key that sorts nodes in document order (child positions from the root;
    /// attributes sort right after their element, before its children).
    pub fn order_key(&self, id: NodeId) -> Vec<u32> {
        let mut key = Vec::new();
        let mut cur = id;
        while let Some(p) = self.parent(cur) {
            let pos = if self.kind(cur) == NodeKind::Attribute {
                self.attributes(p)
                    .iter()
                    .position(|&a| a == cur)
                    .unwrap_or(0) as u32
            } else {
                self.attributes(p).len() as u32
                    + self.children(p).iter().position(|&c| c == cur).unwrap_or(0) as u32
            };
            key.push(pos);
            cur = p;
        }
        key.reverse();
        key
    }

    /// Whether `id` is still attached under the document node.
    pub fn is_attached(&self, id: NodeId) -> bool {
        let mut cur = id;
        loop {
            if cur == 0 {
                return true;
            }
            match self.parent(cur) {
                Some(p) => cur = p,
                None => return false,
            }
        }
    }

    /// The generic path of a node: names from the root element, no indices
    /// (`/data/members/name`); attributes as `/@name`.
    pub fn generic_path(&self, id: NodeId) -> String {
        let mut parts = Vec::new();
        let mut cur = id;
        while let Some(p) = self.parent(cur) {
            if self.kind(cur) == NodeKind::Attribute {
                parts.push(format!("@{}", self.name(cur)));
            } else {
                parts.push(self.name(cur).to_string());
            }
            cur = p;
        }
        let mut s = String::new();
        for part in parts.iter().rev() {
            s.push('/');
            s.push_str(part);
        }
        s
    }

    /// Parse an XML fragment (already checked by roxmltree) into this document under
    /// the document node, keeping element names with their prefixes.
    pub fn from_xml_element(element: roxmltree::Node<'_, '_>) -> Document {
        let mut doc = Document::new();
        doc.append_xml(0, element);
        doc
    }

    fn append_xml(&mut self, parent: NodeId, el: roxmltree::Node<'_, '_>) {
        let id = self.add_element(parent, &qualified_name(el));
        for a in el.attributes() {
            let name = match a.namespace().and_then(|ns| el.lookup_prefix(ns)) {
                Some(prefix) if !prefix.is_empty() => format!("{prefix}:{}", a.name()),
                _ => a.name().to_string(),
            };
            self.add_attribute(id, &name, a.value());
        }
        let mut has_element = false;
        for c in el.children() {
            if c.is_element() {
                has_element = true;
                self.append_xml(id, c);
            }
        }
        if !has_element {
            let text: String = el
                .children()
                .filter(|c| c.is_text())
                .filter_map(|c| c.text())
                .collect();
            self.set_value(id, text.trim());
        }
    }
}

/// `prefix:local` for a roxmltree element, using the prefix its document declares.
pub fn qualified_name(el: roxmltree::Node<'_, '_>) -> String {
    let tag = el.tag_name();
    match tag.namespace().and_then(|ns| el.lookup_prefix(ns)) {
        Some(prefix) if !prefix.is_empty() => format!("{prefix}:{}", tag.name()),
        _ => tag.name().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_and_query() {
        let mut d = Document::new();
        let data = d.add_element(0, "data");
        d.add_attribute(data, "id", "f1");
        let a = d.add_element(data, "a");
        d.set_value(a, "x");
        let g = d.add_element(data, "g");
        let b = d.add_element(g, "b");
        d.set_value(b, "y");
        assert_eq!(d.string_value(data), "xy");
        assert_eq!(d.generic_path(b), "/data/g/b");
        assert_eq!(d.child(data, "g"), Some(g));
        assert!(d.order_key(a) < d.order_key(b));
        let attr = d.attribute(data, "id").unwrap_or(0);
        assert!(d.order_key(attr) < d.order_key(a));
        d.detach(g);
        assert!(!d.is_attached(b));
        assert_eq!(d.string_value(data), "x");
    }

    #[test]
    fn copy_subtree_copies_values() {
        let mut src = Document::new();
        let r = src.add_element(0, "rep");
        let n = src.add_element(r, "name");
        src.set_value(n, "default");
        let mut dst = Document::new();
        let data = dst.add_element(0, "data");
        let copy = dst.copy_subtree(&src, r, data, 0);
        assert_eq!(dst.generic_path(copy), "/data/rep");
        assert_eq!(dst.string_value(copy), "default");
    }
}
