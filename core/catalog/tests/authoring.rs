//! The authoring loader on small catalog folders in temporary directories: a valid
//! one, then each rule broken once, and every error collected at once.

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

mod common;

use std::collections::BTreeMap;

use layanan_catalog::authoring::{self, AuthoringError};
use layanan_catalog::{Charge, Problem, RecordKind};

use common::{valid_files, write_folder};

/// Loads `files` from a fresh folder; the errors as `file: field: problem` lines.
fn errors_of(files: &BTreeMap<String, String>) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    write_folder(dir.path(), files);
    match authoring::load(dir.path()) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.errors().iter().map(ToString::to_string).collect(),
    }
}

/// `valid_files()` with one replacement in one file (which must apply).
fn broken(file: &str, from: &str, to: &str) -> BTreeMap<String, String> {
    let mut files = valid_files();
    let text = files.get_mut(file).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    *text = text.replacen(from, to, 1);
    files
}

fn assert_only(files: BTreeMap<String, String>, expected: &str) {
    assert_eq!(errors_of(&files), vec![expected.to_owned()]);
}

#[test]
fn a_valid_folder_loads_with_every_field() {
    let dir = tempfile::tempdir().unwrap();
    write_folder(dir.path(), &valid_files());
    std::fs::write(dir.path().join("README.md"), "how to edit").unwrap();
    let catalog = authoring::load(dir.path()).unwrap();
    assert_eq!(catalog.sequence(), 0);
    assert_eq!(catalog.services().len(), 3);
    let lost = catalog.service("ktp-el-hilang").unwrap();
    assert_eq!(lost.version, 3);
    assert_eq!(lost.last_changed.to_string(), "2026-11-30");
    assert_eq!(lost.form_id.as_deref(), Some("ktp_el_hilang"));
    assert_eq!(lost.sla_working_days, Some(14));
    assert_eq!(lost.requirements[1].produced_by.as_deref(), Some("kk-baru"));
    assert_eq!(lost.fee.charge, Charge::Free);
    assert_eq!(
        lost.fee.note.as_ref().unwrap().en,
        "No fee (Law 24/2013 article 79A)"
    );
    assert_eq!(lost.channels.len(), 3);
    assert_eq!(lost.sources[0].accessed.to_string(), "2026-11-30");
    // Inline tables and a bare TOML date read the same as blocks and quoted dates.
    let kk = catalog.service("kk-baru").unwrap();
    assert_eq!(kk.title.en, "New family card");
    assert_eq!(kk.last_changed.to_string(), "2026-11-30");
    assert!(kk.served_at_any_office());
    let police = catalog.service("surat-kehilangan-polisi").unwrap();
    assert_eq!(police.fee.charge, Charge::Idr(10_000));
    let kebumen = catalog.office("disdukcapil-kab-kebumen").unwrap();
    assert_eq!(kebumen.name.en, None);
    assert_eq!(
        catalog
            .life_event("kehilangan-dokumen")
            .unwrap()
            .steps
            .len(),
        2
    );
    assert_eq!(authoring::from_files(&valid_files()).unwrap(), catalog);
}

#[test]
fn the_example_error_reads_as_the_format_says() {
    assert_only(
        broken(
            "services/ktp-el-hilang.toml",
            "produced_by = \"kk-baru\"",
            "produced_by = \"kk-bru\"",
        ),
        "services/ktp-el-hilang.toml: requirements[1].produced_by: unknown service \"kk-bru\"",
    );
}

