//! What a screen reader says, decided once in the core so TalkBack and VoiceOver say
//! the same thing, and so no state is told by colour alone: every question, choice,
//! error and status carries its words (Bahasa Indonesia and English).
//!
//! The shells put [`Spoken::label`] in `contentDescription` / `accessibilityLabel`,
//! [`Spoken::hint`] in the hint and [`Spoken::value`] in the value. Nothing here reads
//! personal data it does not already show: the spoken text is the visible text,
//! arranged.

use layanan_forms::session::{ChoiceView, Question};
use layanan_forms::xform::body::ControlKind;
use layanan_protocol::SubmissionState;

use crate::model::{OutboxItem, OutboxState};

/// The words of the app around the form's own text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UiLanguage {
    /// Bahasa Indonesia, the default.
    Indonesian,
    English,
}

impl UiLanguage {
    /// From a form language name (`English (en)`) or code (`en`, `id`); Indonesian
    /// unless it is English.
    pub fn from_form_language(language: Option<&str>) -> Self {
        match language.map(|l| l.trim().to_ascii_lowercase()) {
            Some(l) if l == "en" || l.ends_with("(en)") || l.starts_with("english") => {
                Self::English
            }
            _ => Self::Indonesian,
        }
    }

    fn pick<'a>(self, id: &'a str, en: &'a str) -> &'a str {
        match self {
            Self::Indonesian => id,
            Self::English => en,
        }
    }
}

/// What a screen reader says for one element.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spoken {
    /// Name and role: "NIK kepala keluarga, wajib diisi".
    pub label: String,
    /// What to do or what is wrong: "Kesalahan: NIK harus 16 digit".
    pub hint: Option<String>,
    /// The current value in words: "belum dijawab", "3 dari 4 dipilih".
    pub value: Option<String>,
}

/// A question: its label, whether it must be answered, its hint, its error first.
pub fn question(q: &Question, lang: UiLanguage) -> Spoken {
    let mut label = q.label.trim().to_owned();
    if q.required {
        label.push_str(lang.pick(", wajib diisi", ", required"));
    }
    if q.readonly {
        label.push_str(lang.pick(", hanya dibaca", ", read only"));
    }
    let hint = match (&q.error, &q.hint) {
        (Some(error), _) => Some(format!("{}{error}", lang.pick("Kesalahan: ", "Error: "))),
        (None, Some(hint)) => Some(hint.clone()),
        (None, None) => None,
    };
    let value = if q.value.is_empty() {
        lang.pick("belum dijawab", "not answered").to_owned()
    } else {
        match q.kind {
            ControlKind::Select1 | ControlKind::Select | ControlKind::Rank => {
                let chosen: Vec<&str> = selected(q).map(|c| c.label.trim()).collect();
                if chosen.is_empty() {
                    q.value.clone()
                } else {
                    chosen.join(", ")
                }
            }
            ControlKind::Upload => format!(
                "{}{}",
                lang.pick("berkas terlampir: ", "file attached: "),
                q.value
            ),
            _ => q.value.clone(),
        }
    };
    Spoken {
        label,
        hint,
        value: Some(value),
    }
}

fn selected(q: &Question) -> impl Iterator<Item = &ChoiceView> {
    q.choices.iter().filter(move |c| is_chosen(q, c))
}

/// Whether the question's answer includes `choice` (a select's value lists the
/// chosen values, space-separated).
pub fn is_chosen(q: &Question, choice: &ChoiceView) -> bool {
    q.value.split_whitespace().any(|v| v == choice.value)
}

/// One choice of a select: its label, its position, and whether it is chosen.
pub fn choice(q: &Question, index: usize, lang: UiLanguage) -> Spoken {
    let Some(c) = q.choices.get(index) else {
        return Spoken::default();
    };
    let chosen = is_chosen(q, c);
    let state = match (chosen, lang) {
        (true, UiLanguage::Indonesian) => "dipilih",
        (false, UiLanguage::Indonesian) => "tidak dipilih",
        (true, UiLanguage::English) => "selected",
        (false, UiLanguage::English) => "not selected",
    };
    let position = match lang {
        UiLanguage::Indonesian => format!("pilihan {} dari {}", index + 1, q.choices.len()),
        UiLanguage::English => format!("choice {} of {}", index + 1, q.choices.len()),
    };
    Spoken {
        label: c.label.trim().to_owned(),
        hint: Some(position),
        value: Some(state.to_owned()),
    }
}

/// A status in words, in both languages, for a badge that must not rely on colour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusText {
    /// Short: "Terkirim".
    pub title: String,
    pub title_en: String,
    /// What it means for the citizen, or what to do.
    pub detail: String,
    pub detail_en: String,
}

fn status(title: &str, title_en: &str, detail: &str, detail_en: &str) -> StatusText {
    StatusText {
        title: title.into(),
        title_en: title_en.into(),
        detail: detail.into(),
        detail_en: detail_en.into(),
    }
}

