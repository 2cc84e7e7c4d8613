//! A full fill of the social-assistance form (fixtures/handwritten/bansos.xml): pages, labels in two
//! languages, choice filters, a repeat, relevance, constraints, calculations, the
//! submission XML, the JSON view, drafts and server-side validation.

use std::sync::Arc;

use layanan_forms::{FixedEnvironment, Form, FormSession, IssueKind, SessionError, Timestamp};

const BANSOS: &str = include_str!("../fixtures/handwritten/bansos.xml");
const NIK: &str = "3201014405900001";

fn env() -> Arc<FixedEnvironment> {
    // 2026-11-28T10:00:00Z = 17:00 WIB.
    Arc::new(FixedEnvironment::new(
        Timestamp {
            epoch_millis: 1_795_860_000_000,
            offset_minutes: 420,
        },
        1,
    ))
}

fn form() -> Arc<Form> {
    Arc::new(Form::parse(BANSOS).unwrap_or_else(|e| panic!("bansos.xml: {e}")))
}

fn ok<T>(r: Result<T, SessionError>) -> T {
    r.unwrap_or_else(|e| panic!("{e:?}"))
}

/// Answers everything needed up to a valid, finalizable form with two members.
fn filled() -> FormSession {
    let mut s = FormSession::new(form(), env());
    ok(s.answer("/data/nik", NIK));
    ok(s.answer("/data/name", "Siti Aminah"));
    ok(s.answer("/data/province", "32"));
    ok(s.answer("/data/regency", "3273"));
    ok(s.answer("/data/has_members", "yes"));
    ok(s.answer("/data/members[1]/m_name", "Budi"));
    ok(s.answer("/data/members[1]/m_age", "40"));
    assert_eq!(ok(s.add_repeat("/data/members")), "/data/members[2]");
    ok(s.answer("/data/members[2]/m_name", "Ani"));
    ok(s.answer("/data/members[2]/m_age", "10"));
    ok(s.answer("/data/photo", "rumah.jpg"));
    ok(s.answer("/data/location", "-6.9 107.6 700 5"));
    ok(s.answer("/data/consent", "OK"));
    s
}

#[test]
fn form_metadata() {
    let f = form();
    assert_eq!(f.id(), "bansos_2026");
    assert_eq!(f.version(), Some("2026112801"));
    assert_eq!(f.title(), "Pendaftaran Bantuan Sosial");
    assert_eq!(f.languages(), ["Bahasa Indonesia (id)", "English (en)"]);
}

#[test]
fn new_session_has_preloads_and_defaults() {
    let s = FormSession::new(form(), env());
    assert_eq!(
        s.value("/data/start"),
        Some("2026-11-28T17:00:00.000+07:00")
    );
    assert_eq!(s.value("/data/today"), Some("2026-11-28"));
    assert_eq!(
        s.value("/data/income"),
        Some("0.0"),
        "decimal default as ODK stores it"
    );
    assert_eq!(s.value("/data/end"), Some(""));
    let id = s.value("/data/meta/instanceID").unwrap_or("");
    assert!(id.starts_with("uuid:") && id.len() == 41, "{id}");
    assert_eq!(s.value("/data/member_count"), Some("1"));
    assert_eq!(ok(s.repeat_count("/data/members")), 1);
}

#[test]
fn first_page_is_the_field_list_in_indonesian() {
    let mut s = FormSession::new(form(), env());
    let p = s.current_page().unwrap_or_else(|| panic!("no page"));
    assert_eq!(p.index, 0);
    assert_eq!(p.questions.len(), 2);
    let nik = &p.questions[0];
    assert_eq!(nik.path, "/data/nik");
    assert_eq!(nik.label, "NIK kepala keluarga");
    assert_eq!(nik.hint.as_deref(), Some("16 digit angka"));
    assert_eq!(nik.guidance.as_deref(), Some("Lihat KTP-el Anda"));
    assert!(nik.required);
    // Leaving the page with both required questions empty is refused.
    match s.next_page() {
        Err(SessionError::Invalid(issues)) => {
            assert_eq!(issues.len(), 2);
            assert!(issues.iter().all(|i| i.kind == IssueKind::Required));
            assert_eq!(issues[0].message, "Pertanyaan ini wajib diisi.");
        }
        other => panic!("{other:?}"),
    }
    ok(s.answer("/data/nik", "123"));
    ok(s.answer("/data/name", "Siti"));
    let p = s.current_page().unwrap_or_else(|| panic!("no page"));
    assert_eq!(p.questions[0].error.as_deref(), Some("NIK harus 16 digit"));
    match s.next_page() {
        Err(SessionError::Invalid(issues)) => {
            assert_eq!(issues.len(), 1);
            assert_eq!(issues[0].kind, IssueKind::Constraint);
            assert_eq!(issues[0].path, "/data/nik");
        }
        other => panic!("{other:?}"),
    }
    ok(s.set_language("English (en)"));
    assert_eq!(
        s.validate_question("/data/nik").map(|i| i.message),
        Some("NIK must be 16 digits".to_string())
    );
    ok(s.answer("/data/nik", NIK));
    assert!(ok(s.next_page()));
    let p = s.current_page().unwrap_or_else(|| panic!("no page"));
    assert_eq!(p.questions[0].path, "/data/province");
    assert_eq!(p.questions[0].label, "Province");
    let labels: Vec<&str> = p.questions[0]
        .choices
        .iter()
        .map(|c| c.label.as_str())
        .collect();
    assert_eq!(labels, ["West Java", "Jakarta"]);
    assert!(s.previous_page());
    assert!(!s.previous_page());
}