#[test]
fn each_rule_broken_once_is_named_with_its_file_and_field() {
    let k = "services/ktp-el-hilang.toml";
    let cases: Vec<(BTreeMap<String, String>, &str)> = vec![
        // id matches the file name and the pattern
        (broken(k, "id = \"ktp-el-hilang\"", "id = \"ktp-hilang\""),
         "services/ktp-el-hilang.toml: id: id \"ktp-hilang\" does not match the file name \"ktp-el-hilang\""),
        (broken("offices.toml", "id = \"disdukcapil-kab-kebumen\"", "id = \"disdukcapil_kebumen\""),
         "offices.toml: office[1].id: invalid id \"disdukcapil_kebumen\": use lowercase letters, digits and single hyphens"),
        // both id and en for every bilingual text
        (broken(k, "en = \"A lost KTP-el is reprinted.\"\n", ""),
         "services/ktp-el-hilang.toml: summary.en: missing"),
        (broken(k, "note.en = \"No fee (Law 24/2013 article 79A)\"\n", ""),
         "services/ktp-el-hilang.toml: fee.note.en: missing"),
        (broken("life-events.toml", "why.en = \"The police report comes first.\" ", ""),
         "life-events.toml: life_event[0].steps[1].why.en: missing"),
        (broken("agencies.toml", "name.en = \"Indonesian National Police (Polri)\"\n", ""),
         "agencies.toml: agency[1].name.en: missing"),
        // version >= 1
        (broken(k, "version = 3", "version = 0"), "services/ktp-el-hilang.toml: version: must be at least 1"),
        // last_changed a valid date
        (broken(k, "last_changed = \"2026-11-30\"", "last_changed = \"2026-02-30\""),
         "services/ktp-el-hilang.toml: last_changed: invalid date \"2026-02-30\": use YYYY-MM-DD"),
        (broken(k, "accessed = \"2026-11-30\"", "accessed = \"30-11-2026\""),
         "services/ktp-el-hilang.toml: sources[0].accessed: invalid date \"30-11-2026\": use YYYY-MM-DD"),
        // references
        (broken(k, "agency = \"disdukcapil\"", "agency = \"dukcapil\""),
         "services/ktp-el-hilang.toml: agency: unknown agency \"dukcapil\""),
        (broken(k, "offices = [\"disdukcapil-kota-bandung\"]", "offices = [\"disdukcapil-bandung\"]"),
         "services/ktp-el-hilang.toml: channels[1].offices[0]: unknown office \"disdukcapil-bandung\""),
        (broken("offices.toml", "agency = \"disdukcapil\"", "agency = \"capil\""),
         "offices.toml: office[0].agency: unknown agency \"capil\""),
        (broken("services/kk-baru.toml", "life_events = []", "life_events = [\"kehilangan\"]"),
         "services/kk-baru.toml: life_events[0]: unknown life event \"kehilangan\""),
        (broken("life-events.toml", "service = \"surat-kehilangan-polisi\"", "service = \"surat-hilang\""),
         "life-events.toml: life_event[0].steps[1].service: unknown service \"surat-hilang\"\n\
          services/surat-kehilangan-polisi.toml: life_events[0]: lists life event \"kehilangan-dokumen\", whose steps do not include this service"),
        // fee either free or an amount
        (broken(k, "free = true", "free = true\namount_idr = 5000"),
         "services/ktp-el-hilang.toml: fee.amount_idr: free = true cannot have amount_idr"),
        (broken("services/surat-kehilangan-polisi.toml", "amount_idr = 10000\n", ""),
         "services/surat-kehilangan-polisi.toml: fee.amount_idr: free = false needs amount_idr"),
        // online needs a form_id
        (broken(k, "form_id = \"ktp_el_hilang\"\n", ""),
         "services/ktp-el-hilang.toml: channels[0].kind: an \"online\" channel needs form_id"),
        // at least one source with a URL
        (broken("services/kk-baru.toml", "sources = [{ title = \"SIPPN\", url = \"https://sippn.menpan.go.id/kk\", accessed = \"2026-11-30\" }]\n", ""),
         "services/kk-baru.toml: sources: at least one source with a URL is required"),
        (broken(k, "url = \"https://disdukcapil.bandung.go.id/layanan/ktp-hilang\"", "url = \"disdukcapil.bandung.go.id\""),
         "services/ktp-el-hilang.toml: sources[0].url: invalid URL \"disdukcapil.bandung.go.id\": use an https:// (or http://) address"),
        // unknown fields
        (broken(k, "keywords =", "kewords ="),
         "services/ktp-el-hilang.toml: keywords: missing\n\
          services/ktp-el-hilang.toml: kewords: unknown field (misspelt?)"),
        (broken("services/kk-baru.toml", "fee = { free = true }", "fee = { free = true, gratis = true }"),
         "services/kk-baru.toml: fee.gratis: unknown field (misspelt?)"),
        (broken("offices.toml", "phone = \"(022) 4209891\"", "telepon = \"(022) 4209891\""),
         "offices.toml: office[0].telepon: unknown field (misspelt?)"),
        // ids unique
        (broken("offices.toml", "id = \"disdukcapil-kab-kebumen\"", "id = \"disdukcapil-kota-bandung\""),
         "offices.toml: office[1].id: duplicate id \"disdukcapil-kota-bandung\""),
        // a field of the wrong type, an unknown value, a syntax error
        (broken(k, "version = 3", "version = \"3\""), "services/ktp-el-hilang.toml: version: expected a whole number"),
        (broken("agencies.toml", "level = \"pusat\"", "level = \"nasional\""),
         "agencies.toml: agency[1].level: \"nasional\" is not one of \"pusat\", \"provinsi\", \"kabupaten\", \"desa\""),
        (broken(k, "kind = \"website\"", "kind = \"web\""),
         "services/ktp-el-hilang.toml: channels[2].kind: \"web\" is not one of \"online\", \"office\", \"website\""),
        (broken("offices.toml", "region_code = \"33.05\"", "region_code = \"3305\""),
         "offices.toml: office[1].region_code: invalid region code \"3305\": use two digits, a dot and two digits, e.g. \"33.05\""),
        (broken("offices.toml", "lon = 109.6520\n", ""), "offices.toml: office[1].lon: lat and lon go together: give both or neither"),
        // life events and services agree
        (broken("services/kk-baru.toml", "life_events = []", "life_events = [\"kehilangan-dokumen\"]"),
         "services/kk-baru.toml: life_events[0]: lists life event \"kehilangan-dokumen\", whose steps do not include this service"),
    ];
    // One error per case, or the few a single edit truly causes (one per line).
    for (files, expected) in cases {
        assert_eq!(
            errors_of(&files).join("\n"),
            expected,
            "expected only: {expected}"
        );
    }
}

