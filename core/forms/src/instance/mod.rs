//! Instance data: the trees that expressions read and answers write.
//!
//! A [`Forest`] holds the primary instance (document 0) and the form's secondary
//! instances (choice lists), addressed by [`NodeRef`]. It must stay free of form logic:
//! binds, relevance and types live in the session.

pub mod index;
pub mod path;
pub mod tree;

pub use index::ValueIndex;

use std::sync::Arc;

pub use tree::{Document, NodeId, NodeKind};

/// A node of one of the forest's documents. `Copy` so node-sets are cheap vectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeRef {
    /// Document index: 0 is the primary instance.
    pub doc: u32,
    /// Node within that document.
    pub node: NodeId,
}

impl NodeRef {
    /// A node of the primary instance.
    pub fn primary(node: NodeId) -> NodeRef {
        NodeRef { doc: 0, node }
    }
}

/// The primary instance plus the secondary instances, by id.
#[derive(Debug, Clone)]
pub struct Forest {
    /// Secondary instances are shared with the form (a 10,000-row list is not copied
    /// per session); the primary one is owned (`Arc::make_mut` never copies it).
    docs: Vec<Arc<Document>>,
    /// Lookup indexes of the secondary instances (the primary's slot is unused).
    indexes: Vec<Arc<ValueIndex>>,
    ids: Vec<Option<String>>,
}

impl Forest {
    /// A forest whose primary instance is `primary`.
    pub fn new(primary: Document) -> Forest {
        Forest {
            docs: vec![Arc::new(primary)],
            indexes: vec![Arc::new(ValueIndex::new())],
            ids: vec![None],
        }
    }

    /// Add a secondary instance named `id`.
    pub fn add_secondary(&mut self, id: &str, doc: Document) {
        self.add_shared(id, Arc::new(doc));
    }

    /// Add a secondary instance named `id` without copying it.
    pub fn add_shared(&mut self, id: &str, doc: Arc<Document>) {
        self.add_indexed(id, doc, Arc::new(ValueIndex::new()));
    }

    /// Add a secondary instance with indexes shared with other sessions of the form.
    pub fn add_indexed(&mut self, id: &str, doc: Arc<Document>, index: Arc<ValueIndex>) {
        self.docs.push(doc);
        self.indexes.push(index);
        self.ids.push(Some(id.to_string()));
    }

    /// The lookup index of secondary document `index` (`None` for the primary).
    pub fn index(&self, index: u32) -> Option<&ValueIndex> {
        if index == 0 {
            return None;
        }
        self.indexes.get(index as usize).map(|i| &**i)
    }

    /// Replace the secondary instance `id` (e.g. `last-saved` for one session).
    pub fn replace_secondary(&mut self, id: &str, doc: Arc<Document>) {
        match self.secondary_index(id) {
            Some(i) => {
                if let Some(slot) = self.docs.get_mut(i as usize) {
                    *slot = doc;
                }
                if let Some(slot) = self.indexes.get_mut(i as usize) {
                    *slot = Arc::new(ValueIndex::new());
                }
            }
            None => self.add_shared(id, doc),
        }
    }

    /// The primary instance.
    pub fn primary(&self) -> &Document {
        &self.docs[0]
    }

    /// The primary instance, for writing answers.
    pub fn primary_mut(&mut self) -> &mut Document {
        Arc::make_mut(&mut self.docs[0])
    }

    /// A document by index (the primary for an unknown index).
    pub fn doc(&self, index: u32) -> &Document {
        self.docs.get(index as usize).unwrap_or(&self.docs[0])
    }

    /// The document index of the secondary instance `id`.
    pub fn secondary_index(&self, id: &str) -> Option<u32> {
        self.ids
            .iter()
            .position(|i| i.as_deref() == Some(id))
            .map(|p| p as u32)
    }
}
