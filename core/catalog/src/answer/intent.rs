//! What a question asks, from its words: requirements, fee, place, time, legal basis
//! or how to apply, as citizens write it ("syarat2", "brp biayanya", "dmn kantornya",
//! "how much"), and whether it names anything besides the asking.
//!
//! A fixed, small vocabulary rather than a model: it is auditable, it runs in
//! microseconds on the phone, and it can only ever pick which quoted field to show.

/// One thing a question can ask about a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Intent {
    /// "syarat", "persyaratan", "dokumen apa", "perlu bawa apa", "what do I need".
    Requirements,
    /// "biaya", "berapa", "bayar", "tarif", "gratis", "how much".
    Fee,
    /// "di mana", "kantor", "alamat", "lokasi", "where", "office".
    Place,
    /// "berapa lama", "kapan selesai", "how long".
    Time,
    /// "dasar hukum", "peraturan".
    LegalBasis,
    /// "cara", "bagaimana", "how to".
    HowToApply,
}

use Intent::*;

/// Phrases first (the longest match wins at each position), then single words.
const PHRASES: &[(&[&str], Intent)] = &[
    (&["what", "do", "i", "need"], Requirements),
    (&["what", "documents"], Requirements),
    (&["perlu", "bawa", "apa"], Requirements),
    (&["harus", "bawa", "apa"], Requirements),
    (&["bawa", "apa"], Requirements),
    (&["dokumen", "apa"], Requirements),
    (&["berkas", "apa"], Requirements),
    (&["apa", "yang", "dibawa"], Requirements),
    (&["berapa", "lama"], Time),
    (&["berapa", "hari"], Time),
    (&["kapan", "selesai"], Time),
    (&["kapan", "jadi"], Time),
    (&["how", "long"], Time),
    (&["how", "many", "days"], Time),
    (&["how", "much"], Fee),
    (&["di", "mana"], Place),
    (&["dasar", "hukum"], LegalBasis),
    (&["legal", "basis"], LegalBasis),
    (&["how", "to"], HowToApply),
    (&["how", "do", "i"], HowToApply),
    (&["how", "can", "i"], HowToApply),
];

const WORDS: &[(&str, Intent)] = &[
    ("syarat", Requirements),
    ("persyaratan", Requirements),
    ("ketentuan", Requirements),
    ("berkas", Requirements),
    ("requirement", Requirements),
    ("requirements", Requirements),
    ("required", Requirements),
    ("documents", Requirements),
    ("biaya", Fee),
    ("berapa", Fee),
    ("bayar", Fee),
    ("membayar", Fee),
    ("dibayar", Fee),
    ("tarif", Fee),
    ("gratis", Fee),
    ("ongkos", Fee),
    ("harga", Fee),
    ("cost", Fee),
    ("costs", Fee),
    ("fee", Fee),
    ("fees", Fee),
    ("price", Fee),
    ("pay", Fee),
    ("free", Fee),
    ("dimana", Place),
    ("kantor", Place),
    ("alamat", Place),
    ("lokasi", Place),
    ("where", Place),
    ("office", Place),
    ("offices", Place),
    ("address", Place),
    ("kapan", Time),
    ("when", Time),
    ("peraturan", LegalBasis),
    ("regulasi", LegalBasis),
    ("regulation", LegalBasis),
    ("law", LegalBasis),
    ("cara", HowToApply),
    ("bagaimana", HowToApply),
    ("prosedur", HowToApply),
    ("langkah", HowToApply),
    ("alur", HowToApply),
    ("procedure", HowToApply),
    ("apply", HowToApply),
];

/// Abbreviations and everyday spellings, to the word the vocabulary uses.
const SLANG: &[(&str, &str)] = &[
    ("dmn", "dimana"),
    ("dmana", "dimana"),
    ("dimn", "dimana"),
    ("brp", "berapa"),
    ("brapa", "berapa"),
    ("berapaan", "berapa"),
    ("gmn", "bagaimana"),
    ("gmna", "bagaimana"),
    ("gimana", "bagaimana"),
    ("gmana", "bagaimana"),
    ("bgmn", "bagaimana"),
    ("bgmana", "bagaimana"),
    ("gimane", "bagaimana"),
    ("kpn", "kapan"),
    ("syrt", "syarat"),
    ("srat", "syarat"),
    ("persyaratn", "persyaratan"),
    ("byr", "bayar"),
    ("biayanya", "biaya"),
    ("kntr", "kantor"),
    ("almt", "alamat"),
    ("lks", "lokasi"),
    ("brkas", "berkas"),
    ("dok", "dokumen"),
    ("dokumennya", "dokumen"),
    ("lm", "lama"),
    ("lma", "lama"),
    ("hr", "hari"),
    ("yg", "yang"),
    ("utk", "untuk"),
    ("dgn", "dengan"),
    ("bwa", "bawa"),
];

