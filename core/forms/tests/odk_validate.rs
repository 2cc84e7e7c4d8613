//! ODK Validate (JavaRosa, shipped inside pyxform) over every XForm in fixtures/: the
//! independent check that the engine's test forms are valid for ODK Collect too.
//!
//! The jar is found next to the pyxform that `LAYANAN_XLS2XFORM` points at (the test
//! command sets it; `LAYANAN_ODK_VALIDATE` may name the jar directly). Without either,
//! the test is skipped with a note; with them, a missing jar or Java is a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

fn validate_jar() -> Option<PathBuf> {
    if let Some(j) = std::env::var_os("LAYANAN_ODK_VALIDATE") {
        return Some(PathBuf::from(j));
    }
    let xls2xform = PathBuf::from(std::env::var_os("LAYANAN_XLS2XFORM")?);
    let venv = xls2xform.parent()?.parent()?;
    let lib = std::fs::read_dir(venv.join("lib")).ok()?;
    let jar = lib
        .flatten()
        .map(|python| {
            python
                .path()
                .join("site-packages/pyxform/validators/odk_validate/bin/ODK_Validate.jar")
        })
        .find(|p| p.exists());
    Some(jar.unwrap_or_else(|| venv.join("ODK_Validate.jar (not found)")))
}

fn xforms(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            xforms(&p, out);
        } else if p.extension().is_some_and(|x| x == "xml") {
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            if text.contains("<h:html") {
                out.push(p);
            }
        }
    }
}

#[test]
fn every_fixture_form_passes_odk_validate() {
    let Some(jar) = validate_jar() else {
        eprintln!("skipped: set LAYANAN_XLS2XFORM (scripts/test does) to run ODK Validate");
        return;
    };
    assert!(jar.exists(), "ODK Validate not found at {}", jar.display());
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut forms = Vec::new();
    xforms(&root, &mut forms);
    forms.sort();
    assert!(forms.len() >= 9, "only {} forms found", forms.len());
    let mut failures = Vec::new();
    for f in &forms {
        let out = Command::new("java")
            .arg("-Djava.awt.headless=true")
            .arg("-jar")
            .arg(&jar)
            .arg(f)
            .output()
            .unwrap_or_else(|e| panic!("java: {e}"));
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        if !out.status.success() || !text.contains("Xform is valid") {
            failures.push(format!("{}:\n{text}", f.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "ODK Validate refused:\n{}",
        failures.join("\n")
    );
}
