//! Life events as plans ("akta kelahiran first, then the KK update, then KIA and
//! BPJS"), and what to do next, computed from what is on the phone.
//!
//! Order: a step whose service requires a document that another step of the same
//! event produces (`produced_by`) comes after that step; otherwise the author's order
//! stands (a stable topological sort). Two steps that need each other's documents are
//! a cycle: an authoring error (`integrity`), never a guess. A document produced by a
//! service outside the event (the KK a citizen already holds) is a prerequisite shown
//! with the step, not a step.
//!
//! Suggestions never leave the phone: the caller passes the services whose
//! submissions were approved, with their dates, and gets the later steps of their life
//! events that are not done yet, each with a bilingual "because".

use std::collections::{BTreeMap, BTreeSet};

use crate::catalog::Catalog;
use crate::date::Date;
use crate::model::{Lang, LifeEvent, Requirement, Service, Text};

/// Why a life event cannot be planned.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LifeEventError {
    #[error("unknown life event {id:?}")]
    UnknownLifeEvent { id: String },
    #[error("life event {life_event:?}: steps need each other's documents in a cycle: {}", .services.join(" -> "))]
    Cycle {
        life_event: String,
        services: Vec<String>,
    },
}

/// A life event's services in the order a citizen does them.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan<'c> {
    pub life_event: &'c LifeEvent,
    pub steps: Vec<PlanStep<'c>>,
}

/// One step of a plan.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanStep<'c> {
    pub service: &'c Service,
    /// Why the step comes at this point, as the author wrote it.
    pub why: &'c Text,
    /// Earlier steps of this event that produce a document this one needs, in plan
    /// order.
    pub after: Vec<&'c Service>,
    /// Documents it needs that services outside this event produce: the citizen may
    /// hold them already, or get them first.
    pub documents: Vec<Prerequisite<'c>>,
}

/// A required document and the service that produces it.
#[derive(Clone, Debug, PartialEq)]
pub struct Prerequisite<'c> {
    pub requirement: &'c Requirement,
    pub service: &'c Service,
}

/// The plan of one life event.
pub fn plan<'c>(catalog: &'c Catalog, life_event_id: &str) -> Result<Plan<'c>, LifeEventError> {
    let event =
        catalog
            .life_event(life_event_id)
            .ok_or_else(|| LifeEventError::UnknownLifeEvent {
                id: life_event_id.to_owned(),
            })?;
    plan_of(catalog, event)
}

/// The plans of every life event, sorted by id.
pub fn plans(catalog: &Catalog) -> Result<Vec<Plan<'_>>, LifeEventError> {
    catalog
        .life_events()
        .map(|event| plan_of(catalog, event))
        .collect()
}

/// The life events a service is a step of, sorted by id.
pub fn events_with<'c>(catalog: &'c Catalog, service_id: &str) -> Vec<&'c LifeEvent> {
    catalog
        .life_events()
        .filter(|e| e.steps.iter().any(|s| s.service == service_id))
        .collect()
}

fn plan_of<'c>(catalog: &'c Catalog, event: &'c LifeEvent) -> Result<Plan<'c>, LifeEventError> {
    let order = order(catalog, event).map_err(|services| LifeEventError::Cycle {
        life_event: event.id.clone(),
        services,
    })?;
    let in_event: BTreeSet<&str> = event.steps.iter().map(|s| s.service.as_str()).collect();
    let mut steps = Vec::with_capacity(order.len());
    for index in order {
        let step = &event.steps[index];
        let Some(service) = catalog.service(&step.service) else {
            continue;
        };
        let mut after: Vec<&Service> = Vec::new();
        let mut documents = Vec::new();
        for requirement in &service.requirements {
            let Some(producer) = requirement
                .produced_by
                .as_deref()
                .and_then(|id| catalog.service(id))
            else {
                continue;
            };
            if producer.id == service.id {
                continue;
            }
            if in_event.contains(producer.id.as_str()) {
                if !after.iter().any(|s| s.id == producer.id) {
                    after.push(producer);
                }
            } else {
                documents.push(Prerequisite {
                    requirement,
                    service: producer,
                });
            }
        }
        steps.push(PlanStep {
            service,
            why: &step.why,
            after,
            documents,
        });
    }
    // Earlier steps in plan order, whatever order the requirements are written in.
    let position: Vec<&str> = steps.iter().map(|s| s.service.id.as_str()).collect();
    for step in &mut steps {
        step.after
            .sort_by_key(|s| position.iter().position(|id| *id == s.id));
    }
    Ok(Plan {
        life_event: event,
        steps,
    })
}

