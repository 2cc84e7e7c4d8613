//! `FormsError`, and its one conversion point from the device crate's error.

use layanan_device::forms as engine;

use crate::errors::{NotFoundKind, StoreCause, StoreError, StoreFailure};

/// Why a form call failed. Kotlin sees `FormsException`, Swift `FormsError`.
///
/// No variant carries an answer, a file name or a form's validation message: only
/// instance paths (`/data/member[2]/m_age`), form ids, reasons for developers, and,
/// where the citizen caused the problem, `user_message` (Bahasa Indonesia) and
/// `user_message_en` ready to show.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum FormsError {
    /// The form's XML cannot be loaded; `reason` names the bind and expression at
    /// fault (for the agency, not for the citizen).
    #[error("invalid form: {reason}")]
    InvalidForm { reason: String },
    /// No question (or repeat) at `path`, or it is skipped now.
    #[error("unknown path: {path}")]
    UnknownPath { path: String },
    /// The question is calculated or read-only.
    #[error("read-only: {path}")]
    ReadOnly { path: String },
    /// The value does not fit the question: wrong type (letters in a number), not
    /// one of its choices, or outside its range. Nothing was saved. `reason` is for
    /// developers; show `user_message`.
    #[error("invalid value for {path}: {reason}")]
    InvalidValue {
        path: String,
        reason: String,
        user_message: String,
        user_message_en: String,
    },
    /// The form has no such language; see `FormInfo.languages`.
    #[error("unknown language: {language}")]
    UnknownLanguage { language: String },
    /// The repeat has a fixed number of instances (or the instance does not exist).
    #[error("repeat cannot be changed: {path}")]
    RepeatFixed { path: String },
    /// Answers are missing or break a rule, so the page cannot be left or the form
    /// cannot be finalized. `paths` lists the questions; `FormSession.validate()`
    /// gives each one's message, `jump(path)` the page to show it on.
    #[error("{} question(s) need attention", paths.len())]
    Invalid {
        paths: Vec<String>,
        user_message: String,
        user_message_en: String,
    },
    /// The draft was started with another form, or another version of the form.
    #[error("the draft is form {draft_form_id} version {draft_form_version}, not {form_id} version {form_version}")]
    FormMismatch {
        draft_form_id: String,
        draft_form_version: String,
        form_id: String,
        form_version: String,
    },
    /// The question at `path` does not take a file.
    #[error("not a file question: {path}")]
    NotAFileQuestion { path: String },
    /// The question at `path` takes only files of the media types in `accepts`
    /// (as the form writes them: "image/" followed by a star for any image).
    #[error("{path} accepts only {accepts}")]
    MediaTypeRefused {
        path: String,
        accepts: String,
        user_message: String,
        user_message_en: String,
    },
    /// Another question already has a file of that name; use a unique file name.
    #[error("file name already used by another question than {path}")]
    FileNameInUse {
        path: String,
        user_message: String,
        user_message_en: String,
    },
    /// The answer at `path` names a file that is not attached: attach it again.
    #[error("file missing for {path}")]
    MissingFile {
        path: String,
        user_message: String,
        user_message_en: String,
    },
    /// The file given for the image question at `path` is not a readable JPEG, PNG,
    /// HEIC or WebP image (random bytes, a cut file): nothing was stored. Ask for the
    /// photo again.
    #[error("not a readable image for {path}")]
    NotAnImage {
        path: String,
        user_message: String,
        user_message_en: String,
    },
    /// The stored file of the question at `path` is damaged on the phone (truncated,
    /// altered, deleted), found while finalizing: attach it again, then finalize.
    #[error("stored file damaged for {path}")]
    DamagedFile {
        path: String,
        user_message: String,
        user_message_en: String,
    },
    /// The form was finalized: it is in the outbox and can no longer change.
    #[error("already finalized")]
    Finalized,
    /// No draft with this id in the profile.
    #[error("draft not found: {draft_id}")]
    DraftNotFound { draft_id: String },
    /// No form with this id is kept offline: refresh the forms (`SyncService.updateForms`).
    #[error("form not available offline: {form_id}")]
    FormNotOffline { form_id: String },
    /// The profile was locked: the session's answers stay out of reach until it is
    /// unlocked and the draft resumed.
    #[error("profile locked")]
    Locked,
    /// A parameter was refused; `reason` names it.
    #[error("invalid input: {reason}")]
    InvalidInput { reason: String },
    /// The store failed; `failure` says how (disk full, key lost, damaged data).
    #[error("store: {failure:?}")]
    Store { failure: StoreFailure },
    /// A bug in Layanan; please report it.
    #[error("internal error: {reason}")]
    Internal { reason: String },
}

