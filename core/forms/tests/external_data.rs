//! External secondary instances and form media, on a form authored as XLSForm
//! (fixtures/xlsform/bantuan_desa.md, converted by pyxform): `select_one_from_file` on
//! an XML and a CSV list with a choice filter, `pulldata()`, `jr:choice-name` on a CSV
//! list, a `${last-saved#...}` default, a row number (`position(..)`) in a counted
//! repeat, a select_multiple, and an image in a label.

use std::collections::BTreeMap;
use std::sync::Arc;

use layanan_forms::{
    FixedEnvironment, Form, FormSession, LoadError, LoadWarning, SessionStart, Timestamp,
};

const XML: &str = include_str!("../fixtures/pyxform/bantuan_desa.xml");
const WILAYAH: &[u8] = include_bytes!("../fixtures/xlsform/media/wilayah.csv");
const KECAMATAN: &[u8] = include_bytes!("../fixtures/xlsform/media/kecamatan.xml");

fn env() -> Arc<FixedEnvironment> {
    Arc::new(FixedEnvironment::new(
        Timestamp {
            epoch_millis: 1_795_860_000_000,
            offset_minutes: 420,
        },
        5,
    ))
}

fn media() -> BTreeMap<String, Vec<u8>> {
    BTreeMap::from([
        ("wilayah.csv".to_string(), WILAYAH.to_vec()),
        ("kecamatan.xml".to_string(), KECAMATAN.to_vec()),
    ])
}

fn form() -> Arc<Form> {
    Arc::new(Form::parse_with_attachments(XML, &media()).unwrap_or_else(|e| panic!("{e}")))
}

fn ok<T, E: std::fmt::Debug>(r: Result<T, E>) -> T {
    r.unwrap_or_else(|e| panic!("{e:?}"))
}

fn choice_values(s: &FormSession, path: &str) -> Vec<String> {
    let q = s
        .question_at(path)
        .unwrap_or_else(|| panic!("no question {path}"));
    q.choices.into_iter().map(|c| c.value).collect()
}

#[test]
fn the_form_names_its_attachments_and_media() {
    let f = form();
    assert_eq!(f.attachment_names(), ["kecamatan.xml", "wilayah.csv"]);
    assert_eq!(f.media_files(), ["map.png", "peta.png"]);
    assert!(f.warnings().is_empty(), "{:?}", f.warnings());
}

#[test]
fn missing_attachments_load_empty_with_a_warning() {
    let f = ok(Form::parse(XML));
    assert_eq!(
        f.warnings(),
        &[
            LoadWarning::MissingAttachment {
                instance: "kecamatan".into(),
                name: "kecamatan.xml".into()
            },
            LoadWarning::MissingAttachment {
                instance: "wilayah".into(),
                name: "wilayah.csv".into()
            },
        ]
    );
    let s = FormSession::new(Arc::new(f), env());
    assert!(choice_values(&s, "/data/kec").is_empty());
}

