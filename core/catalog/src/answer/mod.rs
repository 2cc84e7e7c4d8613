//! Questions answered offline by retrieval, nothing invented: "apa syarat bikin KTP
//! kalau hilang?", "berapa biaya paspor?", "di mana kantor Disdukcapil terdekat?".
//!
//! The caller searches first (core/search) and passes the question with the ranked
//! service ids it found; this module stays independent of the search crate. It reads
//! what the question asks ([`intent`]) and returns the quoted fields of one service
//! record (requirements, fee with its note, offices with address and hours, the
//! nearest one when the caller gives a location, expected time, legal basis, how to
//! apply) with the record's sources, id and version. When the question names no
//! service it cannot tell which one is meant and says so: [`Answer::Unknown`] with the
//! closest services.

pub mod intent;
mod render;

pub use self::intent::{detect, Intent};
pub use self::render::render;
use crate::catalog::Catalog;
use crate::model::{
    Agency, Channel, Fee, GeoPoint, LegalBasis, Office, Requirement, Service, Source, Text,
};

/// Where the citizen is, if the app knows.
#[derive(Clone, Debug, PartialEq)]
pub enum Near {
    /// A position (from the phone's location service).
    Point(GeoPoint),
    /// A Kemendagri regency/city code (`"33.05"`), e.g. from the citizen's profile.
    Region(String),
}

/// A question and what search found for it.
#[derive(Clone, Copy, Debug)]
pub struct Question<'q> {
    pub text: &'q str,
    /// Service ids, best first, as the search ranked them.
    pub candidates: &'q [String],
    pub near: Option<&'q Near>,
}

/// How many services an unknown answer offers.
const CLOSEST: usize = 3;

/// The answer, borrowing from the catalog.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer<'c> {
    /// Fields of one service record.
    Service(ServiceAnswer<'c>),
    /// The offices of an agency the question names ("kantor Disdukcapil terdekat").
    AgencyOffices {
        agency: &'c Agency,
        offices: Offices<'c>,
    },
    /// Nothing fits: the question names no service, or search found none.
    Unknown { closest: Vec<&'c Service> },
}

/// The parts of one service record that answer the question.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceAnswer<'c> {
    pub service: &'c Service,
    /// What was asked; empty means an overview.
    pub intents: Vec<Intent>,
    pub parts: Vec<Part<'c>>,
    /// Where the record's content comes from; always shown with it.
    pub sources: &'c [Source],
}

/// One quoted field of a service record.
#[derive(Clone, Debug, PartialEq)]
pub enum Part<'c> {
    /// What the service is and who it is for (when the question asks nothing specific).
    Overview {
        summary: &'c Text,
        audience: &'c Text,
    },
    Requirements(Vec<RequirementAnswer<'c>>),
    Fee(&'c Fee),
    Offices(Offices<'c>),
    /// The expected time; `None` when the record states none.
    Time {
        sla_working_days: Option<u32>,
    },
    /// Empty when the record names no regulation.
    LegalBasis(&'c [LegalBasis]),
    HowToApply {
        summary: &'c Text,
        channels: &'c [Channel],
        form_id: Option<&'c str>,
    },
}

/// A requirement and the service that produces the document, if the catalog has it.
#[derive(Clone, Debug, PartialEq)]
pub struct RequirementAnswer<'c> {
    pub requirement: &'c Requirement,
    pub produced_by: Option<&'c Service>,
}

/// Offices, nearest first when the caller gave a location.
#[derive(Clone, Debug, PartialEq)]
pub struct Offices<'c> {
    pub agency: Option<&'c Agency>,
    pub offices: Vec<OfficeAnswer<'c>>,
    /// The nearest office, when a location was given and one could be told.
    pub nearest: Option<&'c Office>,
    /// The record says "any office of the agency" (the list holds those the catalog
    /// knows, which may be none).
    pub any_office_of_agency: bool,
}

/// One office with its distance from the citizen, when known.
#[derive(Clone, Debug, PartialEq)]
pub struct OfficeAnswer<'c> {
    pub office: &'c Office,
    pub distance_km: Option<f64>,
}

/// Answers `question` from `catalog`.
pub fn answer<'c>(catalog: &'c Catalog, question: Question<'_>) -> Answer<'c> {
    let words = intent::words(question.text);
    let intents = intent::detect_words(&words);
    let agency = mentioned_agency(catalog, &words);
    // Words that name something, and of those the ones that are not the agency's name.
    let naming: Vec<&String> = words
        .iter()
        .filter(|w| !intent::is_asking_word(w))
        .collect();
    let names_only_agency = agency.is_some_and(|a| naming.iter().all(|w| mentions(a, w)));

    let mut candidates: Vec<&Service> = Vec::new();
    for id in question.candidates {
        if let Some(service) = catalog.service(id) {
            if !candidates.iter().any(|s| s.id == service.id) {
                candidates.push(service);
            }
        }
    }
    // A named agency puts its own services first.
    if let Some(agency) = agency {
        candidates.sort_by_key(|s| s.agency != agency.id);
    }

    if let Some(agency) = agency {
        if names_only_agency && intents.contains(&Intent::Place) {
            let list: Vec<&Office> = catalog.offices_of(&agency.id).collect();
            return Answer::AgencyOffices {
                agency,
                offices: offices(Some(agency), list, true, question.near),
            };
        }
    }
    let Some(service) = candidates.first().copied().filter(|_| !naming.is_empty()) else {
        candidates.truncate(CLOSEST);
        return Answer::Unknown {
            closest: candidates,
        };
    };
    let parts = if intents.is_empty() {
        vec![Part::Overview {
            summary: &service.summary,
            audience: &service.audience,
        }]
    } else {
        intents
            .iter()
            .map(|intent| part(catalog, service, *intent, question.near))
            .collect()
    };
    Answer::Service(ServiceAnswer {
        service,
        intents,
        parts,
        sources: &service.sources,
    })
}

