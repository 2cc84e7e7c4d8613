//! Filling a form on the phone: a forms-engine session tied to a sealed draft.
//!
//! [`FormFiller`] owns one [`FormSession`] of layanan-forms and the id of the draft
//! that holds its answers. Every change (answer, clear, add or remove a repeat
//! instance, attach a file) saves the session's whole answer map into the sealed
//! draft before it returns, as the forms ADR 0001 asks (the map is a few KB; saving
//! it whole means a removed repeat instance can never leave stale keys behind). If
//! the app is killed, [`FormFiller::resume`] rebuilds the session from the draft.
//! [`FormFiller::finalize`] turns the session into an OpenRosa submission and moves
//! the draft, with the files the submission names, into the outbox in one transaction.
//!
//! The engine is deterministic and reads no clock; [`DeviceEnvironment`] gives it the
//! phone's: the real time, the UTC offset the shell reports, and random numbers and
//! UUIDs from ring's `SystemRandom`.
//!
//! This module must never log or put into an error an answer, a file name or any
//! other value a person typed: only instance paths, form ids and counts.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use layanan_forms::Environment;
use layanan_protocol::InstanceId;

use crate::model::{Answers, AttachmentInfo, OutboxItem};
use crate::profile::Profile;

mod env;
mod error;
pub mod image;

pub use env::DeviceEnvironment;
use error::invalid_answer_message;
pub use error::{FormsError, FormsResult};
/// The forms engine's types the shells see, re-exported so that users of this crate
/// need no direct dependency on layanan-forms.
pub use layanan_forms::session::{
    ChoiceView, IssueKind, Page, Question, Submission, ValidationIssue,
};
pub use layanan_forms::xform::body::{ControlKind, RangeSpec};
pub use layanan_forms::xform::model::DataType;
pub use layanan_forms::{Form, FormSession, LoadError, SessionError, Timestamp};

// ---------------------------------------------------------------------------------
// The filler

/// One person filling one form, saved into a sealed draft as they go.
///
/// Reading (pages, questions, validation) goes through [`FormFiller::session`];
/// every change goes through the filler so that it reaches the draft.
#[derive(Debug)]
pub struct FormFiller {
    profile: Arc<Profile>,
    session: FormSession,
    draft_id: String,
    /// The map last written to the draft, so a change that changes nothing costs no write.
    saved: Answers,
    finalized: Option<String>,
}

impl FormFiller {
    /// Starts filling `form`: a new session and a new draft holding its first state
    /// (defaults, preloads and the instanceID are in it from the start). `language`
    /// is as for [`Self::set_language`] (typically the device's language); `None`, or
    /// a language the form lacks, keeps the form's default.
    pub fn start(
        profile: Arc<Profile>,
        form: Arc<Form>,
        env: Arc<dyn Environment>,
        language: Option<&str>,
    ) -> FormsResult<Self> {
        let mut session = FormSession::new(Arc::clone(&form), env);
        prefer_language(&mut session, language)?;
        let answers = session.export_draft();
        let draft = profile
            .drafts()
            .create(form.id(), form.version().unwrap_or(""), &answers)?;
        tracing::info!(form = %form.id(), draft = %draft.id, "started a form");
        Ok(Self {
            profile,
            session,
            draft_id: draft.id,
            saved: answers,
            finalized: None,
        })
    }

    /// Starts filling the form `form_id` kept offline (see [`Profile::cached_forms`]):
    /// the XML never leaves the store, so what is filled is exactly what the agency
    /// published.
    pub fn start_cached(
        profile: Arc<Profile>,
        form_id: &str,
        env: Arc<dyn Environment>,
        language: Option<&str>,
    ) -> FormsResult<Self> {
        let form = Arc::new(cached_form(&profile, form_id)?);
        Self::start(profile, form, env, language)
    }

    /// Continues the draft `draft_id` with the form kept offline that it was started
    /// with. If the cached form is now another version, the draft cannot be
    /// continued ([`FormsError::FormMismatch`]).
    pub fn resume_cached(
        profile: Arc<Profile>,
        draft_id: &str,
        env: Arc<dyn Environment>,
        language: Option<&str>,
    ) -> FormsResult<Self> {
        let form_id = profile.drafts().load(draft_id)?.form_id;
        let form = Arc::new(cached_form(&profile, &form_id)?);
        Self::resume(profile, draft_id, form, env, language)
    }

