//! The plain records a form session hands to the shells, converted from the engine's.

use layanan_device::accessibility::{self, UiLanguage};
use layanan_device::forms::{self as engine, FormFiller};

/// What a question looks like on screen. `appearance` refines it (`multiline`,
/// `minimal`, `signature`...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum QuestionKind {
    /// Typed in: text, number, date, location, barcode... per `value_type`.
    Input,
    /// Pick one of `choices`.
    SelectOne,
    /// Pick any of `choices`; the value is their values separated by spaces.
    SelectMultiple,
    /// Put `choices` in order; the value is their values in order, space-separated.
    Rank,
    /// A file (photo, signature, document): answer it with `attach_file`.
    Upload,
    /// An acknowledgement: answer `OK`.
    Trigger,
    /// A number on a slider; see `range`.
    Range,
}

/// The type of a question's value, which is always text in ODK's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ValueType {
    /// Free text.
    Text,
    /// Whole number (`42`).
    Int,
    /// Decimal number (`1500000.5`).
    Decimal,
    /// `true` or `false`.
    Boolean,
    /// `YYYY-MM-DD`.
    Date,
    /// `HH:MM:SS.sss+hh:mm`.
    Time,
    /// `YYYY-MM-DDTHH:MM:SS.sss+hh:mm`.
    DateTime,
    /// One choice's value.
    SelectOne,
    /// Choice values separated by spaces.
    SelectMultiple,
    /// `latitude longitude altitude accuracy`.
    Geopoint,
    /// Geopoints separated by `;`.
    Geotrace,
    /// A closed geotrace.
    Geoshape,
    /// An attached file's name.
    File,
    /// A scanned barcode's text.
    Barcode,
}

/// One choice of a select question, already filtered by the form's choice filter.
#[derive(Debug, Clone, uniffi::Record)]
pub struct FormChoice {
    /// The value to answer with.
    pub value: String,
    /// The label to show, in the session's language.
    pub label: String,
    /// Whether the current answer includes it (show it with a mark, not colour only).
    pub selected: bool,
    /// What a screen reader says: label, "choice 2 of 4", selected or not.
    pub spoken: Spoken,
}

/// What a screen reader says for one element, in the session's language: put
/// `label` in `contentDescription` / `accessibilityLabel`, `hint` and `value` in
/// the platform's hint and value. The core decides it, so both apps say the same.
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct Spoken {
    /// Name and role: "NIK kepala keluarga, wajib diisi".
    pub label: String,
    /// The error first, else the hint: "Kesalahan: NIK harus 16 digit".
    pub hint: Option<String>,
    /// The current value in words ("belum dijawab", the chosen labels).
    pub value: Option<String>,
}

impl From<layanan_device::accessibility::Spoken> for Spoken {
    fn from(s: layanan_device::accessibility::Spoken) -> Self {
        Self {
            label: s.label,
            hint: s.hint,
            value: s.value,
        }
    }
}

/// The bounds of a range question.
#[derive(Debug, Clone, uniffi::Record)]
pub struct QuestionRange {
    pub start: f64,
    pub end: f64,
    pub step: f64,
}

/// A question as the screen shows it. Only relevant questions are on a page: a
/// question skipped by the form's logic is simply absent.
#[derive(Debug, Clone, uniffi::Record)]
pub struct FormQuestion {
    /// The instance path: the key for `answer`, `clear`, `jump` and `attach_file`.
    pub path: String,
    pub kind: QuestionKind,
    pub value_type: ValueType,
    /// Label in the session's language.
    pub label: String,
    pub hint: Option<String>,
    /// Longer guidance (ODK "guidance hint"), for a help sheet.
    pub guidance: Option<String>,
    /// ODK appearance, passed through as written (`multiline`, `minimal`, `numbers`...).
    pub appearance: Option<String>,
    // The pattern itself (image, slash, star) must not appear in a doc comment:
    // Kotlin reads a slash-star inside KDoc as the start of a nested comment.
    /// For uploads: the accepted media types as the form writes them ("image/"
    /// followed by a star for any image).
    pub media_type: Option<String>,
    /// For selects: the choices available now.
    pub choices: Vec<FormChoice>,
    /// The current answer in ODK's text format (for uploads: the file name).
    pub value: String,
    pub required: bool,
    /// Calculated, a note, or read-only by the form: show it, do not edit it.
    pub readonly: bool,
    /// The form's message when the current answer breaks a rule (show it under
    /// the question); `None` when the answer is fine or empty.
    pub error: Option<String>,
    pub range: Option<QuestionRange>,
    /// What a screen reader says for the question.
    pub spoken: Spoken,
}

