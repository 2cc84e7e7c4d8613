//! Loading the catalog folder agencies edit by hand (TOML, one file per service) and
//! checking every rule of the authoring format, so the server never publishes a
//! catalog with a typo in it.
//!
//! Every problem is collected, not just the first: a civil servant fixes a file in one
//! pass. Each names its file and field (`services/ktp-el-hilang.toml:
//! requirements[1].produced_by: unknown service "kk-bru"`, indexes from 0).
//!
//! Behind the `authoring` feature: the server enables it; the phone's library never
//! links the TOML parser.

mod fields;
mod records;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use self::fields::{Fields, Report};
use crate::catalog::{Catalog, Records};
use crate::integrity::{self, Broken};
use crate::model::RecordKind;
use crate::problem::Problem;

/// The agencies file, relative to the catalog folder.
pub const AGENCIES_FILE: &str = "agencies.toml";
/// The offices file.
pub const OFFICES_FILE: &str = "offices.toml";
/// The life events file.
pub const LIFE_EVENTS_FILE: &str = "life-events.toml";
/// The folder of service files (`services/<id>.toml`).
pub const SERVICES_DIR: &str = "services";

/// One problem in one file's field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthoringError {
    /// Relative to the catalog folder, with `/` (`services/kk-baru.toml`).
    pub file: String,
    /// The field's path (`requirements[1].produced_by`); empty for the whole file.
    pub field: String,
    pub problem: Problem,
}

impl fmt::Display for AuthoringError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}: {}", self.file, self.problem)
        } else {
            write!(f, "{}: {}: {}", self.file, self.field, self.problem)
        }
    }
}

impl std::error::Error for AuthoringError {}

/// Every problem found in a catalog folder (never empty), grouped by file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthoringErrors(Vec<AuthoringError>);

impl AuthoringErrors {
    pub fn errors(&self) -> &[AuthoringError] {
        &self.0
    }

    pub fn into_vec(self) -> Vec<AuthoringError> {
        self.0
    }
}

impl fmt::Display for AuthoringErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for AuthoringErrors {}

/// Loads and checks the catalog folder at `dir` (the layout of `server/catalog/`).
/// The catalog is at sequence 0: the publisher gives it its sequence.
pub fn load(dir: &Path) -> Result<Catalog, AuthoringErrors> {
    let mut errors = Vec::new();
    let files = read_folder(dir, &mut errors);
    finish(from_files_collecting(&files, errors))
}

/// Checks a catalog given as its files' texts, keyed by path relative to the catalog
/// folder (`agencies.toml`, `services/kk-baru.toml`).
pub fn from_files(files: &BTreeMap<String, String>) -> Result<Catalog, AuthoringErrors> {
    finish(from_files_collecting(files, Vec::new()))
}

fn finish((catalog, errors): (Catalog, Vec<AuthoringError>)) -> Result<Catalog, AuthoringErrors> {
    if errors.is_empty() {
        Ok(catalog)
    } else {
        Err(AuthoringErrors(errors))
    }
}

/// Reads the files the catalog consists of; what cannot be read becomes an error.
fn read_folder(dir: &Path, errors: &mut Vec<AuthoringError>) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let mut read =
        |relative: String, path: &Path, errors: &mut Vec<AuthoringError>| match std::fs::read(path)
        {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => {
                    files.insert(relative, text);
                }
                Err(_) => errors.push(file_error(
                    &relative,
                    Problem::Unreadable {
                        reason: "not UTF-8 text".into(),
                    },
                )),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                errors.push(file_error(&relative, Problem::MissingFile))
            }
            Err(e) => errors.push(file_error(
                &relative,
                Problem::Unreadable {
                    reason: e.kind().to_string(),
                },
            )),
        };
    for name in [AGENCIES_FILE, OFFICES_FILE, LIFE_EVENTS_FILE] {
        read(name.to_owned(), &dir.join(name), errors);
    }
    // A misnamed file (`agency.toml`) must not vanish silently.
    for (name, _) in entries(dir, errors, "") {
        let known = [AGENCIES_FILE, OFFICES_FILE, LIFE_EVENTS_FILE].contains(&name.as_str());
        if name.ends_with(".toml") && !known {
            errors.push(file_error(&name, Problem::UnexpectedFile));
        }
    }
    let services = dir.join(SERVICES_DIR);
    if !services.is_dir() {
        errors.push(file_error(
            &format!("{SERVICES_DIR}/"),
            Problem::MissingFile,
        ));
        return files;
    }
    for (name, is_file) in entries(&services, errors, SERVICES_DIR) {
        let relative = format!("{SERVICES_DIR}/{name}");
        if is_file && name.ends_with(".toml") {
            read(relative, &services.join(&name), errors);
        } else if !(is_file && name.ends_with(".md")) {
            errors.push(file_error(&relative, Problem::UnexpectedFile));
        }
    }
    files
}