/// Words that ask or join rather than name a service.
const STOPWORDS: &[&str] = &[
    "apa",
    "apakah",
    "yang",
    "untuk",
    "dengan",
    "di",
    "ke",
    "dari",
    "dan",
    "atau",
    "kalau",
    "kalo",
    "klo",
    "jika",
    "bila",
    "bisa",
    "harus",
    "perlu",
    "mau",
    "ingin",
    "pengen",
    "saya",
    "aku",
    "gue",
    "gw",
    "sy",
    "kami",
    "kita",
    "ada",
    "saja",
    "aja",
    "sih",
    "dong",
    "deh",
    "ya",
    "yah",
    "nya",
    "tidak",
    "nggak",
    "gak",
    "ga",
    "tdk",
    "itu",
    "ini",
    "sini",
    "situ",
    "mana",
    "lama",
    "hari",
    "jadi",
    "selesai",
    "dokumen",
    "bawa",
    "dibawa",
    "butuh",
    "dibutuhkan",
    "diperlukan",
    "bikin",
    "buat",
    "membuat",
    "urus",
    "ngurus",
    "mengurus",
    "mengajukan",
    "ajukan",
    "terdekat",
    "dekat",
    "paling",
    "berapa",
    "hukum",
    "dasar",
    "tolong",
    "mohon",
    "min",
    "kak",
    "pak",
    "bu",
    "gan",
    "the",
    "a",
    "an",
    "to",
    "for",
    "of",
    "is",
    "are",
    "it",
    "can",
    "get",
    "need",
    "do",
    "does",
    "i",
    "my",
    "me",
    "what",
    "how",
    "where",
    "when",
    "much",
    "long",
    "many",
    "days",
    "nearest",
    "near",
    "in",
    "at",
    "on",
    "please",
    "legal",
    "basis",
    "you",
    "there",
];

/// Lowercase words of `text`: letters and digits, `syarat2` and `syarat-syarat` read
/// as `syarat`, slang spelled out.
pub(crate) fn words(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut out = Vec::new();
    for raw in lower.split(|c: char| !c.is_alphanumeric()) {
        if raw.is_empty() {
            continue;
        }
        // Reduplication written with a 2 ("syarat2", "dokumen2").
        let word = match raw.strip_suffix('2') {
            Some(base) if base.chars().count() >= 3 && base.chars().all(char::is_alphabetic) => {
                base
            }
            _ => raw,
        };
        if out.last().is_some_and(|last: &String| last == word) {
            continue;
        }
        let spelled = SLANG
            .iter()
            .find(|(slang, _)| *slang == word)
            .map_or(word, |(_, w)| w);
        out.push(spelled.to_owned());
    }
    out
}

/// The intents of a question, in the order they appear, each once.
pub fn detect(question: &str) -> Vec<Intent> {
    detect_words(&words(question))
}

pub(crate) fn detect_words(words: &[String]) -> Vec<Intent> {
    let mut out: Vec<Intent> = Vec::new();
    let mut push = |intent: Intent| {
        if !out.contains(&intent) {
            out.push(intent);
        }
    };
    let mut i = 0;
    while i < words.len() {
        let phrase = PHRASES
            .iter()
            .filter(|(phrase, _)| words[i..].starts_with_words(phrase))
            .max_by_key(|(phrase, _)| phrase.len());
        if let Some((phrase, intent)) = phrase {
            push(*intent);
            i += phrase.len();
            continue;
        }
        if let Some(intent) = word_intent(&words[i]) {
            push(intent);
        }
        i += 1;
    }
    out
}

trait StartsWithWords {
    fn starts_with_words(&self, phrase: &[&str]) -> bool;
}

impl StartsWithWords for [String] {
    fn starts_with_words(&self, phrase: &[&str]) -> bool {
        self.len() >= phrase.len() && self.iter().zip(phrase).all(|(w, p)| w == p)
    }
}

/// The intent of one word: itself, without a clitic (`biayanya`, `syaratnya`), or
/// one typo away from a cue word of six letters or more (`persyaratn`, `alamta`).
fn word_intent(word: &str) -> Option<Intent> {
    let exact = |w: &str| {
        WORDS
            .iter()
            .find(|(cue, _)| *cue == w)
            .map(|(_, intent)| *intent)
    };
    if let Some(intent) = exact(word) {
        return Some(intent);
    }
    for clitic in ["nya", "ny", "kah", "lah"] {
        if let Some(base) = word.strip_suffix(clitic) {
            if let Some(intent) = exact(base) {
                return Some(intent);
            }
        }
    }
    if word.chars().count() < 5 {
        return None;
    }
    WORDS
        .iter()
        .filter(|(cue, _)| cue.chars().count() >= 6)
        .find(|(cue, _)| within_one_edit(word, cue))
        .map(|(_, intent)| *intent)
}

