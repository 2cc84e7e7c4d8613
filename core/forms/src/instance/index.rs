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
#[derive(Debug, Default)]
pub struct FieldIndex {
    /// Items by field value, each list in document order.
    pub by_value: HashMap<String, Vec<NodeId>>,
    /// Items without the field, in document order (they compare as `""` in XPath
    /// filters, ODK's empty node-set rule, but match nothing in `pulldata()`).
    pub missing: Vec<NodeId>,
}

impl FieldIndex {
    /// The items a filter `field = key` selects, in document order.
    pub fn filter(&self, key: &str) -> Vec<NodeId> {
        let mut v = self.by_value.get(key).cloned().unwrap_or_default();
        if key.is_empty() && !self.missing.is_empty() {
            v.extend_from_slice(&self.missing);
            v.sort_unstable();
        }
        v
    }
}

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
        let mut ix = FieldIndex::default();
        for &it in doc.children_named(parent, item) {
            let fields: Vec<NodeId> = match field.strip_prefix('@') {
                Some(attr) => doc.attribute(it, attr).into_iter().collect(),
                None => doc.children_named(it, field).to_vec(),
            };
            if fields.is_empty() {
                ix.missing.push(it);
            }
            for f in fields {
                let list = ix.by_value.entry(doc.string_value(f)).or_default();
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
        assert_eq!(by_kec.filter("1"), vec![items[0], items[2]]);
        assert!(by_kec.filter("3").is_empty());
        // Built once, then shared.
        let again = ix.field(&doc, root, "item", "kec").unwrap_or_default();
        assert!(Arc::ptr_eq(&by_kec, &again));
    }
}
