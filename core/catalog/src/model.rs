//! The catalog's records: what a citizen reads about a public service, the agencies
//! and offices that deliver it, and the life events that bundle services.
//!
//! Plain data. The same types are authored (from TOML, `authoring`), published and
//! verified (as JSON inside a signed bundle, `bundle`) and read on the phone, so the
//! three can never disagree about a field. Rules that span records (references,
//! cycles) live in `integrity`, not here.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::date::Date;

/// The two languages every citizen-facing text has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Bahasa Indonesia, the default.
    #[default]
    Id,
    /// English.
    En,
}

impl Lang {
    /// The language of a BCP 47 tag such as `"en-GB"` or `"id"`; Bahasa Indonesia for
    /// anything that is not English.
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Id
        }
    }
}

/// A text in Bahasa Indonesia and English; both are required.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Text {
    pub id: String,
    pub en: String,
}

impl Text {
    pub fn new(id: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            id: id.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Id => &self.id,
            Lang::En => &self.en,
        }
    }
}

/// What kind of record an id names; used in messages ("unknown service \"x\"").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Service,
    Agency,
    Office,
    LifeEvent,
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RecordKind::Service => "service",
            RecordKind::Agency => "agency",
            RecordKind::Office => "office",
            RecordKind::LifeEvent => "life event",
        })
    }
}

/// Whether `id` is a record id: lowercase ASCII letters and digits in groups joined by
/// single hyphens (`ktp-el-hilang`, `disdukcapil-kab-kebumen`).
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// One public service, as a citizen reads it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Service {
    pub id: String,
    /// Raised by the author on every change (at least 1).
    pub version: u32,
    pub last_changed: Date,
    /// The agency that delivers it (an [`Agency`] id).
    pub agency: String,
    /// The life events it belongs to ([`LifeEvent`] ids).
    pub life_events: Vec<String>,
    /// An online form the server publishes, if the service has one.
    pub form_id: Option<String>,
    /// The expected time in working days, when a source states it.
    pub sla_working_days: Option<u32>,
    /// Words and phrases citizens type, lowercase, in both languages.
    pub keywords: Vec<String>,
    pub title: Text,
    pub summary: Text,
    /// Who the service is for.
    pub audience: Text,
    pub requirements: Vec<Requirement>,
    pub fee: Fee,
    pub legal_basis: Vec<LegalBasis>,
    pub channels: Vec<Channel>,
    /// Where the requirements, fees and times come from; at least one.
    pub sources: Vec<Source>,
}

impl Service {
    /// The offices listed by its office channels, in order, without repeats.
    pub fn office_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = Vec::new();
        for channel in &self.channels {
            if let Channel::Office { offices } = channel {
                for id in offices {
                    if !ids.contains(&id.as_str()) {
                        ids.push(id);
                    }
                }
            }
        }
        ids
    }

    /// Whether one of its channels is "any office of the agency" (an empty list).
    pub fn served_at_any_office(&self) -> bool {
        self.channels
            .iter()
            .any(|c| matches!(c, Channel::Office { offices } if offices.is_empty()))
    }
}

/// A document or condition a service requires.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    pub text: Text,
    /// The service that produces this document, if the catalog has it.
    pub produced_by: Option<String>,
}

/// What a service costs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fee {
    pub charge: Charge,
    /// Variants, the regulation, what the amount does not include.
    pub note: Option<Text>,
}

/// Free, or an amount in whole rupiah.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Charge {
    Free,
    Idr(u64),
}

impl Fee {
    pub fn is_free(&self) -> bool {
        self.charge == Charge::Free
    }
}

/// A regulation a service rests on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalBasis {
    pub title: String,
    pub url: Option<String>,
}

/// How a citizen gets the service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Channel {
    /// The app's online form ([`Service::form_id`]).
    Online,
    /// In person at these offices; an empty list means any office of the agency.
    Office { offices: Vec<String> },
    /// A website of the agency.
    Website { url: String },
}

/// Where a record's content comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub title: String,
    pub url: String,
    /// When the author read it.
    pub accessed: Date,
}

/// An agency that delivers services.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub id: String,
    pub name: Text,
    pub level: Level,
    pub website: Option<String>,
}

/// The level of government an agency belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// National.
    Pusat,
    Provinsi,
    /// Regency or city.
    Kabupaten,
    /// Village or urban ward (kelurahan).
    Desa,
}

