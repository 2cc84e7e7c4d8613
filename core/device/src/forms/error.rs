//! Errors of filling a form, and the citizen's messages for the ones they cause.

use layanan_forms::session::Question;
use layanan_forms::xform::model::DataType;
use layanan_forms::{LoadError, SessionError};

use crate::error::StoreError;

/// Why a form operation failed. Messages name instance paths, form ids and versions,
/// never an answer or a file name.
#[derive(Debug, thiserror::Error)]
pub enum FormsError {
    /// The form's XML could not be loaded (the message names the bind and expression).
    #[error("the form cannot be loaded: {0}")]
    Load(#[from] LoadError),
    /// The engine refused the operation (unknown path, read-only question, a value of
    /// the wrong type, answers missing or invalid at finalize...).
    #[error(transparent)]
    Session(#[from] SessionError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The draft was started with another form, or another version of it.
    #[error("the draft belongs to form {draft_form} version {draft_version}, not {form} version {version}")]
    FormMismatch {
        draft_form: String,
        draft_version: String,
        form: String,
        version: String,
    },
    /// The answer does not fit its question (type, choices or range). `reason` is for
    /// developers; `message` (Bahasa Indonesia) and `message_en` are for the citizen.
    /// None of them repeats the value.
    #[error("'{path}': {reason}")]
    InvalidAnswer {
        path: String,
        reason: String,
        message: String,
        message_en: String,
    },
    /// The form has no such language.
    #[error("the form has no language '{0}'")]
    UnknownLanguage(String),
    /// The question at this path does not take a file.
    #[error("'{0}' is not a file question")]
    NotAFileQuestion(String),
    /// The file's media type is not one the question accepts.
    #[error("question '{path}' accepts {accepts} files only")]
    MediaTypeRefused { path: String, accepts: String },
    /// Another question already refers to a file of the same name.
    #[error("another question already has a file of that name; '{0}' needs its own")]
    FileNameInUse(String),
    /// The answer at this path names a file that is not attached to the draft.
    #[error("the file of question '{0}' is missing")]
    MissingAttachment(String),
    /// The file given for the image question at `path` is not a readable image.
    #[error("the file for question '{path}' is not a readable image: {problem}")]
    NotAnImage {
        path: String,
        problem: super::image::ImageProblem,
    },
    /// The sealed file of the question at this path is damaged on the phone
    /// (truncated, altered or deleted): it must be attached again before finalizing.
    #[error("the stored file of question '{0}' is damaged")]
    DamagedAttachment(String),
    /// The form was finalized; the session can only be read now.
    #[error("the form was already finalized")]
    Finalized,
    /// A parameter was refused; the reason names it, not its value.
    #[error("invalid input: {0}")]
    InvalidInput(String),
}

impl FormsError {
    /// What to tell the citizen, in Bahasa Indonesia and English, for the errors a
    /// person filling the form can cause; `None` for errors of the app or the form.
    pub fn user_message(&self) -> Option<(String, String)> {
        let (id, en) = match self {
            Self::InvalidAnswer {
                message,
                message_en,
                ..
            } => return Some((message.clone(), message_en.clone())),
            Self::Session(SessionError::Invalid(_)) => (
                "Masih ada jawaban yang perlu dilengkapi atau diperbaiki.",
                "Some answers still need to be completed or corrected.",
            ),
            Self::MediaTypeRefused { .. } => (
                "Jenis berkas ini tidak dapat dipakai untuk pertanyaan ini.",
                "This type of file cannot be used for this question.",
            ),
            Self::FileNameInUse(_) => (
                "Pertanyaan lain sudah memakai berkas dengan nama yang sama.",
                "Another question already uses a file with the same name.",
            ),
            Self::MissingAttachment(_) => (
                "Berkas untuk pertanyaan ini hilang. Silakan lampirkan lagi.",
                "The file for this question is missing. Please attach it again.",
            ),
            Self::NotAnImage { .. } => (
                "Berkas ini bukan foto yang dapat dibaca (JPEG, PNG atau HEIC). Ambil ulang fotonya.",
                "This file is not a readable photo (JPEG, PNG or HEIC). Please take the photo again.",
            ),
            Self::DamagedAttachment(_) => (
                "Berkas untuk pertanyaan ini rusak di ponsel. Ambil ulang foto atau lampirkan lagi berkasnya.",
                "The file for this question is damaged on this phone. Retake the photo or attach the file again.",
            ),
            Self::Finalized => (
                "Formulir ini sudah selesai dan ada di kotak keluar.",
                "This form is finished and already in the outbox.",
            ),
            _ => return None,
        };
        Some((id.to_owned(), en.to_owned()))
    }
}

/// The citizen's message for an answer the question refuses, chosen from the
/// question rather than from the engine's (English, developer-facing) reason.
pub(super) fn invalid_answer_message(
    question: Option<&Question>,
    value: &str,
) -> (&'static str, &'static str) {
    let Some(q) = question else {
        return (
            "Jawaban tidak sesuai jenis pertanyaan.",
            "The answer does not fit the question.",
        );
    };
    if !q.choices.is_empty() || matches!(q.data_type, DataType::Select1 | DataType::Select) {
        return (
            "Pilih dari pilihan yang tersedia.",
            "Choose from the options offered.",
        );
    }
    if q.range.is_some() && value.trim().parse::<f64>().is_ok() {
        return (
            "Nilai berada di luar rentang yang diizinkan.",
            "The value is outside the allowed range.",
        );
    }
    match q.data_type {
        DataType::Int => ("Isi dengan bilangan bulat.", "Enter a whole number."),
        DataType::Decimal => ("Isi dengan angka.", "Enter a number."),
        DataType::Boolean => ("Pilih ya atau tidak.", "Choose yes or no."),
        DataType::Date => ("Isi dengan tanggal yang benar.", "Enter a valid date."),
        DataType::Time => ("Isi dengan jam yang benar.", "Enter a valid time."),
        DataType::DateTime => (
            "Isi dengan tanggal dan jam yang benar.",
            "Enter a valid date and time.",
        ),
        DataType::Geopoint | DataType::Geotrace | DataType::Geoshape => {
            ("Lokasi tidak valid.", "The location is not valid.")
        }
        DataType::Binary => ("Nama berkas tidak valid.", "The file name is not valid."),
        _ => (
            "Jawaban tidak sesuai jenis pertanyaan.",
            "The answer does not fit the question.",
        ),
    }
}

/// The result type of this module.
pub type FormsResult<T> = std::result::Result<T, FormsError>;