    /// Continues the draft `draft_id` (after the app was killed, or from the drafts
    /// list). `form` must be the form and version the draft was started with. The
    /// session opens on the first page; `language` is as for [`Self::start`].
    pub fn resume(
        profile: Arc<Profile>,
        draft_id: &str,
        form: Arc<Form>,
        env: Arc<dyn Environment>,
        language: Option<&str>,
    ) -> FormsResult<Self> {
        let draft = profile.drafts().load(draft_id)?;
        let version = form.version().unwrap_or("");
        if draft.form_id != form.id() || draft.form_version != version {
            return Err(FormsError::FormMismatch {
                draft_form: draft.form_id,
                draft_version: draft.form_version,
                form: form.id().to_owned(),
                version: version.to_owned(),
            });
        }
        let mut session = FormSession::resume(form, env, &draft.answers)?;
        prefer_language(&mut session, language)?;
        tracing::info!(form = %draft.form_id, draft = %draft.id, "resumed a form");
        Ok(Self {
            profile,
            session,
            draft_id: draft.id,
            saved: draft.answers,
            finalized: None,
        })
    }

    /// The draft holding the answers.
    pub fn draft_id(&self) -> &str {
        &self.draft_id
    }

    /// The engine session, for reading: pages, questions, values, validation.
    pub fn session(&self) -> &FormSession {
        &self.session
    }

    /// The profile filling the form.
    pub fn profile(&self) -> &Arc<Profile> {
        &self.profile
    }

    /// The outbox instanceID once [`Self::finalize`] succeeded.
    pub fn finalized_instance_id(&self) -> Option<&str> {
        self.finalized.as_deref()
    }

    fn check_open(&self) -> FormsResult<()> {
        self.profile.ensure_unlocked()?;
        match self.finalized {
            Some(_) => Err(FormsError::Finalized),
            None => Ok(()),
        }
    }

    /// Fails with [`crate::StoreError::Locked`] once the profile was locked: the
    /// session's answers are the citizen's data and stay out of reach with the key.
    pub fn ensure_unlocked(&self) -> FormsResult<()> {
        Ok(self.profile.ensure_unlocked()?)
    }

    /// Writes the whole answer map into the draft, unless it is what was saved last.
    fn persist(&mut self) -> FormsResult<()> {
        let answers = self.session.export_draft();
        if answers != self.saved {
            self.profile.drafts().save(&self.draft_id, &answers)?;
            self.saved = answers;
        }
        Ok(())
    }