/// The names in a folder (hidden ones skipped), sorted, with whether each is a file.
fn entries(dir: &Path, errors: &mut Vec<AuthoringError>, label: &str) -> Vec<(String, bool)> {
    let listing = match std::fs::read_dir(dir) {
        Ok(listing) => listing,
        Err(e) => {
            let name = if label.is_empty() {
                ".".to_owned()
            } else {
                format!("{label}/")
            };
            errors.push(file_error(
                &name,
                Problem::Unreadable {
                    reason: e.kind().to_string(),
                },
            ));
            return Vec::new();
        }
    };
    let mut out: Vec<(String, bool)> = listing
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let is_file = entry.file_type().ok()?.is_file();
            (!name.starts_with('.')).then_some((name, is_file))
        })
        .collect();
    out.sort();
    out
}

fn file_error(file: &str, problem: Problem) -> AuthoringError {
    AuthoringError {
        file: file.to_owned(),
        field: String::new(),
        problem,
    }
}

/// Where each record came from, to put `integrity`'s findings back in their files.
#[derive(Default)]
struct Origins {
    /// Service id -> its file.
    service_files: BTreeMap<String, String>,
    /// (kind, id) -> index of its block in its file.
    blocks: BTreeMap<(RecordKind, String), usize>,
    /// Every id written down, even in a record that could not be read whole, so a
    /// broken record does not also make every reference to it "unknown".
    declared: BTreeSet<(RecordKind, String)>,
}

fn from_files_collecting(
    files: &BTreeMap<String, String>,
    mut errors: Vec<AuthoringError>,
) -> (Catalog, Vec<AuthoringError>) {
    let mut origins = Origins::default();
    let mut records = Records::default();

    if let Some(table) = parse_file(files, AGENCIES_FILE, &mut errors) {
        records.agencies = blocks(
            &table,
            AGENCIES_FILE,
            "agency",
            RecordKind::Agency,
            records::agency,
            |a| &a.id,
            &mut origins,
            &mut errors,
        );
    }
    if let Some(table) = parse_file(files, OFFICES_FILE, &mut errors) {
        records.offices = blocks(
            &table,
            OFFICES_FILE,
            "office",
            RecordKind::Office,
            records::office,
            |o| &o.id,
            &mut origins,
            &mut errors,
        );
    }
    if let Some(table) = parse_file(files, LIFE_EVENTS_FILE, &mut errors) {
        records.life_events = blocks(
            &table,
            LIFE_EVENTS_FILE,
            "life_event",
            RecordKind::LifeEvent,
            records::life_event,
            |e| &e.id,
            &mut origins,
            &mut errors,
        );
    }
    let prefix = format!("{SERVICES_DIR}/");
    for name in files.keys().filter(|name| name.starts_with(&prefix)) {
        let Some(stem) = name
            .strip_prefix(&prefix)
            .and_then(|n| n.strip_suffix(".toml"))
        else {
            continue;
        };
        origins
            .declared
            .insert((RecordKind::Service, stem.to_owned()));
        let Some(table) = parse_file(files, name, &mut errors) else {
            continue;
        };
        if let Some(toml::Value::String(id)) = table.get("id") {
            origins
                .declared
                .insert((RecordKind::Service, id.trim().to_owned()));
        }
        let mut report = Report::new(name, &mut errors);
        let Some(service) = records::service(Fields::root(&table), stem, &mut report) else {
            continue;
        };
        if service.id != stem {
            // Reported; kept out so it does not also break the references to it.
            continue;
        }
        if origins.service_files.contains_key(&service.id) {
            report.push(
                "id",
                Problem::Duplicate {
                    id: service.id.clone(),
                },
            );
            continue;
        }
        origins
            .service_files
            .insert(service.id.clone(), name.clone());
        records.services.push(service);
    }

    let (mut catalog, duplicates) = Catalog::collect(records);
    debug_assert!(
        duplicates.is_empty(),
        "duplicates are removed while reading"
    );
    for broken in integrity::check(&catalog) {
        if let Some(error) = locate(broken, &origins) {
            if !errors.contains(&error) {
                errors.push(error);
            }
        }
    }
    errors.sort_by(|a, b| {
        (file_order(&a.file), block_index(&a.field))
            .cmp(&(file_order(&b.file), block_index(&b.field)))
    });
    catalog.set_sequence(0);
    (catalog, errors)
}