/// Whether `word` only asks (a cue or a stopword), so it names no service.
pub(crate) fn is_asking_word(word: &str) -> bool {
    STOPWORDS.contains(&word)
        || word_intent(word).is_some()
        || PHRASES.iter().any(|(phrase, _)| phrase.contains(&word))
}

/// Optimal string alignment distance at most 1 (one insertion, deletion, substitution
/// or swap of neighbours).
pub(crate) fn within_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match (ra.len(), rb.len()) {
        (0, 0) => true,
        (x, y) if x == y => {
            ra[1..] == rb[1..] || (x >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        (x, y) if x > y => ra[1..] == *rb,
        _ => *ra == rb[1..],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_intent_in_both_languages() {
        let cases: &[(&str, &[Intent])] = &[
            ("apa syarat bikin KTP kalau hilang?", &[Requirements]),
            ("persyaratan kk baru", &[Requirements]),
            ("dokumen apa untuk paspor", &[Requirements]),
            ("perlu bawa apa buat skck", &[Requirements]),
            ("what do I need for a passport", &[Requirements]),
            ("passport requirements", &[Requirements]),
            ("berapa biaya paspor?", &[Fee]),
            ("bayar berapa nikah di kua", &[Fee]),
            ("tarif sim c", &[Fee]),
            ("apakah gratis", &[Fee]),
            ("how much is a passport", &[Fee]),
            ("passport fee", &[Fee]),
            ("di mana kantor Disdukcapil terdekat?", &[Place]),
            ("dimana alamat imigrasi", &[Place]),
            ("lokasi samsat", &[Place]),
            ("where is the office", &[Place]),
            ("berapa lama bikin paspor", &[Time]),
            ("kapan selesai akta kelahiran", &[Time]),
            ("how long does it take", &[Time]),
            ("dasar hukum akta kematian", &[LegalBasis]),
            ("peraturan tentang ktp", &[LegalBasis]),
            ("cara bikin npwp", &[HowToApply]),
            ("bagaimana mengurus kia", &[HowToApply]),
            ("how to apply for a passport", &[HowToApply]),
        ];
        for (question, expected) in cases {
            assert_eq!(detect(question), *expected, "{question}");
        }
    }

    #[test]
    fn tolerates_slang_abbreviations_and_typos() {
        let cases: &[(&str, &[Intent])] = &[
            ("syarat2 ktp", &[Requirements]),
            ("syarat-syarat ktp", &[Requirements]),
            ("syaratnya apa aja", &[Requirements]),
            ("persyaratn paspor", &[Requirements]),
            ("brp biayanya", &[Fee]),
            ("brp lama jadinya", &[Time]),
            ("dmn kantornya", &[Place]),
            ("gmn caranya", &[HowToApply]),
            ("alamta kantor", &[Place]),
        ];
        for (question, expected) in cases {
            assert_eq!(detect(question), *expected, "{question}");
        }
    }

    #[test]
    fn several_intents_in_order_and_none_when_nothing_asks() {
        assert_eq!(detect("syarat dan biaya paspor"), vec![Requirements, Fee]);
        assert_eq!(detect("berapa lama dan berapa biaya"), vec![Time, Fee]);
        assert!(detect("ktp hilang").is_empty());
        assert!(detect("paspor biasa").is_empty(), "biasa is not biaya");
        assert!(detect("").is_empty());
    }

    #[test]
    fn asking_words_name_no_service() {
        for word in [
            "syarat", "biayanya", "dimana", "apa", "terdekat", "how", "need",
        ] {
            assert!(is_asking_word(word), "{word}");
        }
        for word in ["ktp", "paspor", "hilang", "akta"] {
            assert!(!is_asking_word(word), "{word}");
        }
    }

    #[test]
    fn one_edit() {
        assert!(within_one_edit("syarat", "syarat"));
        assert!(within_one_edit("syarta", "syarat"));
        assert!(within_one_edit("syarat", "syaratt"));
        assert!(within_one_edit("yarat", "syarat"));
        assert!(within_one_edit("sxarat", "syarat"));
        assert!(!within_one_edit("sxarxt", "syarat"));
        assert!(!within_one_edit("syarat", "surat"));
    }
}