    /// Answers the question at `path` and saves the draft. An empty value clears it.
    pub fn answer(&mut self, path: &str, value: &str) -> FormsResult<()> {
        self.check_open()?;
        match self.session.answer(path, value) {
            Ok(()) => self.persist(),
            Err(SessionError::InvalidValue { path, reason }) => {
                let (message, message_en) =
                    invalid_answer_message(self.session.question_at(&path).as_ref(), value);
                Err(FormsError::InvalidAnswer {
                    path,
                    reason,
                    message: message.to_owned(),
                    message_en: message_en.to_owned(),
                })
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Clears the answer at `path` and saves the draft.
    pub fn clear(&mut self, path: &str) -> FormsResult<()> {
        self.answer(path, "")
    }

    /// Adds an instance to the repeat at `repeat_path` (`/data/members`), saves the
    /// draft, moves to the new instance's first page (as ODK Collect does) and
    /// returns the instance's path (`/data/members[3]`).
    pub fn add_repeat(&mut self, repeat_path: &str) -> FormsResult<String> {
        self.check_open()?;
        let instance = self.session.add_repeat(repeat_path)?;
        self.persist()?;
        // An instance whose questions are all irrelevant has no page: stay put.
        let _ = self.session.jump(&instance);
        Ok(instance)
    }

    /// Removes the repeat instance at `instance_path`; later instances move up
    /// (`[3]` becomes `[2]`). Saves the draft. Files the removed instance referred
    /// to stay attached to the draft until [`Self::finalize`] drops unreferenced ones.
    pub fn remove_repeat(&mut self, instance_path: &str) -> FormsResult<()> {
        self.check_open()?;
        self.session.remove_repeat(instance_path)?;
        self.persist()
    }

    /// Switches the display language. Takes one of the form's language names
    /// (`English (en)`) or a language code in its parentheses (`en`, `id`).
    pub fn set_language(&mut self, language: &str) -> FormsResult<()> {
        choose_language(&mut self.session, language)
    }

    /// Moves to the next page after validating the current one; `false` at the end.
    pub fn next_page(&mut self) -> FormsResult<bool> {
        Ok(self.session.next_page()?)
    }

    /// Moves to the previous page; `false` at the start.
    pub fn previous_page(&mut self) -> bool {
        self.session.previous_page()
    }

    /// Moves to the page of the question (or first page of the group or repeat
    /// instance) at `path`.
    pub fn jump(&mut self, path: &str) -> FormsResult<()> {
        Ok(self.session.jump(path)?)
    }

    /// Moves to the first page.
    pub fn jump_to_start(&mut self) {
        self.session.jump_to_start();
    }

    /// Seals the file read from `source` into the store, tied to the draft, and
    /// answers the file question at `path` with `file_name` (which the submission
    /// refers to). Replaces the file the question had before.
    pub fn attach(
        &mut self,
        path: &str,
        file_name: &str,
        media_type: &str,
        source: impl Read,
    ) -> FormsResult<AttachmentInfo> {
        let previous = self.check_attach(path, file_name, media_type)?;
        let source =
            image::checked(media_type, source)?.map_err(|problem| FormsError::NotAnImage {
                path: path.to_owned(),
                problem,
            })?;
        let info =
            self.profile
                .attachments()
                .add(Some(&self.draft_id), file_name, media_type, source)?;
        self.after_attach(path, previous, info)
    }

    /// [`Self::attach`] with the file at `source_path`, streamed.
    pub fn attach_from_path(
        &mut self,
        path: &str,
        file_name: &str,
        media_type: &str,
        source_path: &Path,
    ) -> FormsResult<AttachmentInfo> {
        let file = std::fs::File::open(source_path)
            .map_err(crate::error::io("open the file to attach"))?;
        self.attach(path, file_name, media_type, std::io::BufReader::new(file))
    }

    /// Refuses an attachment before anything is stored; returns the question's
    /// current file name.
    fn check_attach(&self, path: &str, file_name: &str, media_type: &str) -> FormsResult<String> {
        self.check_open()?;
        let question = self
            .session
            .question_at(path)
            .ok_or_else(|| SessionError::UnknownPath(path.to_owned()))?;
        if question.data_type != DataType::Binary {
            return Err(FormsError::NotAFileQuestion(path.to_owned()));
        }
        if question.readonly {
            return Err(SessionError::ReadOnly(path.to_owned()).into());
        }
        if let Some(accepts) = &question.mediatype {
            if !media_type_fits(accepts, media_type) {
                return Err(FormsError::MediaTypeRefused {
                    path: path.to_owned(),
                    accepts: accepts.clone(),
                });
            }
        }
        let in_use = self
            .file_answers()
            .into_iter()
            .any(|(p, name)| p != path && name == file_name);
        if in_use {
            return Err(FormsError::FileNameInUse(path.to_owned()));
        }
        Ok(question.value)
    }

    fn after_attach(
        &mut self,
        path: &str,
        previous: String,
        info: AttachmentInfo,
    ) -> FormsResult<AttachmentInfo> {
        if let Err(e) = self.session.answer(path, &info.file_name) {
            // The question refused it: do not leave the sealed copy behind.
            self.profile.attachments().delete(&info.id)?;
            return Err(e.into());
        }
        self.persist()?;
        // The file this question had before (unless another question still names it),
        // and an older copy under the same name.
        let previous_unused = !previous.is_empty()
            && !self
                .file_answers()
                .iter()
                .any(|(_, name)| *name == previous);
        let replaced: Vec<String> = self
            .profile
            .attachments()
            .list(Some(&self.draft_id))?
            .into_iter()
            .filter(|a| {
                a.id != info.id
                    && (a.file_name == info.file_name
                        || (previous_unused && a.file_name == previous))
            })
            .map(|a| a.id)
            .collect();
        for id in replaced {
            self.profile.attachments().delete(&id)?;
        }
        Ok(info)
    }

    /// Instance path and value of every answered file question (relevant or not).
    fn file_answers(&self) -> Vec<(String, String)> {
        self.session
            .export_draft()
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .filter(|(p, _)| {
                self.session
                    .question_at(p)
                    .is_some_and(|q| q.data_type == DataType::Binary)
            })
            .collect()
    }

    /// Validates the whole form, stamps the end time, writes the submission and moves
    /// the draft into the outbox with the files the submission names, in one
    /// transaction. Files attached to the draft that the submission does not name
    /// (replaced, cleared, or under a question that became irrelevant) are deleted.
    ///
    /// Missing or invalid answers give [`SessionError::Invalid`] with every issue;
    /// the draft is untouched and filling can go on.
    pub fn finalize(&mut self) -> FormsResult<(Submission, OutboxItem)> {
        self.check_open()?;
        let submission = self.session.finalize()?;
        let instance_id: InstanceId = submission.instance_id.parse().map_err(|_| {
            FormsError::InvalidInput("the form's meta/instanceID is not uuid:<uuid>".into())
        })?;
        if instance_id.as_str() != submission.instance_id {
            return Err(FormsError::InvalidInput(
                "the form's meta/instanceID is not a lowercase uuid:<uuid>".into(),
            ));
        }
        let attachments = self.profile.attachments().list(Some(&self.draft_id))?;
        let named: BTreeSet<&str> = submission.attachments.iter().map(String::as_str).collect();
        let stored: BTreeSet<&str> = attachments.iter().map(|a| a.file_name.as_str()).collect();
        if let Some(missing) = named.iter().find(|n| !stored.contains(**n)) {
            let path = self
                .file_answers()
                .into_iter()
                .find(|(_, v)| v == missing)
                .map(|(p, _)| p)
                .unwrap_or_default();
            return Err(FormsError::MissingAttachment(path));
        }
        let named: Vec<&str> = named.into_iter().collect();
        // The files the submission does not name go in the same transaction; the
        // ones it names are checked end to end first.
        let item = match self.profile.outbox().finalize(
            &self.draft_id,
            &instance_id,
            submission.xml.as_bytes(),
            &named,
        ) {
            Ok(item) => item,
            Err(crate::StoreError::AttachmentCorrupt { id, .. }) => {
                let name = attachments
                    .iter()
                    .find(|a| a.id == id)
                    .map(|a| a.file_name.clone())
                    .unwrap_or_default();
                let path = self
                    .file_answers()
                    .into_iter()
                    .find(|(_, v)| *v == name)
                    .map(|(p, _)| p)
                    .unwrap_or_default();
                return Err(FormsError::DamagedAttachment(path));
            }
            Err(e) => return Err(e.into()),
        };
        tracing::info!(
            form = %item.form_id,
            instance = %item.instance_id,
            attachments = item.attachment_count,
            "form finalized into the outbox"
        );
        self.finalized = Some(item.instance_id.clone());
        Ok((submission, item))
    }
}

fn cached_form(profile: &Profile, form_id: &str) -> FormsResult<Form> {
    let xml = profile.forms().xml(form_id)?;
    Ok(Form::parse(&xml)?)
}

/// Uses `language` if the form has it; otherwise the form's default stays.
fn prefer_language(session: &mut FormSession, language: Option<&str>) -> FormsResult<()> {
    match language.and_then(|l| resolve_language(session.form().languages(), l)) {
        Some(name) => Ok(session.set_language(&name)?),
        None => Ok(()),
    }
}

fn choose_language(session: &mut FormSession, language: &str) -> FormsResult<()> {
    let name = resolve_language(session.form().languages(), language)
        .ok_or_else(|| FormsError::UnknownLanguage(language.to_owned()))?;
    session.set_language(&name)?;
    Ok(())
}

/// The form language that `requested` names: the exact name, else the one whose
/// parenthesised code (`Bahasa Indonesia (id)`) or name matches it, ignoring case.
fn resolve_language(languages: &[String], requested: &str) -> Option<String> {
    let wanted = requested.trim().to_ascii_lowercase();
    languages
        .iter()
        .find(|l| l.as_str() == requested)
        .or_else(|| {
            languages.iter().find(|l| {
                let lower = l.to_ascii_lowercase();
                lower == wanted || lower.ends_with(&format!("({wanted})"))
            })
        })
        .cloned()
}

/// Whether `media_type` is one of the comma-separated patterns in `accepts`
/// (`image/*`, `application/pdf`, `*/*`).
fn media_type_fits(accepts: &str, media_type: &str) -> bool {
    let media_type = media_type.trim().to_ascii_lowercase();
    accepts.split(',').map(str::trim).any(|pattern| {
        let pattern = pattern.to_ascii_lowercase();
        if pattern.is_empty() || pattern == "*" || pattern == "*/*" {
            return true;
        }
        match pattern.strip_suffix("/*") {
            Some(major) => media_type.split_once('/').is_some_and(|(m, _)| m == major),
            None => pattern == media_type,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types() {
        assert!(media_type_fits("image/*", "image/jpeg"));
        assert!(!media_type_fits("image/*", "application/pdf"));
        assert!(media_type_fits(
            "application/pdf, image/*",
            "application/pdf"
        ));
        assert!(media_type_fits("*/*", "video/mp4"));
    }

    #[test]
    fn languages_by_name_or_code() {
        let langs = vec![
            "Bahasa Indonesia (id)".to_string(),
            "English (en)".to_string(),
        ];
        assert_eq!(
            resolve_language(&langs, "en").as_deref(),
            Some("English (en)")
        );
        assert_eq!(
            resolve_language(&langs, "Bahasa Indonesia (id)").as_deref(),
            Some("Bahasa Indonesia (id)")
        );
        assert_eq!(
            resolve_language(&langs, "ID").as_deref(),
            Some("Bahasa Indonesia (id)")
        );
        assert_eq!(resolve_language(&langs, "fr"), None);
    }
}
