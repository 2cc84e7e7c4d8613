//! The generated 1,000-question form (the benchmark's) loads and recomputes correctly.
//! Timing is measured by `benches/engine.rs`, never asserted here.

use std::sync::Arc;

use layanan_forms::{FixedEnvironment, Form, FormSession, Timestamp};

#[path = "../benches/generate.rs"]
mod generate;

#[test]
fn big_generated_form_recomputes_correctly() {
    let xml = generate::big_form(1000, 300, 100);
    let form = Arc::new(Form::parse(&xml).unwrap_or_else(|e| panic!("{e}")));
    // 1,000 constraints, 300 relevance, 100 calculates, instanceID readonly.
    assert_eq!(form.graph.vertices.len(), 1000 + 300 + 100 + 1);
    let env = Arc::new(FixedEnvironment::new(
        Timestamp {
            epoch_millis: 0,
            offset_minutes: 0,
        },
        1,
    ));
    let mut s = FormSession::new(form, env);
    // q1..q300 are irrelevant while q0 is empty.
    assert_eq!(s.page_count(), 700);
    s.answer("/data/q0", "7").unwrap_or_else(|e| panic!("{e}"));
    // q0 > i % 50 holds for i % 50 < 7: 6 or 7 of every 50 of the 300.
    let relevant = (1..=300).filter(|i| 7 > i % 50).count();
    assert_eq!(s.page_count(), 700 + relevant);
    assert_eq!(s.value("/data/c0"), Some("14.0"));
    s.answer("/data/q10", "5").unwrap_or_else(|e| panic!("{e}"));
    // q10 is not relevant (7 > 10 fails): it reads as blank, as in ODK.
    assert_eq!(s.value("/data/c1"), Some(""));
    s.answer("/data/q0", "60").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.page_count(), 1000);
    assert_eq!(s.value("/data/c1"), Some("125.0"));
    // An empty term makes the rest of the chain NaN (stored empty), as in ODK.
    assert_eq!(s.value("/data/c2"), Some(""));
    for k in 2..100 {
        s.answer(&format!("/data/q{}", k * 10), "0")
            .unwrap_or_else(|e| panic!("{e}"));
    }
    assert_eq!(s.value("/data/c99"), Some("125.0"));
    s.answer("/data/q990", "1")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.value("/data/c99"), Some("126.0"));
}