#[test]
fn a_malformed_attachment_is_a_typed_load_error() {
    let mut m = media();
    m.insert("wilayah.csv".into(), b"name,label\n\"open".to_vec());
    match Form::parse_with_attachments(XML, &m) {
        Err(LoadError::Attachment { name, reason }) => {
            assert_eq!(name, "wilayah.csv");
            assert!(reason.contains("line 2"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn choice_lists_filters_and_pulldata_from_files() {
    let mut s = FormSession::new(form(), env());
    assert_eq!(choice_values(&s, "/data/kec"), ["k1", "k2"]);
    // No district yet: the filtered village list is empty.
    assert!(choice_values(&s, "/data/desa").is_empty());
    ok(s.answer("/data/kec", "k2"));
    assert_eq!(choice_values(&s, "/data/desa"), ["d3", "d4"]);
    // A village of another district is refused, not silently blanked (ADR 0003).
    assert!(s.answer("/data/desa", "d1").is_err());
    ok(s.answer("/data/desa", "d4"));
    assert_eq!(s.value("/data/kode_pos"), Some("40125"));
    // A quoted CSV field keeps its comma; jr:choice-name reads the CSV label.
    assert_eq!(s.value("/data/desa_nama"), Some("Neglasari, Utara"));
    ok(s.answer("/data/kec", "k1"));
    assert_eq!(choice_values(&s, "/data/desa"), ["d1", "d2"]);
    // The old district's village is no longer offered: cleared, as ODK does, and
    // what was pulled from it recomputes.
    assert_eq!(s.value("/data/desa"), Some(""));
    assert_eq!(s.value("/data/kode_pos"), Some(""));
}

#[test]
fn row_numbers_in_a_counted_repeat() {
    let mut s = FormSession::new(form(), env());
    ok(s.answer("/data/n", "3"));
    assert_eq!(ok(s.repeat_count("/data/penerima")), 3);
    for i in 1..=3 {
        assert_eq!(
            s.value(&format!("/data/penerima[{i}]/no"))
                .map(str::to_string),
            Some(i.to_string())
        );
    }
    let q = s
        .question_at("/data/penerima[2]/nama")
        .unwrap_or_else(|| panic!("no question"));
    assert_eq!(q.label, "Nama penerima 2");
    // Answered instance 3 (and 2, before it) survive a smaller count until the
    // citizen agrees; instances are only ever dropped from the end, as in ODK.
    ok(s.answer("/data/penerima[3]/nama", "Budi"));
    ok(s.answer("/data/n", "1"));
    assert_eq!(
        s.surplus_repeats(),
        ["/data/penerima[2]", "/data/penerima[3]"]
    );
    assert_eq!(ok(s.repeat_count("/data/penerima")), 3);
    ok(s.drop_surplus_repeats("/data/penerima"));
    assert_eq!(ok(s.repeat_count("/data/penerima")), 1);
}

#[test]
fn select_multiple_is_stored_in_choice_order() {
    let mut s = FormSession::new(form(), env());
    ok(s.answer("/data/jenis", "sembako   beras sembako"));
    assert_eq!(s.value("/data/jenis"), Some("beras sembako"));
}

#[test]
fn media_in_labels_follow_the_language() {
    let mut s = FormSession::new(form(), env());
    let q = s.question_at("/data/kec").unwrap_or_else(|| panic!("q"));
    assert_eq!(q.media.len(), 1);
    assert_eq!(q.media[0].kind, "image");
    assert_eq!(q.media[0].uri, "jr://images/peta.png");
    assert_eq!(q.media[0].file, "peta.png");
    ok(s.set_language("English (en)"));
    let q = s.question_at("/data/kec").unwrap_or_else(|| panic!("q"));
    assert_eq!(q.media[0].file, "map.png");
}

#[test]
fn instance_id_from_the_start_and_last_saved_defaults() {
    let f = form();
    let fresh = FormSession::new(Arc::clone(&f), env());
    let id = fresh.instance_id().unwrap_or_default().to_string();
    assert!(id.starts_with("uuid:") && id.len() == 41, "{id}");
    let previous = "<data id=\"bantuan_desa\"><ketua>Pak Asep</ketua></data>";
    let mut s = ok(FormSession::start(
        f,
        env(),
        SessionStart {
            instance_id: Some("0b8f4a52-31a6-4c1e-9f0e-6d2f1f6a7c11".into()),
            last_saved: Some(previous.into()),
        },
    ));
    assert_eq!(s.value("/data/ketua"), Some("Pak Asep"));
    assert_eq!(
        s.instance_id(),
        Some("uuid:0b8f4a52-31a6-4c1e-9f0e-6d2f1f6a7c11")
    );
    ok(s.answer("/data/kec", "k1"));
    ok(s.answer("/data/desa", "d2"));
    ok(s.answer("/data/n", "1"));
    let sub = ok(s.finalize());
    assert_eq!(sub.instance_id, "uuid:0b8f4a52-31a6-4c1e-9f0e-6d2f1f6a7c11");
    assert!(
        sub.xml.contains("<kode_pos>40123</kode_pos>"),
        "{}",
        sub.xml
    );
    // The draft resumes with the same last-saved instance.
    let draft = s.export_draft();
    let again = ok(FormSession::resume_with_last_saved(
        form(),
        env(),
        &draft,
        Some(previous),
    ));
    assert_eq!(again.value("/data/ketua"), Some("Pak Asep"));
    // The draft resumes with the same last-saved instance.
    let draft = s.export_draft();
    let again = ok(FormSession::resume_with_last_saved(
        form(),
        env(),
        &draft,
        Some(previous),
    ));
    assert_eq!(again.value("/data/ketua"), Some("Pak Asep"));
    // A malformed previous submission is refused, typed.
    let bad = FormSession::start(
        form(),
        env(),
        SessionStart {
            instance_id: None,
            last_saved: Some("<data>".into()),
        },
    );
    assert!(bad.is_err());
}

#[test]
fn committed_xform_matches_pyxform_output() {
    let Ok(tool) = std::env::var("LAYANAN_XLS2XFORM") else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("layanan-ext-{}", std::process::id()));
    ok(std::fs::create_dir_all(&dir));
    let out = dir.join("bantuan_desa.xml");
    let src = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/xlsform/bantuan_desa.md"
    );
    let status = ok(std::process::Command::new(&tool)
        .arg("--skip_validate")
        .arg(src)
        .arg(&out)
        .output());
    assert!(status.status.success(), "{status:?}");
    assert_eq!(ok(std::fs::read_to_string(&out)), XML);
    let _ = std::fs::remove_dir_all(&dir);
}