#[test]
fn a_syntax_error_names_its_line_and_does_not_cascade() {
    let files = broken(
        "services/kk-baru.toml",
        "keywords = [\"kk\", \"kartu keluarga\"]",
        "keywords = [\"kk\", ",
    );
    let errors = errors_of(&files);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("services/kk-baru.toml: not valid TOML: line "),
        "{}",
        errors[0]
    );
    // The services that name kk-baru in produced_by are not also reported.
}

#[test]
fn a_cycle_between_steps_is_an_authoring_error() {
    // The police report now also needs the new KTP-el: each step needs the other.
    let files = broken(
        "services/surat-kehilangan-polisi.toml",
        "produced_by = \"kk-baru\"",
        "produced_by = \"ktp-el-hilang\"",
    );
    assert_eq!(
        errors_of(&files),
        vec![
            "life-events.toml: life_event[0].steps: steps need each other's documents in a cycle: \
             ktp-el-hilang -> surat-kehilangan-polisi -> ktp-el-hilang"
                .to_owned()
        ]
    );
}

#[test]
fn every_error_is_collected_not_just_the_first() {
    let mut files = broken("services/ktp-el-hilang.toml", "version = 3", "version = 0");
    let text = files.get_mut("services/ktp-el-hilang.toml").unwrap();
    *text = text
        .replace("produced_by = \"kk-baru\"", "produced_by = \"kk-bru\"")
        .replace("[audience]", "[audiens]");
    let agencies = files.get_mut("agencies.toml").unwrap();
    *agencies = agencies.replace("level = \"pusat\"", "");
    let errors = errors_of(&files);
    assert_eq!(
        errors,
        vec![
            "agencies.toml: agency[1].level: missing",
            "services/ktp-el-hilang.toml: version: must be at least 1",
            "services/ktp-el-hilang.toml: audience: missing",
            "services/ktp-el-hilang.toml: audiens: unknown field (misspelt?)",
        ],
        "a record that cannot be read whole is not checked for references"
    );
    // Typed, not only text.
    let dir = tempfile::tempdir().unwrap();
    write_folder(dir.path(), &files);
    let typed: Vec<AuthoringError> = authoring::load(dir.path()).unwrap_err().into_vec();
    assert_eq!(typed[1].problem, Problem::TooSmall { min: 1 });
    assert_eq!(typed[1].field, "version");
    assert_eq!(typed[1].file, "services/ktp-el-hilang.toml");
}

#[test]
fn references_are_checked_across_all_files_at_once() {
    let mut files = broken(
        "services/ktp-el-hilang.toml",
        "produced_by = \"kk-baru\"",
        "produced_by = \"kk-bru\"",
    );
    let office = files.get_mut("offices.toml").unwrap();
    *office = office.replacen("agency = \"disdukcapil\"", "agency = \"capil\"", 1);
    let errors = errors_of(&files);
    assert_eq!(
        errors,
        vec![
            "offices.toml: office[0].agency: unknown agency \"capil\"",
            "services/ktp-el-hilang.toml: requirements[1].produced_by: unknown service \"kk-bru\"",
        ]
    );
    let typed = authoring::from_files(&files).unwrap_err();
    assert!(typed.errors().iter().any(|e| e.problem
        == Problem::UnknownReference {
            kind: RecordKind::Service,
            id: "kk-bru".into()
        }));
}

#[test]
fn missing_and_unexpected_files_are_errors() {
    let mut files = valid_files();
    files.remove("offices.toml");
    files.insert("agency.toml".into(), "x = 1".into());
    files.insert("services/kia.tml".into(), "".into());
    let errors = errors_of(&files);
    assert!(
        errors.contains(&"offices.toml: file is missing".to_owned()),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("agency.toml: unexpected file")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("services/kia.tml: unexpected file")),
        "{errors:?}"
    );
    // The office references fail too: the file is missing, not merely unreadable.
    assert!(
        errors
            .iter()
            .any(|e| e.contains("unknown office \"disdukcapil-kota-bandung\"")),
        "{errors:?}"
    );

    let empty = tempfile::tempdir().unwrap();
    let errors: Vec<String> = authoring::load(empty.path())
        .unwrap_err()
        .errors()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        errors,
        vec![
            "agencies.toml: file is missing",
            "offices.toml: file is missing",
            "life-events.toml: file is missing",
            "services/: file is missing",
        ]
    );
}

#[test]
fn a_copied_service_file_is_reported_once() {
    let mut files = valid_files();
    files.insert("services/kk-lagi.toml".into(), common::KK_BARU.to_owned());
    let errors = errors_of(&files);
    assert_eq!(
        errors,
        vec!["services/kk-lagi.toml: id: id \"kk-baru\" does not match the file name \"kk-lagi\""]
    );
}