fn part<'c>(
    catalog: &'c Catalog,
    service: &'c Service,
    intent: Intent,
    near: Option<&Near>,
) -> Part<'c> {
    match intent {
        Intent::Requirements => Part::Requirements(
            service
                .requirements
                .iter()
                .map(|requirement| RequirementAnswer {
                    requirement,
                    produced_by: requirement
                        .produced_by
                        .as_deref()
                        .and_then(|id| catalog.service(id)),
                })
                .collect(),
        ),
        Intent::Fee => Part::Fee(&service.fee),
        Intent::Place => Part::Offices(offices(
            catalog.agency(&service.agency),
            catalog.offices_for(service),
            service.served_at_any_office(),
            near,
        )),
        Intent::Time => Part::Time {
            sla_working_days: service.sla_working_days,
        },
        Intent::LegalBasis => Part::LegalBasis(&service.legal_basis),
        Intent::HowToApply => Part::HowToApply {
            summary: &service.summary,
            channels: &service.channels,
            form_id: service.form_id.as_deref(),
        },
    }
}

/// Orders offices by distance (a point) or by region (same regency, then same
/// province), and names the nearest.
fn offices<'c>(
    agency: Option<&'c Agency>,
    list: Vec<&'c Office>,
    any_office_of_agency: bool,
    near: Option<&Near>,
) -> Offices<'c> {
    let mut offices: Vec<OfficeAnswer<'c>> = list
        .into_iter()
        .map(|office| OfficeAnswer {
            office,
            distance_km: match (near, office.location) {
                (Some(Near::Point(here)), Some(there)) if here.is_valid() => {
                    Some(here.distance_km(there))
                }
                _ => None,
            },
        })
        .collect();
    let nearest = match near {
        Some(Near::Point(_)) => {
            offices.sort_by(|a, b| match (a.distance_km, b.distance_km) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            });
            offices
                .first()
                .filter(|o| o.distance_km.is_some())
                .map(|o| o.office)
        }
        Some(Near::Region(code)) => {
            let rank = |office: &Office| {
                if office.region_code == *code {
                    0
                } else if office.region_code.get(..2) == code.get(..2) {
                    1
                } else {
                    2
                }
            };
            offices.sort_by_key(|o| rank(o.office));
            offices
                .first()
                .filter(|o| rank(o.office) < 2)
                .map(|o| o.office)
        }
        None => None,
    };
    Offices {
        agency,
        offices,
        nearest,
        any_office_of_agency,
    }
}

/// The agency a question names, by its id, a part of it, or the short name its
/// published name gives in parentheses ("Disdukcapil", "KUA"); for longer names also
/// by their start or end ("dukcapil", "capil") or within one typo.
fn mentioned_agency<'c>(catalog: &'c Catalog, words: &[String]) -> Option<&'c Agency> {
    catalog
        .agencies()
        .find(|agency| words.iter().any(|w| mentions(agency, w)))
}

fn mentions(agency: &Agency, word: &str) -> bool {
    if intent::is_asking_word(word) {
        return false;
    }
    let short = word.chars().count() < 5;
    agency_names(agency).iter().any(|name| {
        name == word
            || (name.chars().count() >= 6
                && !short
                // "dukcapil" and "capil" for "disdukcapil"; "disdukcapl".
                && (name.ends_with(word) || name.starts_with(word) || intent::within_one_edit(word, name)))
    })
}

/// Words too common in questions to name an agency.
const GENERIC: &[&str] = &[
    "kesehatan",
    "sosial",
    "kab",
    "kota",
    "kantor",
    "desa",
    "kelurahan",
    "rb",
];

fn agency_names(agency: &Agency) -> Vec<String> {
    let mut names = vec![agency.id.clone()];
    names.extend(
        agency
            .id
            .split('-')
            .filter(|p| p.len() >= 3)
            .map(str::to_owned),
    );
    for name in [&agency.name.id, &agency.name.en] {
        let mut rest = name.as_str();
        while let Some(open) = rest.find('(') {
            let after = &rest[open + 1..];
            let Some(close) = after.find(')') else { break };
            let inner = after[..close].trim();
            if !inner.is_empty() && !inner.contains(' ') {
                names.push(inner.to_lowercase());
            }
            rest = &after[close + 1..];
        }
    }
    names.retain(|n| !GENERIC.contains(&n.as_str()));
    names.sort();
    names.dedup();
    names
}
