//! An Indonesian stemmer: Nazief-Adriani with the Confix-Stripping (CS) and Enhanced
//! Confix-Stripping (ECS) changes, step for step as Sastrawi does it (PySastrawi 1.0.1,
//! `Stemmer/Context/Context.py`), so that its output can be checked against Sastrawi as
//! an oracle (`tests/oracle.rs`, `docs/stemmer.md`).
//!
//! The order of work for one word:
//! 1. a root word is returned as it is;
//! 2. words of three letters or fewer are marked "stopped" (Sastrawi still lets one
//!    suffix step and the plain prefixes run on them);
//! 3. for the confixes be-lah, be-an, me-i, di-i, pe-i, ter-i the prefixes are tried
//!    before the suffixes (precedence adjustment); if that fails the word is restored;
//! 4. suffixes: particle (-lah, -kah, -tah, -pun), possessive (-ku, -mu, -nya),
//!    derivation (-i, -kan, -an, and the loan suffixes -is, -isme, -isasi);
//! 5. prefixes, up to three times: plain (di-, ke-, se-), then the disambiguation rules
//!    of [`rules`], one removal per round;
//! 6. ECS "loop pengembalian akhiran": put the suffixes back one by one (last removed
//!    first; "-kan" first as "-k") and retry the prefixes;
//! 7. the result is the current word if it is a root, else the original word.
//!
//! Sastrawi defines an "invalid affix pair" check (ber-i, di-an, ke-i, ke-an, me-an,
//! ter-an, per-an) but never applies it; neither does this stemmer.
//!
//! Input is one normalized token (lowercase). Hyphenated words take Sastrawi's plural
//! path ("buku-buku", "meniru-nirukan"). The stemmer never panics on any UTF-8.

mod dictionary;
mod rules;

pub use dictionary::RootDictionary;

/// Stems `word` with the embedded Sastrawi dictionary.
///
/// ```
/// assert_eq!(layanan_search::stem("pembuatan"), "buat");
/// assert_eq!(layanan_search::stem("kependudukan"), "duduk");
/// ```
pub fn stem(word: &str) -> String {
    Stemmer::new(RootDictionary::embedded()).stem_word(word)
}

/// A stemmer over a root-word dictionary.
#[derive(Debug, Clone, Copy)]
pub struct Stemmer<'d> {
    dictionary: &'d RootDictionary,
}

/// Particles and possessives that may follow a hyphen in a plural ("buku-bukunya" is
/// written "buku-buku-nya" too).
const HYPHEN_SUFFIXES: [&str; 7] = ["ku", "mu", "nya", "lah", "kah", "tah", "pun"];

impl<'d> Stemmer<'d> {
    /// A stemmer that checks candidates against `dictionary`.
    pub fn new(dictionary: &'d RootDictionary) -> Self {
        Self { dictionary }
    }

    /// The stemmer over the embedded Sastrawi dictionary.
    pub fn embedded() -> Stemmer<'static> {
        Stemmer::new(RootDictionary::embedded())
    }

    /// The dictionary this stemmer checks against.
    pub fn dictionary(&self) -> &'d RootDictionary {
        self.dictionary
    }

    /// Stems one word, as Sastrawi's `Stemmer.stem_word`.
    pub fn stem_word(&self, word: &str) -> String {
        if is_plural(word) {
            self.stem_plural(word)
        } else {
            self.stem_singular(word)
        }
    }

    /// Sastrawi's `stem_plural_word` (after Asian 2007, pages 76-77).
    fn stem_plural(&self, plural: &str) -> String {
        let Some((left, right)) = plural.rsplit_once('-') else {
            return plural.to_owned();
        };
        let (first, second) = match left.rsplit_once('-') {
            // malaikat-malaikat-nya -> malaikat, malaikat-nya
            Some((head, tail)) if HYPHEN_SUFFIXES.contains(&right) => {
                (head.to_owned(), format!("{tail}-{right}"))
            }
            _ => (left.to_owned(), right.to_owned()),
        };
        let root_first = self.stem_singular(&first);
        let mut root_second = self.stem_singular(&second);
        // meniru-nirukan -> tiru
        if !self.dictionary.contains(&second) && root_second == second {
            root_second = self.stem_singular(&format!("me{second}"));
        }
        if root_first == root_second {
            root_first
        } else {
            plural.to_owned()
        }
    }

    fn stem_singular(&self, word: &str) -> String {
        let mut context = Context::new(word, self.dictionary);
        context.run();
        if self.dictionary.contains(&context.current) {
            context.current
        } else {
            word.to_owned()
        }
    }
}

