//! Value indexes over a secondary instance, so that a choice filter or `pulldata()` on a
//! large list (`instance('desa')/root/item[kec = /data/kec]`, 10,000 rows) costs a hash
//! lookup per keystroke instead of a scan of every row.
//!
//! An index is built on first use for one (list element, item name, field name) and
//! kept for the life of the form: secondary instances from the form or its attachments
//! never change once loaded, and the index is shared by every session of the form. It
//! must never be used for the primary instance, which answers change.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use super::{Document, NodeId};

/// Items of one list by the string value of one of their fields.
pub type FieldIndex = HashMap<String, Vec<NodeId>>;

type Key = (NodeId, String, String);

/// The lazily built indexes of one secondary instance.
#[derive(Debug, Default)]
pub struct ValueIndex {
    built: RwLock<HashMap<Key, Arc<FieldIndex>>>,
}

impl ValueIndex {
    /// An empty set of indexes.
    pub fn new() -> ValueIndex {
        ValueIndex::default()
    }

    /// The `item` children of `parent` in `doc`, by the value of their `field` child
    /// (or attribute, `@name`), in document order. `None` only if the lock was poisoned (the caller then scans).
    pub fn field(
        &self,
        doc: &Document,
        parent: NodeId,
        item: &str,
        field: &str,
    ) -> Option<Arc<FieldIndex>> {
        let key = (parent, item.to_string(), field.to_string());
        if let Some(ix) = self.built.read().ok()?.get(&key) {
            return Some(Arc::clone(ix));
        }
        let mut ix: FieldIndex = HashMap::new();
        for &it in doc.children_named(parent, item) {
            let fields: Vec<NodeId> = match field.strip_prefix('@') {
                Some(attr) => doc.attribute(it, attr).into_iter().collect(),
                None => doc.children_named(it, field).to_vec(),
            };
            for f in fields {
                let list = ix.entry(doc.string_value(f)).or_default();
                if list.last() != Some(&it) {
                    list.push(it);
                }
            }
        }
        let ix = Arc::new(ix);
        self.built.write().ok()?.insert(key, Arc::clone(&ix));
        Some(ix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_by_field_value() {
        let doc =
            crate::external::csv::to_document(b"name,kec\na,1\nb,2\nc,1\n").unwrap_or_default();
        let root = doc.root_element().unwrap_or(0);
        let ix = ValueIndex::new();
        let by_kec = ix.field(&doc, root, "item", "kec").unwrap_or_default();
        let items = doc.children_named(root, "item");
        assert_eq!(by_kec.get("1"), Some(&vec![items[0], items[2]]));
        assert_eq!(by_kec.get("3"), None);
        // Built once, then shared.
        let again = ix.field(&doc, root, "item", "kec").unwrap_or_default();
        assert!(Arc::ptr_eq(&by_kec, &again));
    }
}
