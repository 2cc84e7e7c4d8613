//! The rules a whole catalog must keep, checked on the records: ids, references
//! between records, the shape of each field the types cannot enforce, and life events
//! without cycles.
//!
//! One rule set for both ends: the authoring loader runs it (and maps each finding to
//! a file and field), and the phone runs it on the copy a bundle produced before
//! swapping it in, so a delta can never leave a reference dangling.

use std::collections::BTreeSet;
use std::fmt;

use crate::catalog::Catalog;
use crate::life_events;
use crate::model::{
    is_valid_id, is_valid_region_code, Agency, Channel, LifeEvent, Office, RecordKind, Service,
    Text,
};
use crate::problem::Problem;

/// One broken rule, located by record and field (`requirements[1].produced_by`,
/// indexes from 0 as in the file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Broken {
    pub kind: RecordKind,
    pub id: String,
    pub field: String,
    pub problem: Problem,
}

impl fmt::Display for Broken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {:?}: {}: {}",
            self.kind, self.id, self.field, self.problem
        )
    }
}

/// Every broken rule of `catalog` (empty when it is consistent).
pub fn check(catalog: &Catalog) -> Vec<Broken> {
    let mut out = Vec::new();
    for service in catalog.services() {
        let mut at = Findings::new(RecordKind::Service, &service.id, &mut out);
        check_service(catalog, service, &mut at);
    }
    for agency in catalog.agencies() {
        check_agency(
            agency,
            &mut Findings::new(RecordKind::Agency, &agency.id, &mut out),
        );
    }
    for office in catalog.offices() {
        check_office(
            catalog,
            office,
            &mut Findings::new(RecordKind::Office, &office.id, &mut out),
        );
    }
    for event in catalog.life_events() {
        let mut at = Findings::new(RecordKind::LifeEvent, &event.id, &mut out);
        check_life_event(catalog, event, &mut at);
    }
    out
}

/// Findings about one record.
struct Findings<'a> {
    kind: RecordKind,
    id: &'a str,
    out: &'a mut Vec<Broken>,
}

impl<'a> Findings<'a> {
    fn new(kind: RecordKind, id: &'a str, out: &'a mut Vec<Broken>) -> Self {
        Findings { kind, id, out }
    }

    fn push(&mut self, field: impl Into<String>, problem: Problem) {
        self.out.push(Broken {
            kind: self.kind,
            id: self.id.to_owned(),
            field: field.into(),
            problem,
        });
    }

    fn id(&mut self) {
        if !is_valid_id(self.id) {
            let id = self.id.to_owned();
            self.push("id", Problem::InvalidId { id });
        }
    }

    fn text(&mut self, field: &str, text: &Text) {
        for (lang, value) in [("id", &text.id), ("en", &text.en)] {
            self.filled(&format!("{field}.{lang}"), value);
        }
    }

    fn filled(&mut self, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.push(field, Problem::Missing);
        }
    }

    fn url(&mut self, field: &str, value: &str) {
        if !is_url(value) {
            self.push(
                field,
                Problem::InvalidUrl {
                    value: value.to_owned(),
                },
            );
        }
    }

    fn reference(&mut self, field: impl Into<String>, kind: RecordKind, id: &str, exists: bool) {
        if !exists {
            self.push(
                field,
                Problem::UnknownReference {
                    kind,
                    id: id.to_owned(),
                },
            );
        }
    }
}

/// An absolute http(s) URL with a host and no spaces.
pub(crate) fn is_url(value: &str) -> bool {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    matches!(rest, Some(rest) if !rest.is_empty() && !rest.starts_with('/'))
        && !value.chars().any(char::is_whitespace)
}

