//! Differential check against ODK's own engine, `@getodk/xforms-engine` 0.22 (headless on
//! Node with jsdom, driven by tests/differential/odk_engine.mjs): for the pyxform test
//! forms and scripted answers, every leaf's relevance, required and read-only state,
//! validation result and value after every step, and the final instance XML, must match.
//! Mismatches are listed by form, step and node.
//!
//! Needs Node and `npm ci` in tests/differential; skipped (with a note) when the engine
//! is not installed there. Set LAYANAN_REQUIRE_ODK_ENGINE=1 to make its absence a failure.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

use layanan_forms::{FixedEnvironment, Form, FormSession, IssueKind, Timestamp};
use serde_json::{json, Value};

/// 2026-11-28T10:00:00Z; the JS side runs with TZ=Asia/Jakarta (+07:00).
const NOW: i64 = 1_795_860_000_000;

#[derive(Clone, Copy)]
enum Op {
    Answer(&'static str, &'static str),
    Add(&'static str),
    Remove(&'static str),
}

fn scripts() -> Vec<(&'static str, &'static str, Vec<Op>)> {
    use Op::*;
    vec![
        (
            "akta_kelahiran",
            include_str!("../fixtures/pyxform/akta_kelahiran.xml"),
            vec![
                Answer("/data/bayi/child_name", "Putri Ayu"),
                Answer("/data/bayi/sex", "f"),
                Answer("/data/bayi/dob", "2026-12-01"),
                Answer("/data/bayi/dob", "2026-08-01"),
                Answer("/data/birth_place", "Bandung"),
                Answer("/data/weight", "3.2"),
                Answer("/data/mother_nik", "327301450790"),
                Answer("/data/mother_nik", "3273014507900002"),
                Answer("/data/twin", "yes"),
                Answer("/data/birth_order", "9"),
                Answer("/data/birth_order", "2"),
                Answer("/data/statement", "surat.jpg"),
            ],
        ),
        (
            "ktp_el_pengganti",
            include_str!("../fixtures/pyxform/ktp_el_pengganti.xml"),
            vec![
                Answer("/data/nik", "3201014405900001"),
                Answer("/data/full_name", "Siti Aminah"),
                Answer("/data/reason", "lost"),
                Answer("/data/police_report", "laporan.jpg"),
                Answer("/data/reason", "change"),
                Answer("/data/changed", "address marital"),
                Answer("/data/new_address", "Jl. Merdeka No. 1"),
                Answer("/data/new_marital", "married"),
                Answer("/data/changed", "job"),
                Answer("/data/signature", "ttd.png"),
            ],
        ),
        (
            "nib_usaha",
            include_str!("../fixtures/pyxform/nib_usaha.xml"),
            vec![
                Answer("/data/owner_nik", "3201014405900001"),
                Answer("/data/business_name", "Warung Bu Siti"),
                Answer("/data/sector", "food"),
                Answer("/data/kbli", "56102"),
                Answer("/data/capital", "250"),
                Answer("/data/capital", "7500"),
                Answer("/data/permits", "halal pirt"),
                Answer("/data/employees", "12"),
                Answer("/data/location", "-6.9175 107.6191 700 4.5"),
                Answer("/data/start_date", "2019-03-15"),
                Answer("/data/capital", "-1"),
            ],
        ),
        (
            "bansos_keluarga",
            include_str!("../fixtures/pyxform/bansos_keluarga.xml"),
            vec![
                Answer("/data/head_nik", "3201014405900001"),
                Answer("/data/head_name", "Ahmad"),
                Answer("/data/member[1]/m_name", "Siti"),
                Answer("/data/member[1]/relation", "spouse"),
                Answer("/data/member[1]/m_age", "35"),
                Answer("/data/member[1]/disabled", "no"),
                Add("/data/member"),
                Answer("/data/member[2]/m_name", "Budi"),
                Answer("/data/member[2]/m_age", "12"),
                Answer("/data/member[2]/disabled", "yes"),
                Add("/data/member"),
                Answer("/data/member[3]/m_name", "Ani"),
                Answer("/data/member[3]/m_age", "7"),
                Answer("/data/income", "2000000"),
                Remove("/data/member[2]"),
                Answer("/data/member[1]/m_age", "200"),
                Answer("/data/home", "-6.5971 106.806 250 8"),
                Answer("/data/house_photo", "rumah.jpg"),
            ],
        ),
        (
            "pengaduan",
            include_str!("../fixtures/pyxform/pengaduan.xml"),
            vec![
                Answer("/data/anonymous", "no"),
                Answer("/data/reporter", "Wati"),
                Answer("/data/phone", "12345"),
                Answer("/data/phone", "081234567890"),
                Answer("/data/category", "other"),
                Answer("/data/other_cat", "Banjir"),
                Answer("/data/description", "Jalan   berlubang"),
                Answer(
                    "/data/description",
                    "Jalan desa berlubang besar di depan sekolah.",
                ),
                Answer("/data/location", "-7.2504 112.7688 5 3"),
                Answer("/data/incident", "2026-11-29"),
                Answer("/data/incident", "2026-11-27"),
                Answer("/data/anonymous", "yes"),
            ],
        ),
        (
            "bansos",
            include_str!("../fixtures/handwritten/bansos.xml"),
            vec![
                Answer("/data/nik", "123"),
                Answer("/data/nik", "3201014405900001"),
                Answer("/data/name", "Siti Aminah"),
                Answer("/data/province", "32"),
                Answer("/data/regency", "3273"),
                Answer("/data/has_members", "yes"),
                Answer("/data/members[1]/m_name", "Budi"),
                Answer("/data/members[1]/m_age", "200"),
                Answer("/data/members[1]/m_age", "40"),
                Add("/data/members"),
                Answer("/data/members[2]/m_name", "Ani"),
                Answer("/data/members[2]/m_age", "10"),
                Answer("/data/income", "1500000"),
                Answer("/data/photo", "rumah.jpg"),
                Answer("/data/location", "-6.9 107.6 700 5"),
                Answer("/data/has_members", "no"),
                Answer("/data/has_members", "yes"),
                Remove("/data/members[1]"),
            ],
        ),
        (
            "nested",
            include_str!("../fixtures/handwritten/nested.xml"),
            vec![
                Answer("/hh/n_houses", "2"),
                Answer("/hh/house[1]/hname", "Rumah A"),
                Add("/hh/house[2]/rooms"),
                Answer("/hh/house[2]/rooms[1]/area", "12.5"),
                Answer("/hh/house[2]/rooms[2]/area", "7.5"),
                Answer("/hh/n_houses", "1"),
            ],
        ),
        (
            "bantuan_desa",
            include_str!("../fixtures/pyxform/bantuan_desa.xml"),
            vec![
                Answer("/data/kec", "k2"),
                Answer("/data/desa", "d4"),
                Answer("/data/kec", "k1"),
                Answer("/data/desa", "d2"),
                Answer("/data/ketua", "Pak Asep"),
                Answer("/data/jenis", "beras sembako"),
                Answer("/data/n", "3"),
                Answer("/data/penerima[2]/nama", "Siti"),
                Answer("/data/n", "2"),
            ],
        ),
        (
            "groups",
            include_str!("../fixtures/handwritten/groups.xml"),
            vec![
                Answer("/data/show", "a"),
                Answer("/data/g/x", "isi"),
                Answer("/data/pick", "b"),
                Answer("/data/score", "4"),
                Answer("/data/fruits", "mangga salak durian"),
                Answer("/data/fruits", "mangga"),
                Answer("/data/show", "b"),
            ],
        ),
    ]
}

/// The attachments of the forms with external instances, by file name.
fn attachments() -> std::collections::BTreeMap<String, Vec<u8>> {
    std::collections::BTreeMap::from([
        (
            "wilayah.csv".to_string(),
            include_bytes!("../fixtures/xlsform/media/wilayah.csv").to_vec(),
        ),
        (
            "kecamatan.xml".to_string(),
            include_bytes!("../fixtures/xlsform/media/kecamatan.xml").to_vec(),
        ),
    ])
}

fn attachments_json() -> Value {
    let map: serde_json::Map<String, Value> = attachments()
        .into_iter()
        .map(|(k, v)| (k, Value::String(String::from_utf8_lossy(&v).into_owned())))
        .collect();
    Value::Object(map)
}

fn describe(op: &Op) -> String {
    match op {
        Op::Answer(p, v) => format!("answer {p} = {v:?}"),
        Op::Add(p) => format!("add {p}"),
        Op::Remove(p) => format!("remove {p}"),
    }
}

/// One side's view of a leaf.
#[derive(Debug, Clone, PartialEq)]
struct Leaf {
    value: Option<String>,
    relevant: bool,
    required: bool,
    readonly: bool,
    violation: Option<String>,
}

fn ours(s: &FormSession) -> BTreeMap<String, Leaf> {
    s.snapshot()
        .into_iter()
        .map(|n| {
            let violation = n.issue.map(|k| {
                match k {
                    IssueKind::Required => "required",
                    IssueKind::Constraint | IssueKind::Type => "constraint",
                }
                .to_string()
            });
            (
                n.path,
                Leaf {
                    value: n.relevant.then_some(n.value),
                    relevant: n.relevant,
                    required: n.required,
                    readonly: n.readonly,
                    violation,
                },
            )
        })
        .collect()
}

fn theirs(v: &Value) -> BTreeMap<String, Leaf> {
    let mut out = BTreeMap::new();
    if let Some(map) = v.as_object() {
        for (k, n) in map {
            out.insert(
                k.clone(),
                Leaf {
                    value: n["value"].as_str().map(str::to_string),
                    relevant: n["relevant"].as_bool().unwrap_or(false),
                    required: n["required"].as_bool().unwrap_or(false),
                    readonly: n["readonly"].as_bool().unwrap_or(false),
                    violation: n["violation"].as_str().map(str::to_string),
                },
            );
        }
    }
    out
}

/// Nodes whose values are random by design.
fn random(path: &str) -> bool {
    path.ends_with("instanceID") || path.ends_with("instanceID[1]")
}

fn compare(
    form: &str,
    step: &str,
    odk: &BTreeMap<String, Leaf>,
    us: &BTreeMap<String, Leaf>,
    out: &mut Vec<String>,
) {
    for (path, o) in odk {
        let Some(u) = us.get(path) else {
            out.push(format!("{form} | {step} | {path}: missing in layanan"));
            continue;
        };
        let mut diff = |what: &str, a: String, b: String| {
            if a != b {
                out.push(format!(
                    "{form} | {step} | {path}: {what} odk={a} layanan={b}"
                ));
            }
        };
        diff("relevant", o.relevant.to_string(), u.relevant.to_string());
        diff("required", o.required.to_string(), u.required.to_string());
        diff("readonly", o.readonly.to_string(), u.readonly.to_string());
        if !random(path) {
            diff("value", format!("{:?}", o.value), format!("{:?}", u.value));
        }
        diff(
            "violation",
            format!("{:?}", o.violation),
            format!("{:?}", u.violation),
        );
    }
}

/// Leaf values of an instance XML by path (positions on repeated names).
fn xml_fields(xml: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Ok(doc) = roxmltree::Document::parse(xml) else {
        out.insert("<unparseable>".into(), xml.into());
        return out;
    };
    fn walk(n: roxmltree::Node<'_, '_>, path: &str, out: &mut BTreeMap<String, String>) {
        let kids: Vec<_> = n.children().filter(|c| c.is_element()).collect();
        if kids.is_empty() {
            out.insert(path.to_string(), n.text().unwrap_or("").to_string());
        }
        for k in &kids {
            let name = k.tag_name().name();
            let pos = kids
                .iter()
                .filter(|x| x.tag_name().name() == name)
                .position(|x| x == k)
                .unwrap_or(0);
            walk(*k, &format!("{path}/{name}[{}]", pos + 1), out);
        }
    }
    let root = doc.root_element();
    walk(root, &format!("/{}", root.tag_name().name()), &mut out);
    out
}

#[test]
fn matches_odk_xforms_engine() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/differential");
    let engine = dir.join("node_modules/@getodk/xforms-engine");
    if !engine.exists() {
        assert!(
            std::env::var_os("LAYANAN_REQUIRE_ODK_ENGINE").is_none(),
            "ODK engine not installed: run `npm ci` in {}",
            dir.display()
        );
        eprintln!(
            "skipped: run `npm ci` in {} to compare with ODK's engine",
            dir.display()
        );
        return;
    }
    let scripts = scripts();
    let forms: Vec<Value> = scripts
        .iter()
        .map(|(name, xml, steps)| {
            let steps: Vec<Value> = steps
                .iter()
                .map(|s| match s {
                    Op::Answer(p, v) => json!({"op": "answer", "path": p, "value": v}),
                    Op::Add(p) => json!({"op": "add", "path": p}),
                    Op::Remove(p) => json!({"op": "remove", "path": p}),
                })
                .collect();
            json!({"name": name, "xml": xml, "steps": steps, "attachments": attachments_json()})
        })
        .collect();
    let input = json!({"now": NOW, "forms": forms}).to_string();
    let mut child = Command::new("node")
        .arg(dir.join("odk_engine.mjs"))
        .env("TZ", "Asia/Jakarta")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("node: {e}"));
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(input.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let output = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    assert!(
        output.status.success(),
        "odk_engine.mjs failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("bad JSON: {e}"));

    let env = Arc::new(FixedEnvironment::new(
        Timestamp {
            epoch_millis: NOW,
            offset_minutes: 420,
        },
        1,
    ));
    let mut mismatches = Vec::new();
    let mut asked = Vec::new();
    for (name, xml, steps) in &scripts {
        let odk = &result[*name];
        for e in odk["errors"].as_array().into_iter().flatten() {
            mismatches.push(format!("{name} | odk engine error: {e}"));
        }
        let form = Arc::new(
            Form::parse_with_attachments(xml, &attachments())
                .unwrap_or_else(|e| panic!("{name}: {e}")),
        );
        let mut s = FormSession::new(form, env.clone());
        let snaps = odk["snapshots"].as_array().cloned().unwrap_or_default();
        compare(
            name,
            "start",
            &theirs(&snaps[0]),
            &ours(&s),
            &mut mismatches,
        );
        for (i, op) in steps.iter().enumerate() {
            let r = match op {
                Op::Answer(p, v) => s.answer(p, v),
                Op::Add(p) => s.add_repeat(p).map(|_| ()),
                Op::Remove(p) => s.remove_repeat(p),
            };
            let label = format!("step {} ({})", i + 1, describe(op));
            if let Err(e) = r {
                mismatches.push(format!("{name} | {label}: layanan refused: {e}"));
            }
            // A smaller jr:count keeps answered instances until the citizen agrees to
            // drop them (ADR 0003); ODK drops them at once. Agree, as ODK would.
            let surplus = s.surplus_repeats();
            for p in &surplus {
                asked.push(format!("{name}: {p}"));
                let repeat = p.rsplit_once('[').map(|(r, _)| r).unwrap_or(p);
                if let Err(e) = s.drop_surplus_repeats(repeat) {
                    mismatches.push(format!("{name} | {label}: drop refused: {e}"));
                }
            }
            if let Some(snap) = snaps.get(i + 1) {
                compare(name, &label, &theirs(snap), &ours(&s), &mut mismatches);
            }
        }
        let their_xml = xml_fields(odk["xml"].as_str().unwrap_or(""));
        let our_xml = xml_fields(&s.instance_xml());
        for key in their_xml.keys().chain(our_xml.keys()) {
            if random(key) {
                continue;
            }
            let (a, b) = (their_xml.get(key), our_xml.get(key));
            if a != b {
                mismatches.push(format!(
                    "{name} | submission | {key}: odk={a:?} layanan={b:?}"
                ));
            }
        }
    }
    assert_eq!(asked, vec!["nested: /hh/house[2]".to_string()]);
    mismatches.dedup();
    assert!(
        mismatches.is_empty(),
        "{} mismatch(es) with ODK's engine:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