/// The index of the block a field is in (`office[3].agency` -> 3), 0 for a service.
fn block_index(field: &str) -> usize {
    field
        .split_once('[')
        .filter(|(key, _)| ["agency", "office", "life_event"].contains(key))
        .and_then(|(_, rest)| rest.split(']').next()?.parse().ok())
        .unwrap_or(0)
}

/// Files in the order a person reads the folder: the three shared files, then services.
fn file_order(file: &str) -> (u8, &str) {
    match file {
        AGENCIES_FILE => (0, file),
        OFFICES_FILE => (1, file),
        LIFE_EVENTS_FILE => (2, file),
        _ => (3, file),
    }
}

fn parse_file(
    files: &BTreeMap<String, String>,
    name: &str,
    errors: &mut Vec<AuthoringError>,
) -> Option<toml::Table> {
    let text = files.get(name)?;
    match text.parse::<toml::Table>() {
        Ok(table) => Some(table),
        Err(e) => {
            let line = e
                .span()
                .map(|span| text[..span.start.min(text.len())].lines().count().max(1));
            let message = match line {
                Some(line) => format!("line {line}: {}", e.message().trim()),
                None => e.message().trim().to_owned(),
            };
            errors.push(file_error(name, Problem::Syntax { message }));
            None
        }
    }
}

/// Reads the `[[key]]` blocks of a shared file, dropping (and reporting) repeated ids.
#[allow(clippy::too_many_arguments)]
fn blocks<T>(
    table: &toml::Table,
    file: &str,
    key: &'static str,
    kind: RecordKind,
    read: fn(Fields<'_>, &mut Report<'_>) -> Option<T>,
    id_of: fn(&T) -> &String,
    origins: &mut Origins,
    errors: &mut Vec<AuthoringError>,
) -> Vec<T> {
    let mut report = Report::new(file, errors);
    let mut root = Fields::root(table);
    let items = root.tables(key, &mut report);
    let mut out = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        if let Some(toml::Value::String(id)) = item.raw("id") {
            origins.declared.insert((kind, id.trim().to_owned()));
        }
        let path = item.path("id");
        let Some(record) = read(item, &mut report) else {
            continue;
        };
        let id = id_of(&record).clone();
        if origins.blocks.contains_key(&(kind, id.clone())) {
            report.push(path, Problem::Duplicate { id });
            continue;
        }
        origins.blocks.insert((kind, id), index);
        out.push(record);
    }
    root.finish(&mut report);
    out
}

/// `integrity`'s finding as a file and field, or `None` when it only repeats that a
/// record which could not be read does not exist.
fn locate(broken: Broken, origins: &Origins) -> Option<AuthoringError> {
    if let Problem::UnknownReference { kind, id } = &broken.problem {
        if origins.declared.contains(&(*kind, id.clone())) {
            return None;
        }
    }
    let (file, block) = match broken.kind {
        RecordKind::Service => (
            origins.service_files.get(&broken.id)?.clone(),
            String::new(),
        ),
        kind => {
            let index = origins.blocks.get(&(kind, broken.id.clone()))?;
            let (file, key) = match kind {
                RecordKind::Agency => (AGENCIES_FILE, "agency"),
                RecordKind::Office => (OFFICES_FILE, "office"),
                _ => (LIFE_EVENTS_FILE, "life_event"),
            };
            (file.to_owned(), format!("{key}[{index}]."))
        }
    };
    Some(AuthoringError {
        file,
        field: format!("{block}{}", broken.field),
        problem: broken.problem,
    })
}