fn check_service(catalog: &Catalog, service: &Service, at: &mut Findings<'_>) {
    at.id();
    if service.version < 1 {
        at.push("version", Problem::TooSmall { min: 1 });
    }
    at.reference(
        "agency",
        RecordKind::Agency,
        &service.agency,
        catalog.agency(&service.agency).is_some(),
    );
    for (i, event_id) in service.life_events.iter().enumerate() {
        match catalog.life_event(event_id) {
            None => at.reference(
                format!("life_events[{i}]"),
                RecordKind::LifeEvent,
                event_id,
                false,
            ),
            Some(event) if !event.steps.iter().any(|s| s.service == service.id) => {
                at.push(
                    format!("life_events[{i}]"),
                    Problem::NotAStep {
                        life_event: event_id.clone(),
                    },
                );
            }
            Some(_) => {}
        }
    }
    if let Some(form_id) = &service.form_id {
        at.filled("form_id", form_id);
    }
    if service.sla_working_days == Some(0) {
        at.push("sla_working_days", Problem::TooSmall { min: 1 });
    }
    for (i, keyword) in service.keywords.iter().enumerate() {
        at.filled(&format!("keywords[{i}]"), keyword);
    }
    at.text("title", &service.title);
    at.text("summary", &service.summary);
    at.text("audience", &service.audience);
    if service.requirements.is_empty() {
        at.push("requirements", Problem::Empty);
    }
    for (i, requirement) in service.requirements.iter().enumerate() {
        at.text(&format!("requirements[{i}]"), &requirement.text);
        if let Some(producer) = &requirement.produced_by {
            let exists = catalog.service(producer).is_some();
            at.reference(
                format!("requirements[{i}].produced_by"),
                RecordKind::Service,
                producer,
                exists,
            );
        }
    }
    if let Some(note) = &service.fee.note {
        at.text("fee.note", note);
    }
    for (i, basis) in service.legal_basis.iter().enumerate() {
        at.filled(&format!("legal_basis[{i}].title"), &basis.title);
        if let Some(url) = &basis.url {
            at.url(&format!("legal_basis[{i}].url"), url);
        }
    }
    if service.channels.is_empty() {
        at.push("channels", Problem::Empty);
    }
    for (i, channel) in service.channels.iter().enumerate() {
        match channel {
            Channel::Online if service.form_id.is_none() => {
                at.push(format!("channels[{i}].kind"), Problem::OnlineWithoutForm);
            }
            Channel::Online => {}
            Channel::Office { offices } => {
                for (j, office) in offices.iter().enumerate() {
                    let exists = catalog.office(office).is_some();
                    at.reference(
                        format!("channels[{i}].offices[{j}]"),
                        RecordKind::Office,
                        office,
                        exists,
                    );
                }
            }
            Channel::Website { url } => at.url(&format!("channels[{i}].url"), url),
        }
    }
    if service.sources.is_empty() {
        at.push("sources", Problem::NoSource);
    }
    for (i, source) in service.sources.iter().enumerate() {
        at.filled(&format!("sources[{i}].title"), &source.title);
        at.url(&format!("sources[{i}].url"), &source.url);
    }
}

fn check_agency(agency: &Agency, at: &mut Findings<'_>) {
    at.id();
    at.text("name", &agency.name);
    if let Some(website) = &agency.website {
        at.url("website", website);
    }
}

fn check_office(catalog: &Catalog, office: &Office, at: &mut Findings<'_>) {
    at.id();
    at.reference(
        "agency",
        RecordKind::Agency,
        &office.agency,
        catalog.agency(&office.agency).is_some(),
    );
    at.filled("name.id", &office.name.id);
    if let Some(en) = &office.name.en {
        at.filled("name.en", en);
    }
    at.filled("address", &office.address);
    if !is_valid_region_code(&office.region_code) {
        at.push(
            "region_code",
            Problem::InvalidRegionCode {
                value: office.region_code.clone(),
            },
        );
    }
    at.filled("opening_hours", &office.opening_hours);
    if let Some(point) = office.location {
        if !point.is_valid() {
            at.push(
                "lat",
                Problem::OutOfRange {
                    value: format!("{}, {}", point.lat, point.lon),
                    range: "lat -90..90, lon -180..180",
                },
            );
        }
    }
    if let Some(phone) = &office.phone {
        at.filled("phone", phone);
    }
    at.url("source", &office.source);
}

fn check_life_event(catalog: &Catalog, event: &LifeEvent, at: &mut Findings<'_>) {
    at.id();
    at.text("title", &event.title);
    at.text("summary", &event.summary);
    if event.steps.is_empty() {
        at.push("steps", Problem::Empty);
    }
    let mut seen = BTreeSet::new();
    for (i, step) in event.steps.iter().enumerate() {
        let field = format!("steps[{i}].service");
        match catalog.service(&step.service) {
            None => at.reference(field.clone(), RecordKind::Service, &step.service, false),
            Some(service) if !service.life_events.contains(&event.id) => {
                at.push(
                    field.clone(),
                    Problem::StepNotListed {
                        service: step.service.clone(),
                    },
                );
            }
            Some(_) => {}
        }
        if !seen.insert(step.service.as_str()) {
            at.push(
                field,
                Problem::Duplicate {
                    id: step.service.clone(),
                },
            );
        }
        at.text(&format!("steps[{i}].why"), &step.why);
    }
    if let Err(services) = life_events::order(catalog, event) {
        at.push("steps", Problem::Cycle { services });
    }
}
