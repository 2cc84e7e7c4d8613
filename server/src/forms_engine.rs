//! Server-side validation with the same XForms engine the phone runs (layanan-forms),
//! so the server refuses exactly what the phone would have refused, and a tampered or
//! buggy client cannot slip past a required or constrained question.
//!
//! Parsed forms are cached by the SHA-256 of their XML: parsing costs far more than
//! validating one instance, and a changed form file simply gets a new entry.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use layanan_forms::{FixedEnvironment, Form, FormSession, IssueKind, Timestamp};
use layanan_protocol::FieldIssue;

use crate::clock::now_ms;
use crate::secrets::sha256;
use crate::validate::{read_envelope, Rejection, SubmissionValidator};

/// Most parsed forms kept; an agency serves tens of forms, not thousands.
const MAX_CACHED_FORMS: usize = 256;
/// Most failed questions named in one refusal.
const MAX_FIELDS: usize = 20;
/// Western Indonesia Time (UTC+7), the offset `today()` is evaluated in on the server.
const SERVER_OFFSET_MINUTES: i32 = 7 * 60;

/// [`SubmissionValidator`] backed by the layanan-forms engine.
#[derive(Default)]
pub struct FormsEngineValidator {
    cache: Mutex<HashMap<[u8; 32], Arc<Form>>>,
}

impl std::fmt::Debug for FormsEngineValidator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FormsEngineValidator { .. }")
    }
}

impl FormsEngineValidator {
    fn form(&self, form_xml: &[u8]) -> Result<Arc<Form>, Rejection> {
        let key = sha256(form_xml);
        if let Some(form) = self.cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return Ok(form);
        }
        let text = std::str::from_utf8(form_xml).map_err(|_| form_unusable())?;
        let form = Arc::new(Form::parse(text).map_err(|e| {
            tracing::warn!(error = %e, "a served form does not load in the forms engine");
            form_unusable()
        })?);
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= MAX_CACHED_FORMS {
                cache.clear();
            }
            cache.insert(key, Arc::clone(&form));
        }
        Ok(form)
    }
}

fn form_unusable() -> Rejection {
    Rejection::new(
        "Formulir di server tidak dapat dimuat; hubungi petugas.",
        "The server's copy of this form cannot be loaded; contact the agency.",
    )
}

fn kind_name(kind: IssueKind) -> &'static str {
    match kind {
        IssueKind::Required => "required",
        IssueKind::Constraint => "constraint",
        IssueKind::Type => "type",
    }
}

impl SubmissionValidator for FormsEngineValidator {
    fn validate(&self, form_xml: &[u8], submission_xml: &[u8]) -> Result<(), Rejection> {
        read_envelope(submission_xml)?;
        let form = self.form(form_xml)?;
        let xml = std::str::from_utf8(submission_xml)
            .map_err(|_| Rejection::new("XML bukan UTF-8.", "XML is not UTF-8."))?;
        let env = Arc::new(FixedEnvironment::new(
            Timestamp {
                epoch_millis: now_ms(),
                offset_minutes: SERVER_OFFSET_MINUTES,
            },
            0,
        ));
        let issues = FormSession::validate_submission(form, env, xml).map_err(|e| {
            // Engine errors name paths and reasons, never values.
            tracing::debug!(error = %e, "submission does not fit its form");
            Rejection::new(
                "Isi kiriman tidak sesuai dengan formulirnya.",
                "The submission does not fit its form.",
            )
        })?;
        if issues.is_empty() {
            return Ok(());
        }
        let fields: Vec<FieldIssue> = issues
            .iter()
            .take(MAX_FIELDS)
            .map(|i| FieldIssue {
                path: i.path.clone(),
                kind: kind_name(i.kind).to_owned(),
            })
            .collect();
        let listed = fields
            .iter()
            .take(3)
            .map(|f| format!("{} ({})", f.path, f.kind))
            .collect::<Vec<_>>()
            .join(", ");
        let mut rejection = Rejection::new(
            format!("ada jawaban yang wajib diisi atau tidak valid: {listed}."),
            format!("some answers are missing or invalid: {listed}."),
        );
        rejection.fields = fields;
        Err(rejection)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORM: &str = r#"<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa">
<h:head><h:title>Tes</h:title><model>
<instance><data id="tes" version="1"><nama/><umur/><meta><instanceID/></meta></data></instance>
<bind nodeset="/data/nama" type="string" required="true()"/>
<bind nodeset="/data/umur" type="int" constraint=". &gt;= 17"/>
<bind nodeset="/data/meta/instanceID" type="string" readonly="true()" jr:preload="uid"/>
</model></h:head>
<h:body><input ref="/data/nama"><label>Nama</label></input><input ref="/data/umur"><label>Umur</label></input></h:body>
</h:html>"#;

    fn submission(nama: &str, umur: &str) -> String {
        format!("<data id=\"tes\" version=\"1\"><nama>{nama}</nama><umur>{umur}</umur><meta><instanceID>uuid:6f1e2a4c-0b7d-4c55-9e21-3a8f0d9b1c2e</instanceID></meta></data>")
    }

    #[test]
    fn refuses_what_the_phone_would_refuse_naming_questions_not_answers() {
        let v = FormsEngineValidator::default();
        assert_eq!(
            v.validate(FORM.as_bytes(), submission("Siti", "30").as_bytes()),
            Ok(())
        );
        let err = v
            .validate(FORM.as_bytes(), submission("", "12").as_bytes())
            .unwrap_err();
        let kinds: Vec<_> = err
            .fields
            .iter()
            .map(|f| (f.path.as_str(), f.kind.as_str()))
            .collect();
        assert!(kinds.contains(&("/data/nama", "required")), "{kinds:?}");
        assert!(kinds.contains(&("/data/umur", "constraint")), "{kinds:?}");
        assert!(!err.reason.contains("12") || err.reason.contains("/data"));
        let wrong_form = submission("Siti", "30")
            .replace("<data id=\"tes\"", "<lain id=\"tes\"")
            .replace("</data>", "</lain>");
        assert!(v.validate(FORM.as_bytes(), wrong_form.as_bytes()).is_err());
    }
}