#[test]
fn choice_filter_and_choice_validation() {
    let mut s = FormSession::new(form(), env());
    let q = s
        .question_at("/data/regency")
        .unwrap_or_else(|| panic!("regency"));
    assert!(q.choices.is_empty());
    ok(s.answer("/data/province", "32"));
    let q = s
        .question_at("/data/regency")
        .unwrap_or_else(|| panic!("regency"));
    let values: Vec<&str> = q.choices.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(values, ["3201", "3273"]);
    assert_eq!(q.appearance.as_deref(), Some("minimal"));
    assert!(matches!(
        s.answer("/data/regency", "3171"),
        Err(SessionError::InvalidValue { .. })
    ));
    ok(s.answer("/data/regency", "3273"));
    assert!(matches!(
        s.answer("/data/province", "99"),
        Err(SessionError::InvalidValue { .. })
    ));
}

#[test]
fn relevance_repeats_and_calculations() {
    let mut s = FormSession::new(form(), env());
    ok(s.answer("/data/has_members", "no"));
    assert_eq!(s.value("/data/member_count"), Some("1"));
    let before = s.page_count();
    ok(s.answer("/data/has_members", "yes"));
    assert_eq!(s.value("/data/member_count"), Some("2"));
    assert_eq!(
        s.page_count(),
        before + 2,
        "the member's two questions appear"
    );
    ok(s.answer("/data/members[1]/m_name", "Budi"));
    assert!(matches!(
        s.answer("/data/members[1]/m_age", "empat puluh"),
        Err(SessionError::InvalidValue { .. })
    ));
    ok(s.answer("/data/members[1]/m_age", "200"));
    let issue = s.validate_question("/data/members[1]/m_age");
    assert_eq!(
        issue.map(|i| i.message),
        Some("Umur tidak masuk akal".to_string())
    );
    ok(s.answer("/data/members[1]/m_age", "40"));
    assert_eq!(s.value("/data/adults"), Some("1"));
    assert_eq!(ok(s.add_repeat("/data/members")), "/data/members[2]");
    assert_eq!(s.value("/data/member_count"), Some("3"));
    ok(s.answer("/data/members[2]/m_name", "Ani"));
    ok(s.answer("/data/members[2]/m_age", "19"));
    assert_eq!(s.value("/data/adults"), Some("2"));
    let q = s
        .question_at("/data/members[2]/m_age")
        .unwrap_or_else(|| panic!("q"));
    assert_eq!(q.label, "Umur Ani");
    ok(s.set_language("English (en)"));
    let q = s
        .question_at("/data/members[2]/m_age")
        .unwrap_or_else(|| panic!("q"));
    assert_eq!(q.label, "Age of Ani");
    let summary = s
        .question_at("/data/summary")
        .unwrap_or_else(|| panic!("q"));
    assert_eq!(summary.label, "Members: 3");
    assert!(summary.readonly);
    assert!(matches!(
        s.answer("/data/member_count", "9"),
        Err(SessionError::ReadOnly(_))
    ));
    ok(s.remove_repeat("/data/members[1]"));
    assert_eq!(s.value("/data/members[1]/m_name"), Some("Ani"));
    assert_eq!(s.value("/data/member_count"), Some("2"));
    assert_eq!(s.value("/data/adults"), Some("1"));
    ok(s.jump("/data/members[1]/m_age"));
    let p = s.current_page().unwrap_or_else(|| panic!("page"));
    assert_eq!(p.repeat.as_deref(), Some("/data/members[1]"));
    assert_eq!(p.title.as_deref(), Some("Household members"));
    assert!(matches!(
        s.answer("/data/nope", "x"),
        Err(SessionError::UnknownPath(_))
    ));
}

