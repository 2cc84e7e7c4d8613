//! Checking a submission before it is accepted. Until the forms engine (core/forms)
//! lands, the check is: well-formed XML whose root names a form and which carries a
//! `meta/instanceID`. The [`SubmissionValidator`] trait is where the engine plugs in,
//! so the server refuses exactly what the phone would.

use layanan_protocol::{FieldIssue, InstanceId};

/// What the server reads from every submission to file it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    pub instance_id: InstanceId,
    pub form_id: String,
    pub form_version: String,
}

/// Why a submission is refused, in words the device can show the citizen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    /// Bahasa Indonesia.
    pub reason: String,
    pub reason_en: String,
    /// The questions that failed, if the refusal is about answers.
    pub fields: Vec<FieldIssue>,
}

impl Rejection {
    pub fn new(reason: impl Into<String>, reason_en: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
            reason_en: reason_en.into(),
            fields: Vec::new(),
        }
    }
}

/// Checks a submission against the form it claims to fill.
pub trait SubmissionValidator: Send + Sync + std::fmt::Debug {
    /// `form_xml` is the XForm the server holds for the submission's form id.
    /// Reasons must not quote answers: they reach logs and screens.
    fn validate(&self, form_xml: &[u8], submission_xml: &[u8]) -> Result<(), Rejection>;
}

/// The interim validator: the envelope must parse (see [`read_envelope`]).
#[derive(Debug, Default)]
pub struct WellFormedXml;

impl SubmissionValidator for WellFormedXml {
    fn validate(&self, _form_xml: &[u8], submission_xml: &[u8]) -> Result<(), Rejection> {
        read_envelope(submission_xml).map(|_| ())
    }
}

/// Reads form id, version and instanceID from a submission, refusing anything that is
/// not well-formed XML with those.
pub fn read_envelope(xml: &[u8]) -> Result<Envelope, Rejection> {
    let text = std::str::from_utf8(xml)
        .map_err(|_| Rejection::new("XML bukan UTF-8.", "XML is not UTF-8."))?;
    let doc = roxmltree::Document::parse(text).map_err(|_| {
        Rejection::new(
            "XML kiriman tidak valid (tidak well-formed).",
            "Submission XML is not well-formed.",
        )
    })?;
    let root = doc.root_element();
    let form_id = root
        .attribute("id")
        .filter(|id| !id.trim().is_empty())
        .ok_or_else(|| {
            Rejection::new(
                "Elemen akar kiriman tidak memiliki atribut id formulir.",
                "The submission's root element has no form id attribute.",
            )
        })?;
    let form_version = root.attribute("version").unwrap_or("").to_owned();
    let instance_text = root
        .children()
        .filter(|n| n.is_element() && n.tag_name().name() == "meta")
        .flat_map(|meta| meta.children())
        .find(|n| n.is_element() && n.tag_name().name() == "instanceID")
        .and_then(|n| n.text())
        .ok_or_else(|| {
            Rejection::new(
                "Kiriman tidak memiliki meta/instanceID.",
                "The submission has no meta/instanceID.",
            )
        })?;
    let instance_id = instance_text.trim().parse::<InstanceId>().map_err(|_| {
        Rejection::new(
            "meta/instanceID bukan uuid yang valid.",
            "meta/instanceID is not a valid uuid.",
        )
    })?;
    Ok(Envelope {
        instance_id,
        form_id: form_id.to_owned(),
        form_version,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_envelope_including_namespaced_meta() {
        let xml = br#"<?xml version="1.0"?>
<data id="ktp" version="3" xmlns:orx="http://openrosa.org/xforms">
  <nama>Siti</nama>
  <orx:meta><orx:instanceID>uuid:6F1E2A4C-0B7D-4C55-9E21-3A8F0D9B1C2E</orx:instanceID></orx:meta>
</data>"#;
        let env = read_envelope(xml).unwrap();
        assert_eq!(env.form_id, "ktp");
        assert_eq!(env.form_version, "3");
        assert_eq!(
            env.instance_id.as_str(),
            "uuid:6f1e2a4c-0b7d-4c55-9e21-3a8f0d9b1c2e"
        );
    }

    #[test]
    fn refuses_broken_xml_and_missing_ids_without_quoting_answers() {
        let cases: [&[u8]; 4] = [
            b"<data id='ktp'><nama>Siti</data>",
            b"<data><meta><instanceID>uuid:6f1e2a4c-0b7d-4c55-9e21-3a8f0d9b1c2e</instanceID></meta></data>",
            b"<data id='ktp'><nama>Siti</nama></data>",
            b"<data id='ktp'><meta><instanceID>Siti</instanceID></meta></data>",
        ];
        for xml in cases {
            let err = read_envelope(xml).unwrap_err();
            assert!(!err.reason.contains("Siti") && !err.reason_en.contains("Siti"));
        }
    }
}