/// Sastrawi's `is_plural`: a hyphen, unless the only hyphen introduces a particle or a
/// possessive ("nikmat-ku").
fn is_plural(word: &str) -> bool {
    match word.rsplit_once('-') {
        Some((head, tail)) if HYPHEN_SUFFIXES.contains(&tail) => head.contains('-'),
        Some(_) => true,
        None => false,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Affix {
    /// A derivational prefix (plain or disambiguated).
    Prefix,
    /// A derivational suffix: -i, -kan, -an, -is, -isme, -isasi.
    Derivational,
    /// A possessive pronoun: -ku, -mu, -nya.
    Possessive,
    /// A particle: -lah, -kah, -tah, -pun.
    Particle,
}

#[derive(Debug, Clone)]
struct Removal {
    /// The word before the removal.
    subject: String,
    /// The word after it.
    result: String,
    /// What was removed, as Sastrawi computes it (the first occurrence of `result`
    /// deleted from `subject`).
    removed: String,
    affix: Affix,
}

/// One word's stemming state (Sastrawi's `Context`).
struct Context<'a> {
    original: &'a str,
    current: String,
    dictionary: &'a RootDictionary,
    stopped: bool,
    removals: Vec<Removal>,
}

/// The confixes whose prefix is removed before their suffix (Asian 2007, pages 78-79).
const PRECEDENCE: [(&str, &str); 6] = [
    ("be", "lah"),
    ("be", "an"),
    ("me", "i"),
    ("di", "i"),
    ("pe", "i"),
    ("ter", "i"),
];

/// Derivational suffixes; the longest that ends the word is removed.
const DERIVATIONAL: [&str; 6] = ["isasi", "isme", "kan", "is", "an", "i"];

impl<'a> Context<'a> {
    fn new(word: &'a str, dictionary: &'a RootDictionary) -> Self {
        Self {
            original: word,
            current: word.to_owned(),
            dictionary,
            stopped: false,
            removals: Vec::new(),
        }
    }

    fn found(&self) -> bool {
        self.dictionary.contains(&self.current)
    }

    fn run(&mut self) {
        if self.found() {
            return;
        }
        if self.original.chars().count() <= 3 {
            self.stopped = true;
        }
        let precedence = PRECEDENCE.iter().any(|(prefix, suffix)| {
            self.original.len() >= prefix.len() + suffix.len()
                && self.original.starts_with(prefix)
                && self.original.ends_with(suffix)
        });
        if precedence {
            self.remove_prefixes();
            if self.found() {
                return;
            }
            self.remove_suffixes();
            if self.found() {
                return;
            }
            self.current = self.original.to_owned();
            self.removals.clear();
        }
        self.remove_suffixes();
        if self.found() {
            return;
        }
        self.remove_prefixes();
        if self.found() {
            return;
        }
        self.restore_suffixes();
    }

    fn remove_suffixes(&mut self) {
        let steps: [SuffixStep; 3] = [remove_particle, remove_possessive, remove_derivational];
        for step in steps {
            if let Some((result, affix)) = step(&self.current) {
                self.record(result, affix);
            }
            if self.found() || self.stopped {
                return;
            }
        }
    }

    fn remove_prefixes(&mut self) {
        for _ in 0..3 {
            self.remove_one_prefix();
            if self.found() {
                return;
            }
        }
    }

    /// One round over the prefix rules; stops at the first rule that removes something.
    fn remove_one_prefix(&mut self) {
        let before = self.removals.len();
        if let Some(rest) = ["di", "ke", "se"]
            .iter()
            .find_map(|p| self.current.strip_prefix(p))
        {
            let rest = rest.to_owned();
            self.record(rest, Affix::Prefix);
        }
        if self.found() || self.stopped || self.removals.len() > before {
            return;
        }
        for group in rules::PREFIX_RULES {
            let mut candidate = None;
            for rule in *group {
                candidate = rule(&self.current);
                if candidate
                    .as_deref()
                    .is_some_and(|c| self.dictionary.contains(c))
                {
                    break;
                }
            }
            if let Some(result) = candidate.filter(|c| !c.is_empty()) {
                self.record(result, Affix::Prefix);
            }
            if self.found() || self.stopped || self.removals.len() > before {
                return;
            }
        }
    }

    /// ECS: restore the word as it was before its prefixes, then put the suffixes back
    /// one at a time and retry the prefixes.
    fn restore_suffixes(&mut self) {
        if let Some(first) = self.removals.first() {
            self.current = first.subject.clone();
        }
        // Sastrawi deletes prefix removals while iterating over the same list, which
        // skips the entry after each deletion; reproduced for fidelity (it cannot change
        // the result, as only suffix removals are read below).
        let mut i = 0;
        while i < self.removals.len() {
            if self.removals[i].affix == Affix::Prefix {
                self.removals.remove(i);
            }
            i += 1;
        }
        let restored = self.current.clone();
        for i in (0..self.removals.len()).rev() {
            let removal = self.removals[i].clone();
            if removal.affix == Affix::Prefix {
                continue;
            }
            if removal.removed == "kan" {
                self.current = format!("{}k", removal.result);
                self.remove_prefixes();
                if self.found() {
                    return;
                }
                self.current = format!("{}kan", removal.result);
            } else {
                self.current = removal.subject;
            }
            self.remove_prefixes();
            if self.found() {
                return;
            }
            self.current = restored.clone();
        }
    }

    fn record(&mut self, result: String, affix: Affix) {
        let removed = match self.current.find(result.as_str()) {
            Some(at) => format!(
                "{}{}",
                &self.current[..at],
                &self.current[at + result.len()..]
            ),
            None => self.current.clone(),
        };
        let subject = std::mem::replace(&mut self.current, result.clone());
        self.removals.push(Removal {
            subject,
            result,
            removed,
            affix,
        });
    }
}

/// A suffix step: the word without its suffix, and which kind of affix that was.
type SuffixStep = fn(&str) -> Option<(String, Affix)>;

/// `-*(lah|kah|tah|pun)$`
fn remove_particle(word: &str) -> Option<(String, Affix)> {
    ["lah", "kah", "tah", "pun"]
        .iter()
        .find_map(|s| word.strip_suffix(s))
        .map(|rest| (rest.trim_end_matches('-').to_owned(), Affix::Particle))
}

/// `-*(ku|mu|nya)$`
fn remove_possessive(word: &str) -> Option<(String, Affix)> {
    ["nya", "ku", "mu"]
        .iter()
        .find_map(|s| word.strip_suffix(s))
        .map(|rest| (rest.trim_end_matches('-').to_owned(), Affix::Possessive))
}

/// `(is|isme|isasi|i|kan|an)$`, leftmost match: the longest suffix.
fn remove_derivational(word: &str) -> Option<(String, Affix)> {
    DERIVATIONAL
        .iter()
        .find_map(|s| word.strip_suffix(s))
        .map(|rest| (rest.to_owned(), Affix::Derivational))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_cases() {
        for (word, root) in [
            ("menyapu", "sapu"),
            ("memakan", "makan"),
            ("pengaduan", "adu"),
            ("perpanjangan", "panjang"),
            ("kelahiran", "lahir"),
            ("perkawinan", "kawin"),
            ("kematian", "mati"),
            ("kependudukan", "duduk"),
            ("pembuatan", "buat"),
            ("penggantian", "ganti"),
            ("mempengaruhi", "pengaruh"),
            ("bersamaan", "sama"),
            ("mengecat", "cat"),
            ("buku-buku", "buku"),
            ("meniru-nirukan", "tiru"),
            ("nikmat-ku", "nikmat"),
            ("rumahnyalah", "rumah"),
        ] {
            assert_eq!(stem(word), root, "{word}");
        }
    }

    #[test]
    fn unknown_and_short_words_stay() {
        assert_eq!(stem("xyzzy"), "xyzzy");
        assert_eq!(stem("di"), "di");
        assert_eq!(stem(""), "");
        assert_eq!(stem("2024"), "2024");
    }

    #[test]
    fn plural_detection_follows_sastrawi() {
        assert!(is_plural("buku-buku"));
        assert!(!is_plural("nikmat-ku"));
        assert!(is_plural("buku-buku-nya"));
        assert!(!is_plural("buku"));
    }

    #[test]
    fn suffix_steps_match_the_regexes() {
        assert_eq!(
            remove_particle("bukan-lah"),
            Some(("bukan".into(), Affix::Particle))
        );
        assert_eq!(
            remove_possessive("rumahnya"),
            Some(("rumah".into(), Affix::Possessive))
        );
        assert_eq!(
            remove_derivational("organisasi"),
            Some(("organ".into(), Affix::Derivational))
        );
        assert_eq!(
            remove_derivational("makan").map(|r| r.0),
            Some("ma".to_owned())
        );
        assert_eq!(remove_derivational("buku"), None);
    }
}