impl Level {
    /// The authoring names, in order.
    pub const NAMES: [&'static str; 4] = ["pusat", "provinsi", "kabupaten", "desa"];

    pub fn from_name(name: &str) -> Option<Level> {
        match name {
            "pusat" => Some(Level::Pusat),
            "provinsi" => Some(Level::Provinsi),
            "kabupaten" => Some(Level::Kabupaten),
            "desa" => Some(Level::Desa),
            _ => None,
        }
    }

    /// What a citizen reads.
    pub fn label(self) -> Text {
        match self {
            Level::Pusat => Text::new("Pusat", "National"),
            Level::Provinsi => Text::new("Provinsi", "Province"),
            Level::Kabupaten => Text::new("Kabupaten/Kota", "Regency/city"),
            Level::Desa => Text::new("Desa/Kelurahan", "Village"),
        }
    }
}

/// A name published in Bahasa Indonesia, with an English one when there is one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalName {
    pub id: String,
    pub en: Option<String>,
}

impl LocalName {
    /// The name in `lang`, falling back to the Indonesian one.
    pub fn get(&self, lang: Lang) -> &str {
        match (lang, &self.en) {
            (Lang::En, Some(en)) => en,
            _ => &self.id,
        }
    }
}

/// A point in decimal degrees (WGS 84).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

impl GeoPoint {
    /// Whether the point exists on Earth (finite, latitude within ±90, longitude ±180).
    pub fn is_valid(self) -> bool {
        self.lat.is_finite()
            && self.lon.is_finite()
            && (-90.0..=90.0).contains(&self.lat)
            && (-180.0..=180.0).contains(&self.lon)
    }

    /// Great-circle distance in kilometres (haversine).
    pub fn distance_km(self, other: GeoPoint) -> f64 {
        const EARTH_RADIUS_KM: f64 = 6371.0;
        let (lat1, lat2) = (self.lat.to_radians(), other.lat.to_radians());
        let dlat = lat2 - lat1;
        let dlon = (other.lon - self.lon).to_radians();
        let a = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
    }
}

/// Whether `code` is a Kemendagri regency/city code: two digits, a dot, two digits.
pub fn is_valid_region_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 5 && b[2] == b'.' && [0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit())
}

/// A real office where services are delivered in person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Office {
    pub id: String,
    pub agency: String,
    pub name: LocalName,
    pub address: String,
    /// Kemendagri code of the regency or city (`"32.73"`).
    pub region_code: String,
    /// As the source publishes them, in Bahasa Indonesia.
    pub opening_hours: String,
    pub location: Option<GeoPoint>,
    pub phone: Option<String>,
    /// Where the address and hours come from.
    pub source: String,
}

/// A bundle of services across agencies, in the order a citizen does them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifeEvent {
    pub id: String,
    pub title: Text,
    pub summary: Text,
    pub steps: Vec<Step>,
}

/// One service of a life event and why it comes at that point.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub service: String,
    pub why: Text,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_defaults_to_indonesian() {
        let text = Text::new("Syarat", "Requirements");
        assert_eq!(text.get(Lang::default()), "Syarat");
        assert_eq!(text.get(Lang::En), "Requirements");
        assert_eq!(Lang::from_tag("en-GB"), Lang::En);
        assert_eq!(Lang::from_tag("id-ID"), Lang::Id);
        assert_eq!(Lang::from_tag(""), Lang::Id);
        let name = LocalName {
            id: "Kantor".into(),
            en: None,
        };
        assert_eq!(name.get(Lang::En), "Kantor");
    }

    #[test]
    fn id_pattern() {
        for good in ["ktp-el-hilang", "kk", "a1-2b", "sim-c-baru"] {
            assert!(is_valid_id(good), "{good}");
        }
        for bad in [
            "", "-a", "a-", "a--b", "KTP", "ktp_el", "ktp el", "é", "a.b",
        ] {
            assert!(!is_valid_id(bad), "{bad}");
        }
    }

    #[test]
    fn region_codes_and_distances() {
        assert!(is_valid_region_code("33.05"));
        for bad in ["3305", "33.5", "33-05", "aa.bb", "33.051"] {
            assert!(!is_valid_region_code(bad), "{bad}");
        }
        let bandung = GeoPoint {
            lat: -6.9175,
            lon: 107.6191,
        };
        let jakarta = GeoPoint {
            lat: -6.2088,
            lon: 106.8456,
        };
        let km = bandung.distance_km(jakarta);
        assert!((115.0..125.0).contains(&km), "{km}");
        assert!(!GeoPoint {
            lat: 91.0,
            lon: 0.0
        }
        .is_valid());
        assert!(!GeoPoint {
            lat: f64::NAN,
            lon: 0.0
        }
        .is_valid());
    }
}
