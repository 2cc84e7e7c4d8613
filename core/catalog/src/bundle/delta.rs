//! What changed between two catalogs, record by record: the content of a delta bundle
//! on the server, and on the phone the list of rows its store and search index must
//! update after a bundle was applied. One comparison for both, so they agree.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, Records};

/// The ids of the records added or changed, and of those removed, for one kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordChanges {
    #[serde(default)]
    pub upserted: Vec<String>,
    #[serde(default)]
    pub removed: Vec<String>,
}

impl RecordChanges {
    pub fn is_empty(&self) -> bool {
        self.upserted.is_empty() && self.removed.is_empty()
    }
}

/// What changed, per kind of record; ids sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changes {
    #[serde(default)]
    pub services: RecordChanges,
    #[serde(default)]
    pub agencies: RecordChanges,
    #[serde(default)]
    pub offices: RecordChanges,
    #[serde(default)]
    pub life_events: RecordChanges,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.services.is_empty()
            && self.agencies.is_empty()
            && self.offices.is_empty()
            && self.life_events.is_empty()
    }
}

/// The ids a delta removes, per kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovedIds {
    #[serde(default)]
    pub services: Vec<String>,
    #[serde(default)]
    pub agencies: Vec<String>,
    #[serde(default)]
    pub offices: Vec<String>,
    #[serde(default)]
    pub life_events: Vec<String>,
}

impl RemovedIds {
    pub fn is_empty(&self) -> bool {
        self.services.is_empty()
            && self.agencies.is_empty()
            && self.offices.is_empty()
            && self.life_events.is_empty()
    }
}

/// The changes from `old` to `new`.
pub fn diff(old: &Catalog, new: &Catalog) -> Changes {
    Changes {
        services: diff_map(&old.services, &new.services),
        agencies: diff_map(&old.agencies, &new.agencies),
        offices: diff_map(&old.offices, &new.offices),
        life_events: diff_map(&old.life_events, &new.life_events),
    }
}

fn diff_map<R: PartialEq>(old: &BTreeMap<String, R>, new: &BTreeMap<String, R>) -> RecordChanges {
    RecordChanges {
        upserted: new
            .iter()
            .filter(|(id, record)| old.get(*id) != Some(*record))
            .map(|(id, _)| id.clone())
            .collect(),
        removed: old
            .keys()
            .filter(|id| !new.contains_key(*id))
            .cloned()
            .collect(),
    }
}

/// The records a delta carries for `changes` (taken from `new`), and its removals.
pub(super) fn delta_content(new: &Catalog, changes: &Changes) -> (Records, RemovedIds) {
    let records = Records {
        services: changes
            .services
            .upserted
            .iter()
            .filter_map(|id| new.services.get(id).cloned())
            .collect(),
        agencies: changes
            .agencies
            .upserted
            .iter()
            .filter_map(|id| new.agencies.get(id).cloned())
            .collect(),
        offices: changes
            .offices
            .upserted
            .iter()
            .filter_map(|id| new.offices.get(id).cloned())
            .collect(),
        life_events: changes
            .life_events
            .upserted
            .iter()
            .filter_map(|id| new.life_events.get(id).cloned())
            .collect(),
    };
    let removed = RemovedIds {
        services: changes.services.removed.clone(),
        agencies: changes.agencies.removed.clone(),
        offices: changes.offices.removed.clone(),
        life_events: changes.life_events.removed.clone(),
    };
    (records, removed)
}
