//! Compares layanan-forms with ODK's engine on a directory of fixture forms (ODK's own
//! collection, extracted by `scripts/odk_fixtures.sh`): which forms each engine loads,
//! and for forms both load, whether every leaf starts in the same state (value,
//! relevant, required, readonly). Prints a Markdown table and the differences.
//!
//! Usage: odk_fixtures FIXTURE_DIR ODK_RESULT_JSON [STEPS_JSON] < list-of-relative-paths
//! With STEPS_JSON (scripted answers from web-forms' scenario tests), the forms it names
//! are also compared after every step.
//! Form attachments are read from the form's own directory (this example does the I/O;
//! the engine only sees the bytes through `Attachments`).

#![allow(clippy::print_stdout)] // a report tool: the table on stdout is its output.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use layanan_forms::{FixedEnvironment, Form, FormSession, Timestamp};
use serde_json::Value;

/// Same instant the JS side freezes its clock at (2026-11-28T10:00:00Z).
const NOW: i64 = 1_795_860_000_000;

#[derive(Debug, Clone, PartialEq)]
struct Leaf {
    value: Option<String>,
    relevant: bool,
    required: bool,
    readonly: bool,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().ok_or("FIXTURE_DIR missing")?);
    let odk_json = args.next().ok_or("ODK_RESULT_JSON missing")?;
    let odk: Value = serde_json::from_str(&std::fs::read_to_string(odk_json)?)?;
    let steps: Value = match args.next() {
        Some(p) => serde_json::from_str(&std::fs::read_to_string(p)?)?,
        None => Value::Null,
    };
    let mut list = String::new();
    std::io::stdin().read_to_string(&mut list)?;
    let forms: Vec<&str> = list.lines().filter(|l| !l.trim().is_empty()).collect();

    let mut rows = Vec::new();
    let mut scripted: Vec<(String, usize, Vec<String>)> = Vec::new();
    let (mut ours_loaded, mut odk_loaded, mut both, mut same) = (0, 0, 0, 0);
    for rel in &forms {
        let theirs = &odk[*rel];
        let odk_ok = theirs["loaded"].as_bool().unwrap_or(false);
        let (our_ok, our_err, diffs) = match run_ours(&dir, rel) {
            Ok(mut session) => {
                let diffs = if odk_ok {
                    compare(&theirs["nodes"], &leaves(&session))
                } else {
                    Vec::new()
                };
                if let (true, Some(script)) = (odk_ok, steps[*rel].as_array()) {
                    let d = run_steps(&mut session, script, &theirs["steps"]);
                    scripted.push((rel.to_string(), script.len(), d));
                }
                (true, String::new(), diffs)
            }
            Err(e) => (false, e, Vec::new()),
        };
        ours_loaded += usize::from(our_ok);
        odk_loaded += usize::from(odk_ok);
        if our_ok && odk_ok {
            both += 1;
            same += usize::from(diffs.is_empty());
        }
        let odk_err = theirs["error"].as_str().unwrap_or("").to_string();
        rows.push((rel.to_string(), odk_ok, odk_err, our_ok, our_err, diffs));
    }

    println!("| form | ODK loads | layanan loads | same initial state |");
    println!("| --- | --- | --- | --- |");
    for (rel, odk_ok, _, our_ok, _, diffs) in &rows {
        let state = match (odk_ok, our_ok) {
            (true, true) if diffs.is_empty() => "yes".to_string(),
            (true, true) => format!("no ({} nodes)", diffs.len()),
            _ => "-".to_string(),
        };
        println!(
            "| {} | {} | {} | {} |",
            rel.trim_start_matches("./"),
            yes(*odk_ok),
            yes(*our_ok),
            state
        );
    }
    println!();
    println!(
        "forms: {}; ODK loads {odk_loaded}; layanan loads {ours_loaded}; both load {both}; \
         identical initial state {same}/{both} ({:.1}%)",
        forms.len(),
        if both == 0 {
            0.0
        } else {
            100.0 * same as f64 / both as f64
        }
    );
    println!();
    println!("## Load differences");
    for (rel, odk_ok, odk_err, our_ok, our_err, _) in &rows {
        if odk_ok != our_ok || !odk_ok {
            println!(
                "- {}: ODK {}; layanan {}",
                rel.trim_start_matches("./"),
                if *odk_ok {
                    "loads".into()
                } else {
                    format!("refuses ({odk_err})")
                },
                if *our_ok {
                    "loads".into()
                } else {
                    format!("refuses ({our_err})")
                }
            );
        }
    }
    println!();
    println!("## After scripted answers (web-forms scenario tests)");
    println!();
    println!("| form | steps | same state after every step |");
    println!("| --- | --- | --- |");
    for (rel, n, d) in &scripted {
        let same = if d.is_empty() {
            "yes".to_string()
        } else {
            format!("no ({} differences)", d.len())
        };
        println!("| {} | {n} | {same} |", rel.trim_start_matches("./"));
    }
    let same = scripted.iter().filter(|(_, _, d)| d.is_empty()).count();
    println!();
    println!(
        "scripted forms: {}; identical after every step: {same}",
        scripted.len()
    );
    for (rel, _, d) in &scripted {
        for x in d.iter().take(8) {
            println!("- {}: {x}", rel.trim_start_matches("./"));
        }
    }
    println!();
    println!("## State differences");
    for (rel, _, _, _, _, diffs) in &rows {
        for d in diffs.iter().take(8) {
            println!("- {}: {d}", rel.trim_start_matches("./"));
        }
        if diffs.len() > 8 {
            println!(
                "- {}: ... {} more",
                rel.trim_start_matches("./"),
                diffs.len() - 8
            );
        }
    }
    Ok(())
}

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// Every file next to the form, offered to the engine by name.
fn attachments(form_dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if let Ok(entries) = std::fs::read_dir(form_dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_file() {
                if let (Some(name), Ok(bytes)) = (p.file_name(), std::fs::read(&p)) {
                    out.insert(name.to_string_lossy().into_owned(), bytes);
                }
            }
        }
    }
    out
}

