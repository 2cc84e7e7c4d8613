//! Instance paths: how a node of the primary instance is named outside the engine.
//!
//! Format: `/data/members[2]/name`. Every element that belongs to a repeat carries its
//! 1-based position among its same-named siblings, always (even `[1]`), so a draft key
//! never changes meaning when a second instance is added; other elements carry none.
//! Drafts persisted by the device crate use these paths as keys: changing this format
//! breaks saved drafts.

use super::tree::{Document, NodeId, NodeKind};

/// One parsed segment of an instance path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Element name (or `@name` for an attribute).
    pub name: String,
    /// 1-based position among same-named siblings.
    pub index: usize,
}

/// Split `/data/members[2]/name` into segments. `None` for anything malformed.
pub fn parse(path: &str) -> Option<Vec<Segment>> {
    let rest = path.strip_prefix('/')?;
    let mut out = Vec::new();
    for part in rest.split('/') {
        if part.is_empty() {
            return None;
        }
        let (name, index) = match part.find('[') {
            Some(b) => {
                let idx = part[b + 1..].strip_suffix(']')?.parse::<usize>().ok()?;
                if idx == 0 {
                    return None;
                }
                (&part[..b], idx)
            }
            None => (part, 1),
        };
        if name.is_empty() {
            return None;
        }
        out.push(Segment {
            name: name.to_string(),
            index,
        });
    }
    Some(out)
}

/// Strip indices: `/data/members[2]/name` -> `/data/members/name`.
pub fn generic(path: &str) -> String {
    let mut s = String::with_capacity(path.len());
    let mut skip = false;
    for c in path.chars() {
        match c {
            '[' => skip = true,
            ']' => skip = false,
            c if !skip => s.push(c),
            _ => {}
        }
    }
    s
}

/// Find the node an instance path names.
pub fn resolve(doc: &Document, path: &str) -> Option<NodeId> {
    let segs = parse(path)?;
    let mut cur = doc.root();
    for seg in segs {
        if let Some(attr) = seg.name.strip_prefix('@') {
            cur = doc.attribute(cur, attr)?;
            continue;
        }
        cur = *doc.children_named(cur, &seg.name).get(seg.index - 1)?;
    }
    Some(cur)
}

/// The instance path of `node`; `is_repeat` says which generic paths are repeats.
pub fn of(doc: &Document, node: NodeId, is_repeat: &dyn Fn(&str) -> bool) -> String {
    let mut chain = Vec::new();
    let mut cur = node;
    while let Some(p) = doc.parent(cur) {
        chain.push(cur);
        cur = p;
    }
    chain.reverse();
    let mut out = String::new();
    for id in chain {
        out.push('/');
        if doc.kind(id) == NodeKind::Attribute {
            out.push('@');
            out.push_str(doc.name(id));
            continue;
        }
        let name = doc.name(id);
        out.push_str(name);
        let generic_path = generic(&out);
        if is_repeat(&generic_path) {
            let pos = doc
                .parent(id)
                .map(|p| {
                    doc.children_named(p, name)
                        .iter()
                        .position(|&c| c == id)
                        .unwrap_or(0)
                })
                .unwrap_or(0);
            out.push_str(&format!("[{}]", pos + 1));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let mut d = Document::new();
        let data = d.add_element(0, "data");
        let m1 = d.add_element(data, "members");
        let m2 = d.add_element(data, "members");
        let n2 = d.add_element(m2, "name");
        let _n1 = d.add_element(m1, "name");
        let is_rep = |p: &str| p == "/data/members";
        let p = of(&d, n2, &is_rep);
        assert_eq!(p, "/data/members[2]/name");
        assert_eq!(resolve(&d, &p), Some(n2));
        assert_eq!(
            resolve(&d, "/data/members/name"),
            d.children(m1).first().copied()
        );
        assert_eq!(generic(&p), "/data/members/name");
        assert_eq!(resolve(&d, "/data/members[3]/name"), None);
        assert_eq!(parse("data"), None);
        assert_eq!(parse("/data//x"), None);
        assert_eq!(parse("/data/x[0]"), None);
    }
}