/// The step indexes of `event` in plan order, or the services of a cycle, producers
/// first, starting and ending with the same service.
pub(crate) fn order(catalog: &Catalog, event: &LifeEvent) -> Result<Vec<usize>, Vec<String>> {
    let n = event.steps.len();
    // needs[j]: the steps whose service produces a document step j requires.
    let mut needs: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
    for (j, step) in event.steps.iter().enumerate() {
        let Some(service) = catalog.service(&step.service) else {
            continue;
        };
        for produced_by in service
            .requirements
            .iter()
            .filter_map(|r| r.produced_by.as_deref())
        {
            for (i, other) in event.steps.iter().enumerate() {
                if i != j && other.service == produced_by && other.service != step.service {
                    needs[j].insert(i);
                }
            }
        }
    }
    let mut placed = vec![false; n];
    let mut order = Vec::with_capacity(n);
    while order.len() < n {
        let next = (0..n).find(|&j| !placed[j] && needs[j].iter().all(|&i| placed[i]));
        match next {
            Some(j) => {
                placed[j] = true;
                order.push(j);
            }
            None => return Err(cycle(event, &needs, &placed)),
        }
    }
    Ok(order)
}

/// Follows unplaced prerequisites from the first unplaced step until one repeats.
fn cycle(event: &LifeEvent, needs: &[BTreeSet<usize>], placed: &[bool]) -> Vec<String> {
    let Some(start) = (0..placed.len()).find(|&j| !placed[j]) else {
        return Vec::new();
    };
    let mut path = vec![start];
    let mut current = start;
    // Every unplaced step has an unplaced prerequisite, or it would have been placed.
    while let Some(&previous) = needs[current].iter().find(|&&i| !placed[i]) {
        if let Some(at) = path.iter().position(|&p| p == previous) {
            // path[k + 1] produces for path[k]: read backwards, producers come first.
            let mut services = vec![event.steps[previous].service.clone()];
            services.extend(
                path[at..]
                    .iter()
                    .rev()
                    .map(|&i| event.steps[i].service.clone()),
            );
            return services;
        }
        path.push(previous);
        current = previous;
    }
    path.iter()
        .map(|&i| event.steps[i].service.clone())
        .collect()
}

/// A service whose submission was approved, as the phone's status timeline knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletedService {
    pub service_id: String,
    pub approved_on: Date,
}

/// A next step for the citizen, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion<'c> {
    pub service: &'c Service,
    pub life_event: &'c LifeEvent,
    /// The completed service that led to it.
    pub after: &'c Service,
    pub approved_on: Date,
    /// Earlier steps of the event this one needs that are not done yet (empty: it can
    /// be started now).
    pub waiting_for: Vec<&'c Service>,
    /// Names the completed service, its date and the life event.
    pub because: Text,
}

/// The later steps of the life events of the services done, not done yet; the most
/// recently approved first, then by life event id and plan order; each service once.
pub fn suggestions<'c>(catalog: &'c Catalog, done: &[CompletedService]) -> Vec<Suggestion<'c>> {
    // The latest approval of each service the catalog knows.
    let mut latest: BTreeMap<&str, Date> = BTreeMap::new();
    for completed in done {
        if catalog.service(&completed.service_id).is_some() {
            let entry = latest
                .entry(completed.service_id.as_str())
                .or_insert(completed.approved_on);
            *entry = (*entry).max(completed.approved_on);
        }
    }
    let mut completions: Vec<(&str, Date)> = latest.iter().map(|(id, date)| (*id, *date)).collect();
    completions.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));

    let mut out: Vec<Suggestion<'c>> = Vec::new();
    for (done_id, approved_on) in completions {
        let Some(after) = catalog.service(done_id) else {
            continue;
        };
        for event in events_with(catalog, done_id) {
            let Ok(plan) = plan_of(catalog, event) else {
                continue;
            };
            let Some(position) = plan.steps.iter().position(|s| s.service.id == done_id) else {
                continue;
            };
            for step in &plan.steps[position + 1..] {
                let id = step.service.id.as_str();
                if latest.contains_key(id) || out.iter().any(|s| s.service.id == id) {
                    continue;
                }
                let waiting_for = step
                    .after
                    .iter()
                    .filter(|s| !latest.contains_key(s.id.as_str()))
                    .copied()
                    .collect();
                out.push(Suggestion {
                    service: step.service,
                    life_event: event,
                    after,
                    approved_on,
                    waiting_for,
                    because: because(after, approved_on, event, step),
                });
            }
        }
    }
    out
}

fn because(after: &Service, approved_on: Date, event: &LifeEvent, step: &PlanStep<'_>) -> Text {
    let say = |lang: Lang, template: fn(&str, &str, &str, &str, &str) -> String| {
        template(
            after.title.get(lang),
            &approved_on.long(lang),
            event.title.get(lang),
            step.service.title.get(lang),
            step.why.get(lang),
        )
    };
    Text {
        id: say(Lang::Id, |done, date, event, next, why| {
            format!("{done} sudah disetujui pada {date}. Dalam \"{event}\", langkah berikutnya adalah {next}. {why}")
        }),
        en: say(Lang::En, |done, date, event, next, why| {
            format!("{done} was approved on {date}. In \"{event}\", a next step is {next}. {why}")
        }),
    }
}
