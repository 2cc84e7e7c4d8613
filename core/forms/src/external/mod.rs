//! External secondary instances and form media: the files a form names by `jr://` URI.
//!
//! Forms reach files through URIs: `<instance id="c" src="jr://file-csv/c.csv"/>`,
//! `jr://file/c.xml`, `jr://file/c.geojson` (choice lists, `pulldata()`), and media in
//! labels (`jr://images/logo.png`). The engine does no I/O: the caller hands it the
//! bytes through [`Attachments`] (the device from its forms cache, the server from the
//! form's published media, tests from a map). `jr://instance/last-saved` is not a form
//! file but the citizen's previous submission, so it is given per session
//! (`SessionStart::last_saved`).

pub mod csv;
pub mod geojson;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use crate::instance::Document;

/// The form's attachments, by file name (`jr://file-csv/kota.csv` -> `kota.csv`).
///
/// Implement it over whatever holds the files; maps implement it already. A `None`
/// means the file is not there: the form still loads, with an empty instance and a
/// [`LoadWarning::MissingAttachment`].
pub trait Attachments {
    /// The bytes of the attachment named `name`.
    fn attachment(&self, name: &str) -> Option<Cow<'_, [u8]>>;
}

/// No attachments at all (what [`crate::Form::parse`] uses).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoAttachments;

impl Attachments for NoAttachments {
    fn attachment(&self, _name: &str) -> Option<Cow<'_, [u8]>> {
        None
    }
}

impl Attachments for BTreeMap<String, Vec<u8>> {
    fn attachment(&self, name: &str) -> Option<Cow<'_, [u8]>> {
        self.get(name).map(|b| Cow::Borrowed(b.as_slice()))
    }
}

impl Attachments for HashMap<String, Vec<u8>> {
    fn attachment(&self, name: &str) -> Option<Cow<'_, [u8]>> {
        self.get(name).map(|b| Cow::Borrowed(b.as_slice()))
    }
}

/// Something about a form that ODK accepts silently and the engine reports: the form
/// loads, but its author may want to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadWarning {
    /// A bind's nodeset names no node of the primary instance; the bind is ignored (as
    /// ODK ignores it).
    MissingNode {
        /// The bind's nodeset.
        nodeset: String,
    },
    /// An external instance's file was not supplied; the instance is empty.
    MissingAttachment {
        /// The instance id.
        instance: String,
        /// The file name the form asks for.
        name: String,
    },
    /// An external instance names a URI scheme the engine does not know; it is empty.
    UnsupportedSource {
        /// The instance id.
        instance: String,
        /// The `src` as written.
        src: String,
    },
}

impl std::fmt::Display for LoadWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadWarning::MissingNode { nodeset } => {
                write!(f, "bind '{nodeset}' names no node of the instance: ignored")
            }
            LoadWarning::MissingAttachment { instance, name } => {
                write!(
                    f,
                    "instance '{instance}': attachment '{name}' missing: empty"
                )
            }
            LoadWarning::UnsupportedSource { instance, src } => {
                write!(
                    f,
                    "instance '{instance}': source '{src}' not supported: empty"
                )
            }
        }
    }
}

/// What an external instance's `src` points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A form attachment, by file name, with its format.
    File {
        /// The file name.
        name: String,
        /// How to read it.
        format: Format,
    },
    /// `jr://instance/last-saved`: the previous submission of this form.
    LastSaved,
    /// Anything else (`jr://instance/casedb`, ...).
    Other,
}

/// The format of an attachment that becomes a secondary instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// XML: the file's root element is the instance root.
    Xml,
    /// CSV: `/root/item/<column>`.
    Csv,
    /// GeoJSON: `/root/item/{geometry,<property>,id}`.
    GeoJson,
}

/// Classify an instance `src` (`jr://file-csv/x.csv`, `jr://file/x.xml`, ...).
pub fn source(src: &str) -> Source {
    let src = src.trim();
    if src == "jr://instance/last-saved" {
        return Source::LastSaved;
    }
    let (csv, name) = if let Some(n) = src.strip_prefix("jr://file-csv/") {
        (true, n)
    } else if let Some(n) = src.strip_prefix("jr://file/") {
        (false, n)
    } else {
        return Source::Other;
    };
    let lower = name.to_ascii_lowercase();
    let format = if csv || lower.ends_with(".csv") {
        Format::Csv
    } else if lower.ends_with(".geojson") {
        Format::GeoJson
    } else {
        Format::Xml
    };
    Source::File {
        name: name.to_string(),
        format,
    }
}

/// Read an attachment's bytes into an instance document. The error is a reason
/// without the file's content.
pub fn read(bytes: &[u8], format: Format) -> Result<Document, String> {
    match format {
        Format::Csv => csv::to_document(bytes).map_err(|e| e.to_string()),
        Format::GeoJson => geojson::to_document(bytes).map_err(|e| e.to_string()),
        Format::Xml => xml_document(bytes),
    }
}

/// An XML attachment (or a last-saved submission): its root element is the root.
pub fn xml_document(bytes: &[u8]) -> Result<Document, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: 5_000_000,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, opts).map_err(|e| e.to_string())?;
    if crate::xform::parse::xml_depth(&doc) > crate::xform::parse::MAX_XML_DEPTH {
        return Err("elements nested too deeply".into());
    }
    Ok(Document::from_xml_element(doc.root_element()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_classified() {
        assert_eq!(
            source("jr://file-csv/kota.csv"),
            Source::File {
                name: "kota.csv".into(),
                format: Format::Csv
            }
        );
        assert_eq!(
            source("jr://file/peta.geojson"),
            Source::File {
                name: "peta.geojson".into(),
                format: Format::GeoJson
            }
        );
        assert_eq!(
            source("jr://file/desa.xml"),
            Source::File {
                name: "desa.xml".into(),
                format: Format::Xml
            }
        );
        assert_eq!(source("jr://instance/last-saved"), Source::LastSaved);
        assert_eq!(source("jr://instance/casedb"), Source::Other);
    }

    #[test]
    fn xml_attachment_root_is_instance_root() {
        let d = xml_document(b"<root><item><name>a</name></item></root>").unwrap();
        let root = d.root_element().unwrap();
        assert_eq!(d.name(root), "root");
        assert!(xml_document(b"<root>").is_err());
    }
}
