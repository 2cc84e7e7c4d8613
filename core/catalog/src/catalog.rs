//! The catalog as a whole: every record by id, and the sequence of the last bundle
//! applied. A `Catalog` is only ever built checked ([`Catalog::from_records`],
//! [`Catalog::restore`], a verified bundle, or the authoring loader), so code that
//! reads one can follow its references without checking them again.

use std::collections::btree_map::{BTreeMap, Entry};

use serde::{Deserialize, Serialize};

use crate::integrity::{self, Broken};
use crate::model::{Agency, LifeEvent, Office, RecordKind, Service};
use crate::problem::Problem;

/// Every record of a catalog as lists: the form records travel in (bundles) and are
/// stored in (the phone's tables).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Records {
    #[serde(default)]
    pub services: Vec<Service>,
    #[serde(default)]
    pub agencies: Vec<Agency>,
    #[serde(default)]
    pub offices: Vec<Office>,
    #[serde(default)]
    pub life_events: Vec<LifeEvent>,
}

impl Records {
    pub fn is_empty(&self) -> bool {
        self.services.is_empty()
            && self.agencies.is_empty()
            && self.offices.is_empty()
            && self.life_events.is_empty()
    }
}

/// The service catalog, checked: every reference resolves.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Catalog {
    sequence: u64,
    pub(crate) services: BTreeMap<String, Service>,
    pub(crate) agencies: BTreeMap<String, Agency>,
    pub(crate) offices: BTreeMap<String, Office>,
    pub(crate) life_events: BTreeMap<String, LifeEvent>,
}

impl Catalog {
    /// An empty catalog at sequence 0: what a phone has before its first bundle.
    pub fn new() -> Catalog {
        Catalog::default()
    }

    /// A catalog of these records at sequence 0, if they are consistent. The server
    /// builds the catalogs it publishes this way (or with `authoring::load`).
    pub fn from_records(records: Records) -> Result<Catalog, Vec<Broken>> {
        Catalog::restore(0, records)
    }

    /// A catalog the phone stored earlier at `sequence`, checked again.
    pub fn restore(sequence: u64, records: Records) -> Result<Catalog, Vec<Broken>> {
        let (mut catalog, mut broken) = Catalog::collect(records);
        catalog.sequence = sequence;
        broken.extend(integrity::check(&catalog));
        if broken.is_empty() {
            Ok(catalog)
        } else {
            Err(broken)
        }
    }

    /// The records by id, unchecked, with a [`Problem::Duplicate`] for each repeat.
    pub(crate) fn collect(records: Records) -> (Catalog, Vec<Broken>) {
        let mut catalog = Catalog::new();
        let mut broken = Vec::new();
        insert_all(
            &mut catalog.services,
            records.services,
            RecordKind::Service,
            |r| &r.id,
            &mut broken,
        );
        insert_all(
            &mut catalog.agencies,
            records.agencies,
            RecordKind::Agency,
            |r| &r.id,
            &mut broken,
        );
        insert_all(
            &mut catalog.offices,
            records.offices,
            RecordKind::Office,
            |r| &r.id,
            &mut broken,
        );
        insert_all(
            &mut catalog.life_events,
            records.life_events,
            RecordKind::LifeEvent,
            |r| &r.id,
            &mut broken,
        );
        (catalog, broken)
    }

    pub(crate) fn set_sequence(&mut self, sequence: u64) {
        self.sequence = sequence;
    }

    /// The sequence of the last bundle applied (0: none yet). The server raises it on
    /// every published change; the phone never goes back to a lower one.
    pub fn sequence(&self) -> u64 {
        self.sequence
    }

    /// Every record, sorted by id within each kind.
    pub fn to_records(&self) -> Records {
        Records {
            services: self.services.values().cloned().collect(),
            agencies: self.agencies.values().cloned().collect(),
            offices: self.offices.values().cloned().collect(),
            life_events: self.life_events.values().cloned().collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.services.is_empty()
            && self.agencies.is_empty()
            && self.offices.is_empty()
            && self.life_events.is_empty()
    }

    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.get(id)
    }

    pub fn agency(&self, id: &str) -> Option<&Agency> {
        self.agencies.get(id)
    }

    pub fn office(&self, id: &str) -> Option<&Office> {
        self.offices.get(id)
    }

    pub fn life_event(&self, id: &str) -> Option<&LifeEvent> {
        self.life_events.get(id)
    }

    /// Services sorted by id.
    pub fn services(&self) -> impl ExactSizeIterator<Item = &Service> {
        self.services.values()
    }

    /// Agencies sorted by id.
    pub fn agencies(&self) -> impl ExactSizeIterator<Item = &Agency> {
        self.agencies.values()
    }

    /// Offices sorted by id.
    pub fn offices(&self) -> impl ExactSizeIterator<Item = &Office> {
        self.offices.values()
    }

    /// Life events sorted by id.
    pub fn life_events(&self) -> impl ExactSizeIterator<Item = &LifeEvent> {
        self.life_events.values()
    }

    /// The offices of one agency, sorted by id.
    pub fn offices_of<'a>(&'a self, agency: &'a str) -> impl Iterator<Item = &'a Office> + 'a {
        self.offices.values().filter(move |o| o.agency == agency)
    }

    /// The offices where a service is delivered in person: those its office channels
    /// list, or every office of its agency when a channel says "any office".
    pub fn offices_for<'a>(&'a self, service: &Service) -> Vec<&'a Office> {
        let mut offices: Vec<&Office> = service
            .office_ids()
            .into_iter()
            .filter_map(|id| self.office(id))
            .collect();
        if service.served_at_any_office() {
            for office in self.offices.values().filter(|o| o.agency == service.agency) {
                if !offices.iter().any(|o| o.id == office.id) {
                    offices.push(office);
                }
            }
        }
        offices
    }
}

fn insert_all<R>(
    map: &mut BTreeMap<String, R>,
    records: Vec<R>,
    kind: RecordKind,
    id_of: impl Fn(&R) -> &String,
    broken: &mut Vec<Broken>,
) {
    for record in records {
        match map.entry(id_of(&record).clone()) {
            Entry::Occupied(taken) => broken.push(Broken {
                kind,
                id: taken.key().clone(),
                field: "id".into(),
                problem: Problem::Duplicate {
                    id: taken.key().clone(),
                },
            }),
            Entry::Vacant(free) => {
                free.insert(record);
            }
        }
    }
}
