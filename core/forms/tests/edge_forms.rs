//! Hand-written XForms for what pyxform rarely or never emits: nested repeats with
//! jr:count, jr:noAddRemove, setvalue actions, orx-prefixed meta, groups that are
//! read-only or irrelevant as a whole, relative body refs, ranges, inline labels with
//! outputs, jr:choice-name, once() and indexed-repeat().

use std::sync::Arc;

use layanan_forms::xform::body::ControlKind;
use layanan_forms::{FixedEnvironment, Form, FormSession, SessionError, Timestamp};

fn env() -> Arc<FixedEnvironment> {
    Arc::new(
        FixedEnvironment::new(
            Timestamp {
                epoch_millis: 1_795_860_000_000,
                offset_minutes: 480,
            },
            5,
        )
        .with_property("username", "petugas_desa"),
    )
}

fn session(xml: &str) -> FormSession {
    let f = Form::parse(xml).unwrap_or_else(|e| panic!("{e}"));
    FormSession::new(Arc::new(f), env())
}

fn ok<T>(r: Result<T, SessionError>) -> T {
    r.unwrap_or_else(|e| panic!("{e:?}"))
}

const NESTED: &str = include_str!("../fixtures/handwritten/nested.xml");

#[test]
fn nested_repeats_with_count_and_setvalue() {
    let mut s = session(NESTED);
    assert_eq!(s.value("/hh/who"), Some("petugas_desa"));
    assert_eq!(s.value("/hh/visited"), Some("2026-11-28"));
    // jr:count with an empty count: no houses, and the user cannot add one.
    assert_eq!(ok(s.repeat_count("/hh/house")), 0);
    assert!(matches!(
        s.add_repeat("/hh/house"),
        Err(SessionError::Repeat(_))
    ));
    ok(s.answer("/hh/n_houses", "2"));
    assert_eq!(s.value("/hh/changed"), Some("n=2"));
    assert_eq!(s.value("/hh/created"), Some("c-2"));
    assert_eq!(ok(s.repeat_count("/hh/house")), 2);
    // Each new house got the one room of its template, named by the new-repeat action.
    assert_eq!(ok(s.repeat_count("/hh/house[2]/rooms")), 1);
    assert_eq!(s.value("/hh/house[2]/rooms[1]/rname"), Some("kamar 1"));
    assert_eq!(
        ok(s.add_repeat("/hh/house[2]/rooms")),
        "/hh/house[2]/rooms[2]"
    );
    assert_eq!(s.value("/hh/house[2]/rooms[2]/rname"), Some("kamar 2"));
    assert_eq!(s.value("/hh/first_room"), Some("kamar 1"));
    ok(s.answer("/hh/house[2]/rooms[1]/area", "12.5"));
    ok(s.answer("/hh/house[2]/rooms[2]/area", "7.5"));
    assert_eq!(
        s.value("/hh/house[2]/total"),
        Some("20.0"),
        "decimals as ODK writes them"
    );
    // sum() over empty answers is NaN, stored as an empty decimal.
    assert_eq!(s.value("/hh/house[1]/total"), Some(""));
    let q = s
        .question_at("/hh/house[2]/hname")
        .unwrap_or_else(|| panic!("q"));
    assert_eq!(q.label, "Nama rumah 2");
    // once() keeps its first value.
    ok(s.answer("/hh/n_houses", "1"));
    assert_eq!(s.value("/hh/created"), Some("c-2"));
    // House 2 has answers: it is kept until the citizen agrees to drop it.
    assert_eq!(ok(s.repeat_count("/hh/house")), 2);
    assert_eq!(s.surplus_repeats(), vec!["/hh/house[2]".to_string()]);
    ok(s.drop_surplus_repeats("/hh/house"));
    assert!(s.surplus_repeats().is_empty());
    assert_eq!(ok(s.repeat_count("/hh/house")), 1);
    assert_eq!(s.value("/hh/first_room"), Some(""));
    let sub = ok(s.finalize());
    assert_eq!(sub.instance_name.as_deref(), Some("RT 1"));
    assert!(
        sub.xml.contains(
            "<hh xmlns:orx=\"http://openrosa.org/xforms\" id=\"nested\" orx:version=\"3\">"
        ),
        "{}",
        sub.xml
    );
    assert!(sub.xml.contains(&format!(
        "<orx:instanceID>{}</orx:instanceID>",
        sub.instance_id
    )));
    // Draft round trip with nested indices.
    let draft = s.export_draft();
    assert!(draft.contains_key("/hh/house[1]"));
    let again = ok(FormSession::resume(Arc::clone(s.form()), env(), &draft));
    assert_eq!(again.export_draft(), draft);
}