/// One screen of the form.
#[derive(Debug, Clone, uniffi::Record)]
pub struct FormPage {
    /// 0-based position; the last page has `index == count - 1`.
    pub index: u32,
    /// Number of pages now (answers can add or remove pages).
    pub count: u32,
    /// The group's or repeat's label, when the page is in one.
    pub title: Option<String>,
    /// The repeat instance the page belongs to (`/data/member[2]`), for
    /// "remove this member" buttons.
    pub repeat: Option<String>,
    /// Empty when no question of the form is relevant.
    pub questions: Vec<FormQuestion>,
}

/// What kind of problem a question has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum IssueKind {
    /// Required but not answered.
    Required,
    /// The answer breaks the form's rule.
    Constraint,
    /// The answer does not fit the question's type.
    WrongType,
}

/// A problem with one question, with the message to show in the session's language.
#[derive(Debug, Clone, uniffi::Record)]
pub struct FormIssue {
    pub path: String,
    pub kind: IssueKind,
    pub message: String,
}

/// The form being filled and its draft.
#[derive(Debug, Clone, uniffi::Record)]
pub struct FormInfo {
    pub form_id: String,
    pub form_version: Option<String>,
    pub title: String,
    /// The form's languages, as named in the form (`Bahasa Indonesia (id)`).
    pub languages: Vec<String>,
    /// The language labels are shown in now.
    pub language: Option<String>,
    /// The sealed draft holding the answers; pass it to `resume` later.
    pub draft_id: String,
}

impl From<engine::ControlKind> for QuestionKind {
    fn from(k: engine::ControlKind) -> Self {
        use engine::ControlKind as K;
        match k {
            K::Input => Self::Input,
            K::Select1 => Self::SelectOne,
            K::Select => Self::SelectMultiple,
            K::Rank => Self::Rank,
            K::Upload => Self::Upload,
            K::Trigger => Self::Trigger,
            K::Range => Self::Range,
        }
    }
}

impl From<engine::DataType> for ValueType {
    fn from(t: engine::DataType) -> Self {
        use engine::DataType as T;
        match t {
            T::String => Self::Text,
            T::Int => Self::Int,
            T::Decimal => Self::Decimal,
            T::Boolean => Self::Boolean,
            T::Date => Self::Date,
            T::Time => Self::Time,
            T::DateTime => Self::DateTime,
            T::Select1 => Self::SelectOne,
            T::Select => Self::SelectMultiple,
            T::Geopoint => Self::Geopoint,
            T::Geotrace => Self::Geotrace,
            T::Geoshape => Self::Geoshape,
            T::Binary => Self::File,
            T::Barcode => Self::Barcode,
        }
    }
}

impl FormQuestion {
    fn of(q: engine::Question, lang: UiLanguage) -> Self {
        let spoken = accessibility::question(&q, lang).into();
        let choices = (0..q.choices.len())
            .map(|i| {
                let c = &q.choices[i];
                FormChoice {
                    value: c.value.clone(),
                    label: c.label.clone(),
                    selected: accessibility::is_chosen(&q, c),
                    spoken: accessibility::choice(&q, i, lang).into(),
                }
            })
            .collect();
        Self {
            path: q.path,
            kind: q.kind.into(),
            value_type: q.data_type.into(),
            label: q.label,
            hint: q.hint,
            guidance: q.guidance,
            appearance: q.appearance,
            media_type: q.mediatype,
            choices,
            value: q.value,
            required: q.required,
            readonly: q.readonly,
            error: q.error,
            range: q.range.map(|r| QuestionRange {
                start: r.start,
                end: r.end,
                step: r.step,
            }),
            spoken,
        }
    }
}

impl From<engine::ValidationIssue> for FormIssue {
    fn from(i: engine::ValidationIssue) -> Self {
        Self {
            path: i.path,
            kind: match i.kind {
                engine::IssueKind::Required => IssueKind::Required,
                engine::IssueKind::Constraint => IssueKind::Constraint,
                engine::IssueKind::Type => IssueKind::WrongType,
            },
            message: i.message,
        }
    }
}

pub(super) fn page_of(f: &FormFiller) -> FormPage {
    let session = f.session();
    let lang = UiLanguage::from_form_language(session.language());
    match session.current_page() {
        Some(p) => FormPage {
            index: u32::try_from(p.index).unwrap_or(u32::MAX),
            count: u32::try_from(p.count).unwrap_or(u32::MAX),
            title: p.title,
            repeat: p.repeat,
            questions: p
                .questions
                .into_iter()
                .map(|q| FormQuestion::of(q, lang))
                .collect(),
        },
        None => FormPage {
            index: 0,
            count: 0,
            title: None,
            repeat: None,
            questions: Vec::new(),
        },
    }
}

pub(super) fn info_of(f: &FormFiller) -> FormInfo {
    let s = f.session();
    let form = s.form();
    FormInfo {
        form_id: form.id().to_owned(),
        form_version: form.version().map(str::to_owned),
        title: form.title().to_owned(),
        languages: form.languages().to_vec(),
        language: s.language().map(str::to_owned),
        draft_id: f.draft_id().to_owned(),
    }
}
