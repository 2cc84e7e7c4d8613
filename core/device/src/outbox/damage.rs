//! A damaged outbox file as the citizen hears of it: which question, which file, and
//! what to do ("retake the photo"), never a chunk index or a digest.

use crate::model::{OutboxError, OutboxErrorCode};

/// The instance path (`/data/foto_ktp`) of the element of `submission_xml` whose
/// answer is `file_name`: the question the citizen took the photo for.
pub(crate) fn question_of(submission_xml: &[u8], file_name: &str) -> Option<String> {
    let text = std::str::from_utf8(submission_xml).ok()?;
    let doc = roxmltree::Document::parse(text).ok()?;
    let node = doc.descendants().find(|n| {
        n.is_element()
            && !n.children().any(|c| c.is_element())
            && n.text().map(str::trim) == Some(file_name)
    })?;
    let mut names: Vec<&str> = node
        .ancestors()
        .filter(|a| a.is_element())
        .map(|a| a.tag_name().name())
        .collect();
    names.reverse();
    Some(format!("/{}", names.join("/")))
}

/// The wedge reason for an item whose file `file_name` is damaged or missing.
pub(crate) fn damaged(submission_xml: &[u8], file_name: &str) -> OutboxError {
    let question = question_of(submission_xml, file_name);
    let name = question
        .as_deref()
        .and_then(|q| q.rsplit('/').next())
        .unwrap_or(file_name);
    OutboxError {
        code: OutboxErrorCode::AttachmentDamaged,
        message: format!(
            "Berkas \"{file_name}\" untuk pertanyaan \"{name}\" rusak atau hilang di ponsel ini. \
             Ambil ulang fotonya (atau pilih lagi berkasnya) dan lampirkan ulang; kiriman lain tetap berjalan."
        ),
        message_en: format!(
            "The file \"{file_name}\" for question \"{name}\" is damaged or missing on this phone. \
             Retake the photo (or pick the file again) and re-attach it; your other submissions carry on."
        ),
        file_name: Some(file_name.to_owned()),
        question,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_question_whose_answer_is_the_file() {
        let xml = br#"<?xml version="1.0"?><data id="f"><nama>Siti</nama><dokumen><foto_ktp>ktp.jpg</foto_ktp></dokumen><orx:meta xmlns:orx="http://openrosa.org/xforms"><orx:instanceID>uuid:1</orx:instanceID></orx:meta></data>"#;
        assert_eq!(
            question_of(xml, "ktp.jpg").as_deref(),
            Some("/data/dokumen/foto_ktp")
        );
        assert_eq!(question_of(xml, "kk.jpg"), None);
        let e = damaged(xml, "ktp.jpg");
        assert_eq!(e.code, OutboxErrorCode::AttachmentDamaged);
        assert!(
            e.message_en.contains("Retake the photo"),
            "{}",
            e.message_en
        );
        assert!(e.message_en.contains("\"foto_ktp\""), "{}", e.message_en);
        assert!(e.message.contains("Ambil ulang"), "{}", e.message);
        // Without the XML the file name still tells which.
        assert!(damaged(b"", "kk.jpg").message.contains("\"kk.jpg\""));
    }
}