const GROUPS: &str = include_str!("../fixtures/handwritten/groups.xml");

#[test]
fn groups_relevance_readonly_and_pages() {
    let mut s = session(GROUPS);
    // show, ro/z, pick, score, fruits (group g is not relevant yet).
    assert_eq!(s.page_count(), 5);
    ok(s.answer("/data/show", "a"));
    assert_eq!(s.page_count(), 6);
    assert!(ok(s.next_page()));
    let p = s.current_page().unwrap_or_else(|| panic!("page"));
    assert_eq!(p.title.as_deref(), Some("Grup G"));
    assert_eq!(p.questions.len(), 2);
    assert_eq!(p.questions[1].hint.as_deref(), Some("Inline hint"));
    assert_eq!(p.questions[1].value, "def");
    // Required inside the relevant group blocks navigation and finalize.
    assert!(matches!(s.next_page(), Err(SessionError::Invalid(_))));
    assert!(matches!(s.finalize(), Err(SessionError::Invalid(_))));
    // Once the group is irrelevant, its required question no longer matters and the
    // group disappears from the submission.
    ok(s.answer("/data/show", "b"));
    let sub = ok(s.finalize());
    assert!(!sub.xml.contains("<g>"), "{}", sub.xml);
    assert!(sub.xml.contains("<ro><z>fixed</z></ro>"));
    // Read-only through the group.
    assert!(matches!(
        s.answer("/data/ro/z", "x"),
        Err(SessionError::ReadOnly(_))
    ));
    assert!(s.question_at("/data/ro/z").is_some_and(|q| q.readonly));
}

#[test]
fn languages_choices_ranges_and_multi_selects() {
    let mut s = session(GROUPS);
    assert_eq!(s.language(), Some("Bahasa Indonesia"));
    ok(s.answer("/data/pick", "b"));
    assert_eq!(s.value("/data/picked_label"), Some("Pilihan B"));
    let q = s.question_at("/data/show").unwrap_or_else(|| panic!("q"));
    assert_eq!(q.label, "Pertanyaan satu");
    ok(s.set_language("English"));
    let q = s.question_at("/data/show").unwrap_or_else(|| panic!("q"));
    assert_eq!(q.label, "Question one");
    assert_eq!(q.choices[1].label, "Choice B");
    // A text missing in English falls back to the default language.
    let x = s.question_at("/data/g/x").unwrap_or_else(|| panic!("q"));
    assert_eq!(x.label, "Hanya Indonesia");
    assert!(s.set_language("Klingon").is_err());
    let pick = s.question_at("/data/pick").unwrap_or_else(|| panic!("q"));
    assert_eq!(pick.appearance.as_deref(), Some("likert"));
    assert_eq!(pick.kind, ControlKind::Select1);
    // Range bounds.
    assert!(matches!(
        s.answer("/data/score", "9"),
        Err(SessionError::InvalidValue { .. })
    ));
    ok(s.answer("/data/score", "4"));
    // Multi-select: values normalised, unknown values refused, constraint checked.
    ok(s.answer("/data/fruits", "  mangga   salak "));
    assert_eq!(s.value("/data/fruits"), Some("mangga salak"));
    assert!(matches!(
        s.answer("/data/fruits", "mangga apel"),
        Err(SessionError::InvalidValue { .. })
    ));
    ok(s.answer("/data/fruits", "mangga salak durian"));
    let issue = s.validate_question("/data/fruits");
    assert_eq!(issue.map(|i| i.message), Some("Maksimal dua".to_string()));
    ok(s.clear("/data/fruits"));
    assert_eq!(s.validate_question("/data/fruits"), None);
}

#[test]
fn expression_failures_are_reported_not_fatal() {
    let xml = r#"<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml">
  <h:head><h:title>F</h:title><model>
    <instance><data id="f"><a/><b/></data></instance>
    <bind nodeset="/data/b" calculate="if(/data/a = '', '', regex(/data/a, '['))"/>
  </model></h:head>
  <h:body><input ref="/data/a"><label>A</label></input></h:body></h:html>"#;
    let mut s = session(xml);
    assert!(s.expression_failures().is_empty());
    ok(s.answer("/data/a", "x"));
    assert_eq!(s.expression_failures().len(), 1);
    assert_eq!(s.expression_failures()[0].path, "/data/b");
    assert_eq!(s.value("/data/a"), Some("x"));
}