/// Apply the scripted steps and compare after each with ODK's snapshots. A smaller
/// jr:count keeps answered instances until the citizen agrees (ADR 0003): agree, as
/// ODK drops them at once.
fn run_steps(s: &mut FormSession, script: &[Value], odk_steps: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for (i, step) in script.iter().enumerate() {
        let op = step["op"].as_str().unwrap_or("");
        let path = step["path"].as_str().unwrap_or("");
        let value = step["value"].as_str().unwrap_or("");
        let r = match op {
            "add" => s.add_repeat(path).map(|_| ()),
            _ => s.answer(path, value),
        };
        for p in s.surplus_repeats() {
            let repeat = p.rsplit_once('[').map(|(r, _)| r).unwrap_or(&p).to_string();
            let _ = s.drop_surplus_repeats(&repeat);
        }
        let theirs = &odk_steps[i];
        let label = format!("step {} ({op} {path} {value:?})", i + 1);
        match (&r, theirs["error"].as_str()) {
            (Err(e), None) => out.push(format!("{label}: layanan refused: {e}")),
            (Ok(()), Some(e)) => out.push(format!("{label}: ODK refused: {e}")),
            _ => {}
        }
        for d in compare(&theirs["nodes"], &leaves(s)) {
            out.push(format!("{label}: {d}"));
        }
    }
    out
}

fn leaves(session: &FormSession) -> BTreeMap<String, Leaf> {
    session
        .snapshot()
        .into_iter()
        .map(|n| {
            (
                n.path,
                Leaf {
                    value: n.relevant.then_some(n.value),
                    relevant: n.relevant,
                    required: n.required,
                    readonly: n.readonly,
                },
            )
        })
        .collect()
}

fn run_ours(dir: &Path, rel: &str) -> Result<FormSession, String> {
    let file = dir.join(rel);
    let xml = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
    let media = attachments(file.parent().unwrap_or(dir));
    let form = Form::parse_with_attachments(&xml, &media).map_err(|e| e.to_string())?;
    let env = Arc::new(FixedEnvironment::new(
        Timestamp {
            epoch_millis: NOW,
            offset_minutes: 420,
        },
        1,
    ));
    Ok(FormSession::new(Arc::new(form), env))
}

/// Values that are random by design on both sides.
fn random_value(path: &str, v: &str) -> bool {
    path.ends_with("instanceID")
        || v.starts_with("uuid:")
        || (v.len() == 36 && v.chars().filter(|&c| c == '-').count() == 4)
}

fn compare(odk: &Value, ours: &BTreeMap<String, Leaf>) -> Vec<String> {
    let mut out = Vec::new();
    let Some(map) = odk.as_object() else {
        return out;
    };
    for (path, n) in map {
        let Some(u) = ours.get(path) else {
            out.push(format!("{path}: missing in layanan"));
            continue;
        };
        let o = Leaf {
            value: n["value"].as_str().map(str::to_string),
            relevant: n["relevant"].as_bool().unwrap_or(false),
            required: n["required"].as_bool().unwrap_or(false),
            readonly: n["readonly"].as_bool().unwrap_or(false),
        };
        if o.relevant != u.relevant {
            out.push(format!(
                "{path}: relevant odk={} layanan={}",
                o.relevant, u.relevant
            ));
        }
        if o.required != u.required {
            out.push(format!(
                "{path}: required odk={} layanan={}",
                o.required, u.required
            ));
        }
        if o.readonly != u.readonly {
            out.push(format!(
                "{path}: readonly odk={} layanan={}",
                o.readonly, u.readonly
            ));
        }
        let random = match (&o.value, &u.value) {
            (Some(a), Some(b)) => random_value(path, a) && random_value(path, b),
            _ => false,
        };
        if o.value != u.value && !random {
            out.push(format!(
                "{path}: value odk={:?} layanan={:?}",
                o.value, u.value
            ));
        }
    }
    for path in ours.keys() {
        if !map.contains_key(path) {
            out.push(format!("{path}: missing in ODK"));
        }
    }
    out
}
