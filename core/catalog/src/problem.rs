//! What can be wrong with a catalog field: one vocabulary for the authoring errors
//! (file and field) and for the checks the phone runs after applying a bundle
//! (record and field), so a civil servant and a support engineer read the same words.

use crate::model::RecordKind;

/// One problem with one field. The messages are for the civil servants and engineers
/// who edit and publish the catalog (English, as the authoring guide is); citizens
/// never see them.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("missing")]
    Missing,
    #[error("expected {expected}")]
    WrongType { expected: &'static str },
    #[error("unknown field (misspelt?)")]
    UnknownField,
    #[error("invalid id {id:?}: use lowercase letters, digits and single hyphens")]
    InvalidId { id: String },
    #[error("id {id:?} does not match the file name {file_stem:?}")]
    IdNotFileName { id: String, file_stem: String },
    #[error("duplicate id {id:?}")]
    Duplicate { id: String },
    #[error("must be at least {min}")]
    TooSmall { min: u64 },
    #[error("{value} is too large")]
    TooLarge { value: String },
    #[error("invalid date {value:?}: use YYYY-MM-DD")]
    InvalidDate { value: String },
    #[error("unknown {kind} {id:?}")]
    UnknownReference { kind: RecordKind, id: String },
    #[error("free = true cannot have amount_idr")]
    FreeWithAmount,
    #[error("free = false needs amount_idr")]
    AmountMissing,
    #[error("an \"online\" channel needs form_id")]
    OnlineWithoutForm,
    #[error("at least one source with a URL is required")]
    NoSource,
    #[error("at least one entry is required")]
    Empty,
    #[error("invalid URL {value:?}: use an https:// (or http://) address")]
    InvalidUrl { value: String },
    #[error("{value:?} is not one of {allowed}")]
    NotOneOf {
        value: String,
        allowed: &'static str,
    },
    #[error("invalid region code {value:?}: use two digits, a dot and two digits, e.g. \"33.05\"")]
    InvalidRegionCode { value: String },
    #[error("{value} is out of range ({range})")]
    OutOfRange { value: String, range: &'static str },
    #[error("lat and lon go together: give both or neither")]
    HalfLocation,
    #[error("steps need each other's documents in a cycle: {}", .services.join(" -> "))]
    Cycle { services: Vec<String> },
    #[error("lists life event {life_event:?}, whose steps do not include this service")]
    NotAStep { life_event: String },
    #[error("service {service:?} is a step but does not list this life event in its life_events")]
    StepNotListed { service: String },
    #[error("not valid TOML: {message}")]
    Syntax { message: String },
    #[error("cannot be read: {reason}")]
    Unreadable { reason: String },
    #[error("file is missing")]
    MissingFile,
    #[error("unexpected file: the catalog reads only agencies.toml, offices.toml, life-events.toml and services/<id>.toml")]
    UnexpectedFile,
}
