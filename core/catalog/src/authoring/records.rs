//! One authoring table to one record: the field names and shapes of the authoring
//! format (server/catalog/README.md), each problem reported with its path. Rules that
//! span records are `integrity`'s, run afterwards on everything that was read.

use super::fields::{Fields, Report};
use crate::model::{
    Agency, Channel, Charge, Fee, GeoPoint, LegalBasis, Level, LifeEvent, LocalName, Office,
    Requirement, Service, Source, Step,
};
use crate::problem::Problem;

const CHANNEL_KINDS: &str = "\"online\", \"office\", \"website\"";
const LEVELS: &str = "\"pusat\", \"provinsi\", \"kabupaten\", \"desa\"";

/// A service file (`services/<file_stem>.toml`).
pub(super) fn service(mut f: Fields<'_>, file_stem: &str, r: &mut Report<'_>) -> Option<Service> {
    let id = f.string("id", r);
    if let Some(id) = &id {
        if id != file_stem {
            r.push(
                "id",
                Problem::IdNotFileName {
                    id: id.clone(),
                    file_stem: file_stem.to_owned(),
                },
            );
        }
    }
    let version = f.number("version", 1, u64::from(u32::MAX), r);
    let last_changed = f.date("last_changed", r);
    let agency = f.string("agency", r);
    let life_events = f.strings("life_events", true, r);
    let form_id = f.opt_string("form_id", r);
    let sla_working_days = f.opt_number("sla_working_days", 1, 3650, r);
    let keywords = f.strings("keywords", true, r);
    let title = f.text("title", r);
    let summary = f.text("summary", r);
    let audience = f.text("audience", r);
    required_list(&f, "requirements", Problem::Empty, r);
    let requirements = list(&mut f, "requirements", r, requirement);
    let fee = f.table("fee", r).and_then(|fee| self::fee(fee, r));
    let legal_basis = list(&mut f, "legal_basis", r, legal_basis);
    required_list(&f, "channels", Problem::Empty, r);
    let channels = list(&mut f, "channels", r, channel);
    required_list(&f, "sources", Problem::NoSource, r);
    let sources = list(&mut f, "sources", r, source);
    f.finish(r);
    Some(Service {
        id: id?,
        version: u32::try_from(version?).ok()?,
        last_changed: last_changed?,
        agency: agency?,
        life_events: life_events?,
        form_id,
        sla_working_days: sla_working_days.and_then(|n| u32::try_from(n).ok()),
        keywords: keywords?,
        title: title?,
        summary: summary?,
        audience: audience?,
        requirements: requirements?,
        fee: fee?,
        legal_basis: legal_basis?,
        channels: channels?,
        sources: sources?,
    })
}

/// Reports a list of tables that is absent or empty (`integrity` would too, but only
/// for a record that could be read whole; the loader drops the repeat).
fn required_list(f: &Fields<'_>, key: &str, problem: Problem, r: &mut Report<'_>) {
    if f.is_empty_list(key) {
        r.push(f.path(key), problem);
    }
}

/// Reads every element of a list of tables; `None` if any element was broken.
fn list<'t, T>(
    f: &mut Fields<'t>,
    key: &'static str,
    r: &mut Report<'_>,
    read: fn(Fields<'t>, &mut Report<'_>) -> Option<T>,
) -> Option<Vec<T>> {
    let items: Vec<Option<T>> = f
        .tables(key, r)
        .into_iter()
        .map(|item| read(item, r))
        .collect();
    items.into_iter().collect()
}

fn requirement(mut f: Fields<'_>, r: &mut Report<'_>) -> Option<Requirement> {
    let text = f.inline_text(r);
    let produced_by = f.opt_string("produced_by", r);
    f.finish(r);
    Some(Requirement {
        text: text?,
        produced_by,
    })
}

fn fee(mut f: Fields<'_>, r: &mut Report<'_>) -> Option<Fee> {
    let free = f.boolean("free", r);
    let amount = f.opt_number("amount_idr", 0, u64::MAX, r);
    let amount_given = f.has("amount_idr");
    let note = f.opt_text("note", r);
    let charge = match (free, amount) {
        (Some(true), _) if amount_given => {
            r.push(f.path("amount_idr"), Problem::FreeWithAmount);
            None
        }
        (Some(true), _) => Some(Charge::Free),
        (Some(false), Some(idr)) => Some(Charge::Idr(idr)),
        (Some(false), None) if !amount_given => {
            r.push(f.path("amount_idr"), Problem::AmountMissing);
            None
        }
        _ => None,
    };
    f.finish(r);
    Some(Fee {
        charge: charge?,
        note,
    })
}