/// Where an outbox item stands, in words.
pub fn outbox_status(item: &OutboxItem) -> StatusText {
    match item.state {
        OutboxState::Queued => status(
            "Menunggu dikirim",
            "Waiting to be sent",
            "Akan dikirim otomatis saat ada sinyal.",
            "It will be sent automatically when there is signal.",
        ),
        OutboxState::Sending => status(
            "Sedang dikirim",
            "Sending",
            "Jangan khawatir jika sinyal putus: pengiriman dilanjutkan nanti.",
            "Don't worry if the signal drops: sending resumes later.",
        ),
        OutboxState::Sent => match item.agency_state {
            Some(state) => submission_status(state),
            None => status(
                "Terkirim",
                "Sent",
                "Instansi sudah menerima; tanda terima terverifikasi.",
                "The agency has it; the receipt is verified.",
            ),
        },
        OutboxState::Failed => status(
            "Akan dicoba lagi",
            "Will retry",
            "Pengiriman gagal sementara dan akan dicoba lagi otomatis.",
            "Sending failed for now and will be retried automatically.",
        ),
        OutboxState::Wedged => {
            let (detail, detail_en) = match &item.error {
                Some(e) => (e.message.clone(), e.message_en.clone()),
                None => (
                    "Perlu tindakan Anda.".to_owned(),
                    "Needs your action.".to_owned(),
                ),
            };
            StatusText {
                title: "Perlu tindakan Anda".into(),
                title_en: "Needs your action".into(),
                detail,
                detail_en,
            }
        }
    }
}

/// The agency's decision, in words.
pub fn submission_status(state: SubmissionState) -> StatusText {
    match state {
        SubmissionState::Received => status(
            "Diterima",
            "Received",
            "Instansi sudah menerima permohonan Anda.",
            "The agency has received your application.",
        ),
        SubmissionState::InReview => status(
            "Sedang diperiksa",
            "In review",
            "Petugas sedang memeriksa permohonan Anda.",
            "An officer is reviewing your application.",
        ),
        SubmissionState::NeedsFix => status(
            "Perlu diperbaiki",
            "Needs a fix",
            "Petugas meminta perbaikan: lihat catatannya.",
            "The officer asks for a fix: see the note.",
        ),
        SubmissionState::Approved => status(
            "Disetujui",
            "Approved",
            "Permohonan Anda disetujui.",
            "Your application is approved.",
        ),
        SubmissionState::Rejected => status(
            "Ditolak",
            "Rejected",
            "Permohonan Anda ditolak: lihat catatan petugas.",
            "Your application was rejected: see the officer's note.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use layanan_forms::xform::model::DataType;

    fn nik(value: &str, error: Option<&str>) -> Question {
        Question {
            path: "/data/nik".into(),
            kind: ControlKind::Input,
            data_type: DataType::String,
            label: "NIK kepala keluarga".into(),
            hint: Some("16 digit di KTP".into()),
            guidance: None,
            appearance: None,
            mediatype: None,
            choices: Vec::new(),
            value: value.into(),
            required: true,
            readonly: false,
            error: error.map(str::to_owned),
            range: None,
            media: Default::default(),
        }
    }

    #[test]
    fn a_question_says_required_error_first_and_its_value() {
        let s = question(&nik("", None), UiLanguage::Indonesian);
        assert_eq!(s.label, "NIK kepala keluarga, wajib diisi");
        assert_eq!(s.hint.as_deref(), Some("16 digit di KTP"));
        assert_eq!(s.value.as_deref(), Some("belum dijawab"));
        let s = question(&nik("123", Some("NIK harus 16 digit")), UiLanguage::English);
        assert_eq!(s.label, "NIK kepala keluarga, required");
        assert_eq!(s.hint.as_deref(), Some("Error: NIK harus 16 digit"));
        assert_eq!(s.value.as_deref(), Some("123"));
    }

    #[test]
    fn choices_say_their_position_and_whether_they_are_chosen() {
        let mut q = nik("child", None);
        q.kind = ControlKind::Select1;
        q.choices = vec![
            ChoiceView {
                value: "spouse".into(),
                label: "Istri/suami".into(),
                media: Default::default(),
            },
            ChoiceView {
                value: "child".into(),
                label: "Anak".into(),
                media: Default::default(),
            },
        ];
        assert_eq!(
            question(&q, UiLanguage::Indonesian).value.as_deref(),
            Some("Anak")
        );
        let c = choice(&q, 1, UiLanguage::Indonesian);
        assert_eq!(
            (c.label.as_str(), c.hint.as_deref(), c.value.as_deref()),
            ("Anak", Some("pilihan 2 dari 2"), Some("dipilih"))
        );
        assert_eq!(
            choice(&q, 0, UiLanguage::English).value.as_deref(),
            Some("not selected")
        );
    }

    #[test]
    fn languages_from_form_language_names() {
        assert_eq!(
            UiLanguage::from_form_language(Some("English (en)")),
            UiLanguage::English
        );
        assert_eq!(
            UiLanguage::from_form_language(Some("en")),
            UiLanguage::English
        );
        assert_eq!(
            UiLanguage::from_form_language(Some("Bahasa Indonesia (id)")),
            UiLanguage::Indonesian
        );
        assert_eq!(UiLanguage::from_form_language(None), UiLanguage::Indonesian);
    }
}
