//! `FormSession`: filling an ODK form, saved into a sealed draft after every change.
//!
//! Forwards to `layanan_device::forms::FormFiller`; this module only converts records
//! (records.rs) and maps errors (error.rs). Every call that changes an answer writes
//! the draft, so every call runs on the blocking pool and is `suspend` in Kotlin and
//! `async` in Swift.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use layanan_device::forms::{self as engine, DeviceEnvironment, FormFiller};

use crate::profile::Profile;
use crate::records::OutboxItem;
use crate::runtime::on_pool as blocking;

mod error;
mod records;

pub use error::FormsError;
use records::{info_of, page_of};
pub use records::{
    FormChoice, FormInfo, FormIssue, FormPage, FormQuestion, IssueKind, QuestionKind,
    QuestionRange, ValueType,
};

// ---- the object ----

/// One person filling one form. Every change is saved into a sealed draft before
/// the call returns, so the app may be killed at any moment: `resume` continues.
///
/// A typical screen: show `currentPage()`; on input call `answer(path, value)` and
/// redraw the page it returns; "Next" calls `nextPage()` (a `FormsException.Invalid`
/// lists the questions to fix: show `validate()`'s messages for them); at the end
/// `finalize()` puts the submission in the outbox for `SyncService` to send.
#[derive(uniffi::Object)]
pub struct FormSession {
    filler: Arc<Mutex<FormFiller>>,
    env: Arc<DeviceEnvironment>,
    draft_id: String,
}

impl std::fmt::Debug for FormSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FormSession")
            .field("draft_id", &self.draft_id)
            .finish_non_exhaustive()
    }
}

/// Makes the environment, then `open` starts or resumes the filler.
async fn open_session<F>(utc_offset_minutes: i32, open: F) -> Result<Arc<FormSession>, FormsError>
where
    F: FnOnce(Arc<DeviceEnvironment>) -> Result<FormFiller, engine::FormsError> + Send + 'static,
{
    blocking(move || {
        let env = Arc::new(DeviceEnvironment::new(utc_offset_minutes)?);
        let filler = open(Arc::clone(&env))?;
        Ok(Arc::new(FormSession {
            draft_id: filler.draft_id().to_owned(),
            filler: Arc::new(Mutex::new(filler)),
            env,
        }))
    })
    .await
}