#[test]
fn finalize_produces_openrosa_xml() {
    let mut s = FormSession::new(form(), env());
    match s.finalize() {
        Err(SessionError::Invalid(issues)) => {
            let paths: Vec<&str> = issues.iter().map(|i| i.path.as_str()).collect();
            assert_eq!(
                paths,
                [
                    "/data/nik",
                    "/data/name",
                    "/data/province",
                    "/data/regency",
                    "/data/has_members",
                    "/data/consent"
                ]
            );
        }
        other => panic!("{other:?}"),
    }
    let mut s = filled();
    let sub = ok(s.finalize());
    assert!(sub.instance_id.starts_with("uuid:"));
    assert_eq!(
        Some(sub.instance_id.as_str()),
        s.value("/data/meta/instanceID")
    );
    assert_eq!(
        sub.instance_name.as_deref(),
        Some("Bansos Siti Aminah 3201014405900001")
    );
    assert_eq!(sub.attachments, ["rumah.jpg"]);
    let xml = &sub.xml;
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<data"));
    assert!(xml.contains("id=\"bansos_2026\" version=\"2026112801\""));
    assert!(!xml.contains("jr:template"));
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}"));
    let text = |name: &str| -> Vec<String> {
        doc.descendants()
            .filter(|n| n.has_tag_name(name))
            .map(|n| n.text().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(text("nik"), [NIK]);
    assert_eq!(text("m_name"), ["Budi", "Ani"]);
    assert_eq!(text("m_age"), ["40", "10"]);
    assert_eq!(text("member_count"), ["3"]);
    assert_eq!(text("adults"), ["1"]);
    assert_eq!(text("regency"), ["3273"]);
    assert_eq!(text("photo"), ["rumah.jpg"]);
    assert_eq!(text("end"), ["2026-11-28T17:00:00.000+07:00"]);
    assert_eq!(text("instanceID"), vec![sub.instance_id.clone()]);
    // Element order follows the form: members sit between has_members and member_count.
    let names: Vec<&str> = doc
        .root_element()
        .children()
        .filter(|n| n.is_element())
        .map(|n| n.tag_name().name())
        .collect();
    assert_eq!(
        names,
        [
            "start",
            "today",
            "nik",
            "name",
            "province",
            "regency",
            "has_members",
            "members",
            "members",
            "member_count",
            "adults",
            "income",
            "summary",
            "photo",
            "location",
            "consent",
            "end",
            "meta"
        ]
    );
}

#[test]
fn relevance_off_removes_values_from_the_submission() {
    let mut s = filled();
    ok(s.answer("/data/has_members", "no"));
    let sub = ok(s.finalize());
    assert!(!sub.xml.contains("<members"), "{}", sub.xml);
    assert!(!sub.xml.contains("Budi"));
    assert!(sub.xml.contains("<member_count>1</member_count>"));
    let json = s.answers_json();
    assert!(!json.contains("\"members\""), "{json}");
}

#[test]
fn json_view() {
    let s = filled();
    let json = s.answers_json();
    assert!(
        json.starts_with("{\"start\":\"2026-11-28T17:00:00.000+07:00\""),
        "{json}"
    );
    assert!(json.contains(
        "\"members\":[{\"m_name\":\"Budi\",\"m_age\":\"40\"},{\"m_name\":\"Ani\",\"m_age\":\"10\"}]"
    ));
    assert!(json.contains("\"meta\":{\"instanceID\":\"uuid:"));
}

#[test]
fn draft_round_trip_keeps_answers_repeats_and_instance_id() {
    let mut s = filled();
    ok(s.answer("/data/income", ""));
    let draft = s.export_draft();
    assert_eq!(draft.get("/data/members[2]").map(String::as_str), Some(""));
    assert_eq!(
        draft.get("/data/members[2]/m_name").map(String::as_str),
        Some("Ani")
    );
    assert_eq!(draft.get("/data/income").map(String::as_str), Some(""));
    let resumed = ok(FormSession::resume(form(), env(), &draft));
    assert_eq!(resumed.export_draft(), draft);
    assert_eq!(ok(resumed.repeat_count("/data/members")), 2);
    assert_eq!(resumed.value("/data/adults"), Some("1"));
    // Unknown keys from an older form version are ignored.
    let mut old = draft.clone();
    old.insert("/data/removed_question".into(), "x".into());
    let resumed = ok(FormSession::resume(form(), env(), &old));
    assert_eq!(resumed.export_draft(), draft);
    // A draft with no member instances resumes with none.
    let mut none = draft.clone();
    none.retain(|k, _| !k.starts_with("/data/members"));
    let resumed = ok(FormSession::resume(form(), env(), &none));
    assert_eq!(ok(resumed.repeat_count("/data/members")), 0);
}

#[test]
fn server_side_validation_uses_the_same_rules() {
    let mut s = filled();
    let sub = ok(s.finalize());
    let issues = ok(FormSession::validate_submission(form(), env(), &sub.xml));
    assert!(issues.is_empty(), "{issues:?}");
    let server = ok(FormSession::from_submission(form(), env(), &sub.xml));
    assert_eq!(
        server.value("/data/meta/instanceID"),
        Some(sub.instance_id.as_str())
    );
    assert_eq!(server.value("/data/members[2]/m_name"), Some("Ani"));

    let tampered = sub.xml.replace(NIK, "12345");
    let issues = ok(FormSession::validate_submission(form(), env(), &tampered));
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].path, "/data/nik");
    assert_eq!(issues[0].kind, IssueKind::Constraint);

    let bad_type = sub.xml.replace("<m_age>40</m_age>", "<m_age>empat</m_age>");
    let issues = ok(FormSession::validate_submission(form(), env(), &bad_type));
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].kind, IssueKind::Type);

    let other_form = sub.xml.replace("bansos_2026", "other");
    assert!(matches!(
        FormSession::validate_submission(form(), env(), &other_form),
        Err(SessionError::Submission(_))
    ));
    assert!(matches!(
        FormSession::validate_submission(form(), env(), "<data"),
        Err(SessionError::Submission(_))
    ));
}