impl From<engine::FormsError> for FormsError {
    fn from(e: engine::FormsError) -> Self {
        use engine::{FormsError as F, SessionError as S};
        let (user_message, user_message_en) = e.user_message().unwrap_or_default();
        match e {
            F::Load(e) => Self::InvalidForm {
                reason: e.to_string(),
            },
            F::Session(S::UnknownPath(path)) => Self::UnknownPath { path },
            F::Session(S::ReadOnly(path)) => Self::ReadOnly { path },
            F::InvalidAnswer { path, reason, .. } => Self::InvalidValue {
                path,
                reason,
                user_message,
                user_message_en,
            },
            F::Session(S::InvalidValue { path, reason }) => Self::InvalidInput {
                reason: format!("{path}: {reason}"),
            },
            F::UnknownLanguage(language) => Self::UnknownLanguage { language },
            F::Session(S::Repeat(path)) => Self::RepeatFixed { path },
            F::Session(S::Invalid(issues)) => Self::Invalid {
                paths: issues.into_iter().map(|i| i.path).collect(),
                user_message,
                user_message_en,
            },
            F::Session(e @ S::Expression { .. }) => Self::InvalidForm {
                reason: e.to_string(),
            },
            F::Session(e) => Self::Internal {
                reason: e.to_string(),
            },
            F::Store(e) => match StoreCause::from(e) {
                StoreCause::Locked => Self::Locked,
                StoreCause::Failure(failure) => Self::Store { failure },
                StoreCause::Other(StoreError::NotFound {
                    kind: NotFoundKind::Draft,
                    id,
                }) => Self::DraftNotFound { draft_id: id },
                StoreCause::Other(StoreError::NotFound {
                    kind: NotFoundKind::Form,
                    id,
                }) => Self::FormNotOffline { form_id: id },
                StoreCause::Other(StoreError::InvalidInput { reason }) => {
                    Self::InvalidInput { reason }
                }
                StoreCause::Other(other) => Self::Internal {
                    reason: other.to_string(),
                },
            },
            F::FormMismatch {
                draft_form,
                draft_version,
                form,
                version,
            } => Self::FormMismatch {
                draft_form_id: draft_form,
                draft_form_version: draft_version,
                form_id: form,
                form_version: version,
            },
            F::NotAFileQuestion(path) => Self::NotAFileQuestion { path },
            F::MediaTypeRefused { path, accepts } => Self::MediaTypeRefused {
                path,
                accepts,
                user_message,
                user_message_en,
            },
            F::FileNameInUse(path) => Self::FileNameInUse {
                path,
                user_message,
                user_message_en,
            },
            F::MissingAttachment(path) => Self::MissingFile {
                path,
                user_message,
                user_message_en,
            },
            F::NotAnImage { path, .. } => Self::NotAnImage {
                path,
                user_message,
                user_message_en,
            },
            F::DamagedAttachment(path) => Self::DamagedFile {
                path,
                user_message,
                user_message_en,
            },
            F::Finalized => Self::Finalized,
            F::InvalidInput(reason) => Self::InvalidInput { reason },
        }
    }
}