fn legal_basis(mut f: Fields<'_>, r: &mut Report<'_>) -> Option<LegalBasis> {
    let title = f.string("title", r);
    let url = f.opt_string("url", r);
    f.finish(r);
    Some(LegalBasis { title: title?, url })
}

fn channel(mut f: Fields<'_>, r: &mut Report<'_>) -> Option<Channel> {
    let kind = f.string("kind", r)?;
    let channel = match kind.as_str() {
        "online" => Some(Channel::Online),
        "office" => f
            .strings("offices", false, r)
            .map(|offices| Channel::Office { offices })
            .or_else(|| {
                // Absent is "any office of the agency"; broken was reported.
                (!f.has("offices")).then(|| Channel::Office {
                    offices: Vec::new(),
                })
            }),
        "website" => f.string("url", r).map(|url| Channel::Website { url }),
        _ => {
            r.push(
                f.path("kind"),
                Problem::NotOneOf {
                    value: kind.clone(),
                    allowed: CHANNEL_KINDS,
                },
            );
            f.skip_rest();
            None
        }
    };
    f.finish(r);
    channel
}

fn source(mut f: Fields<'_>, r: &mut Report<'_>) -> Option<Source> {
    let title = f.string("title", r);
    let url = f.string("url", r);
    let accessed = f.date("accessed", r);
    f.finish(r);
    Some(Source {
        title: title?,
        url: url?,
        accessed: accessed?,
    })
}

/// One `[[agency]]` block.
pub(super) fn agency(mut f: Fields<'_>, r: &mut Report<'_>) -> Option<Agency> {
    let id = f.string("id", r);
    let name = f.text("name", r);
    let level = f.string("level", r).and_then(|level| {
        let parsed = Level::from_name(&level);
        if parsed.is_none() {
            r.push(
                f.path("level"),
                Problem::NotOneOf {
                    value: level,
                    allowed: LEVELS,
                },
            );
        }
        parsed
    });
    let website = f.opt_string("website", r);
    f.finish(r);
    Some(Agency {
        id: id?,
        name: name?,
        level: level?,
        website,
    })
}

/// One `[[office]]` block.
pub(super) fn office(mut f: Fields<'_>, r: &mut Report<'_>) -> Option<Office> {
    let id = f.string("id", r);
    let agency = f.string("agency", r);
    let name = f.table("name", r).and_then(|mut name| {
        let id = name.string("id", r);
        let en = name.opt_string("en", r);
        name.finish(r);
        Some(LocalName { id: id?, en })
    });
    let address = f.string("address", r);
    let region_code = f.string("region_code", r);
    let opening_hours = f.string("opening_hours", r);
    let lat = f.opt_decimal("lat", r);
    let lon = f.opt_decimal("lon", r);
    let location = match (lat, lon) {
        (Some(lat), Some(lon)) => Some(GeoPoint { lat, lon }),
        _ if f.has("lat") != f.has("lon") => {
            r.push(
                f.path(if f.has("lat") { "lon" } else { "lat" }),
                Problem::HalfLocation,
            );
            None
        }
        _ => None,
    };
    let phone = f.opt_string("phone", r);
    let source = f.string("source", r);
    f.finish(r);
    Some(Office {
        id: id?,
        agency: agency?,
        name: name?,
        address: address?,
        region_code: region_code?,
        opening_hours: opening_hours?,
        location,
        phone,
        source: source?,
    })
}

/// One `[[life_event]]` block.
pub(super) fn life_event(mut f: Fields<'_>, r: &mut Report<'_>) -> Option<LifeEvent> {
    let id = f.string("id", r);
    let title = f.text("title", r);
    let summary = f.text("summary", r);
    required_list(&f, "steps", Problem::Empty, r);
    let steps = list(&mut f, "steps", r, step);
    f.finish(r);
    Some(LifeEvent {
        id: id?,
        title: title?,
        summary: summary?,
        steps: steps?,
    })
}

fn step(mut f: Fields<'_>, r: &mut Report<'_>) -> Option<Step> {
    let service = f.string("service", r);
    let why = f.text("why", r);
    f.finish(r);
    Some(Step {
        service: service?,
        why: why?,
    })
}