impl FormSession {
    /// Runs `f` with the filler locked, on the blocking pool.
    async fn with<T, F>(&self, f: F) -> Result<T, FormsError>
    where
        F: FnOnce(&mut FormFiller) -> Result<T, engine::FormsError> + Send + 'static,
        T: Send + 'static,
    {
        let filler = Arc::clone(&self.filler);
        blocking(move || {
            let mut guard = filler.lock().map_err(|_| FormsError::Internal {
                reason: "an earlier call on this form panicked".into(),
            })?;
            // A locked profile's answers stay out of reach, reads included.
            guard.ensure_unlocked()?;
            Ok(f(&mut guard)?)
        })
        .await
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl FormSession {
    /// Starts filling the form `form_id` kept offline (`profile.forms().list()`):
    /// creates its draft in `profile` and opens the first page. `language` is one of
    /// the form's languages or its code (`"id"`, `"en"`); `None` keeps the form's
    /// default. `utc_offset_minutes` is the device's current offset from UTC (WIB:
    /// 420, WITA: 480, WIT: 540), used for dates and times the form records.
    #[uniffi::constructor]
    pub async fn start(
        profile: Arc<Profile>,
        form_id: String,
        language: Option<String>,
        utc_offset_minutes: i32,
    ) -> Result<Arc<Self>, FormsError> {
        let profile = profile.domain();
        open_session(utc_offset_minutes, move |env| {
            FormFiller::start_cached(profile, &form_id, env, language.as_deref())
        })
        .await
    }

    /// Continues the draft `draft_id` (after the app was killed, or from the drafts
    /// list) with the offline form it was started with; if that form has changed
    /// version since, `FormMismatch`. Opens on the first page.
    #[uniffi::constructor]
    pub async fn resume(
        profile: Arc<Profile>,
        draft_id: String,
        language: Option<String>,
        utc_offset_minutes: i32,
    ) -> Result<Arc<Self>, FormsError> {
        let profile = profile.domain();
        open_session(utc_offset_minutes, move |env| {
            FormFiller::resume_cached(profile, &draft_id, env, language.as_deref())
        })
        .await
    }

    /// The draft holding this form's answers.
    pub fn draft_id(&self) -> String {
        self.draft_id.clone()
    }

    /// Tells the session that the device changed time zone.
    pub fn set_utc_offset(&self, utc_offset_minutes: i32) -> Result<(), FormsError> {
        Ok(self.env.set_utc_offset_minutes(utc_offset_minutes)?)
    }

    /// The form's id, title and languages, and the language in use.
    pub async fn info(&self) -> Result<FormInfo, FormsError> {
        self.with(|f| Ok(info_of(f))).await
    }

    /// The page to show now.
    pub async fn current_page(&self) -> Result<FormPage, FormsError> {
        self.with(|f| Ok(page_of(f))).await
    }

    /// Answers the question at `path` with `value` in ODK's text format (see
    /// `ValueType`), saves the draft, and returns the page updated by the form's
    /// logic (labels, relevance, calculations, rule messages). An empty value clears
    /// the answer. A value that breaks a rule is kept and shown with `error`; a value
    /// of the wrong type is refused with `InvalidValue`.
    pub async fn answer(&self, path: String, value: String) -> Result<FormPage, FormsError> {
        self.with(move |f| f.answer(&path, &value).map(|()| page_of(f)))
            .await
    }

    /// Clears the answer at `path`, saves the draft and returns the updated page.
    pub async fn clear(&self, path: String) -> Result<FormPage, FormsError> {
        self.with(move |f| f.clear(&path).map(|()| page_of(f)))
            .await
    }

    /// Adds an instance to the repeat at `repeat_path` (`/data/member`), saves the
    /// draft, and returns the new instance's first page (its `repeat` is the new
    /// instance's path, e.g. `/data/member[3]`).
    pub async fn add_repeat(&self, repeat_path: String) -> Result<FormPage, FormsError> {
        self.with(move |f| f.add_repeat(&repeat_path).map(|_| page_of(f)))
            .await
    }

    /// Removes the repeat instance at `instance_path` (`/data/member[2]`); later
    /// instances move up. Saves the draft and returns the current page.
    pub async fn remove_repeat(&self, instance_path: String) -> Result<FormPage, FormsError> {
        self.with(move |f| f.remove_repeat(&instance_path).map(|()| page_of(f)))
            .await
    }

    /// Goes to the next page, after checking the answers on this one (`Invalid`
    /// lists those to fix). On the last page it returns the same page.
    pub async fn next_page(&self) -> Result<FormPage, FormsError> {
        self.with(|f| f.next_page().map(|_| page_of(f))).await
    }

    /// Goes back one page (the first page stays).
    pub async fn previous_page(&self) -> Result<FormPage, FormsError> {
        self.with(|f| {
            f.previous_page();
            Ok(page_of(f))
        })
        .await
    }

    /// Goes to the page of the question at `path`, or to the first page of the group
    /// or repeat instance at `path`.
    pub async fn jump(&self, path: String) -> Result<FormPage, FormsError> {
        self.with(move |f| f.jump(&path).map(|()| page_of(f))).await
    }

    /// Every problem in the form now (missing required answers, broken rules), in
    /// form order, with messages in the session's language. Skipped questions are
    /// never a problem.
    pub async fn validate(&self) -> Result<Vec<FormIssue>, FormsError> {
        self.with(|f| {
            Ok(f.session()
                .validate_all()
                .into_iter()
                .map(Into::into)
                .collect())
        })
        .await
    }

    /// Shows labels and messages in another of the form's languages (its name, or
    /// the code in parentheses: `"en"`, `"id"`). Returns the current page in it.
    pub async fn set_language(&self, language: String) -> Result<FormPage, FormsError> {
        self.with(move |f| f.set_language(&language).map(|()| page_of(f)))
            .await
    }

    /// Attaches the file at `source_path` to the file question at `path`: the file is
    /// sealed into the store chunk by chunk (the shell may delete its copy
    /// afterwards) and the question's answer becomes `file_name`, the name the
    /// submission refers to. Replaces the question's previous file. Returns the
    /// updated page.
    pub async fn attach_file(
        &self,
        path: String,
        file_name: String,
        media_type: String,
        source_path: String,
    ) -> Result<FormPage, FormsError> {
        self.with(move |f| {
            f.attach_from_path(&path, &file_name, &media_type, &PathBuf::from(source_path))
                .map(|_| page_of(f))
        })
        .await
    }

    /// The relevant answers as JSON (groups are objects, repeats arrays, values
    /// strings), for a summary screen before finalizing.
    pub async fn answers_json(&self) -> Result<String, FormsError> {
        self.with(|f| Ok(f.session().answers_json())).await
    }

    /// Checks the whole form, writes the OpenRosa submission and moves the draft and
    /// its files into the outbox in one step. `Invalid` lists what is missing; the
    /// draft is then untouched. After success the session is read-only and
    /// `SyncService` delivers the item.
    pub async fn finalize(&self) -> Result<OutboxItem, FormsError> {
        self.with(|f| f.finalize().map(|(_, item)| item.into()))
            .await
    }
}
