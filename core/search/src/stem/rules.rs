//! The affix rules of Nazief-Adriani with the CS/ECS changes, one function per Sastrawi
//! rule, in Sastrawi's order (`VisitorProvider.py` of PySastrawi 1.0.1).
//!
//! Each disambiguator takes the current word and proposes a candidate root (or none).
//! Rules are grouped as Sastrawi groups them: within a group the first candidate found
//! in the dictionary wins, otherwise the group's last candidate is taken anyway (the
//! ECS loop may still turn it into a root). The regular expressions of the original are
//! written out as byte tests: every test is on ASCII, so slicing after a matched prefix
//! always falls on a character boundary even for non-ASCII input.

/// A prefix disambiguator: a candidate root for the word, or `None` if it does not apply.
pub(super) type Disambiguator = fn(&str) -> Option<String>;

/// The derivational-prefix rule groups after the plain prefixes `di-`/`ke-`/`se-`.
pub(super) const PREFIX_RULES: &[&[Disambiguator]] = &[
    &[rule_1a, rule_1b],
    &[rule_2],
    &[rule_3],
    &[rule_4],
    &[rule_5],
    &[rule_6a, rule_6b],
    &[rule_7],
    &[rule_8],
    &[rule_9],
    &[rule_10],
    &[rule_11],
    &[rule_12],
    &[rule_13a, rule_13b],
    &[rule_14],
    &[rule_15a, rule_15b],
    &[rule_16],
    &[rule_17a, rule_17b, rule_17c, rule_17d],
    &[rule_18a, rule_18b],
    &[rule_19],
    &[rule_20],
    &[rule_21a, rule_21b],
    &[rule_23],
    &[rule_24],
    &[rule_25],
    &[rule_26a, rule_26b],
    &[rule_27],
    &[rule_28a, rule_28b],
    &[rule_29],
    &[rule_30a, rule_30b, rule_30c],
    &[rule_31a, rule_31b],
    &[rule_32],
    &[rule_34],
    // CS additional rules.
    &[rule_35],
    &[rule_36],
    // CS infix rules.
    &[rule_37a, rule_37b],
    &[rule_38a, rule_38b],
    &[rule_39a, rule_39b],
    &[rule_40a, rule_40b],
    // Sastrawi's own: ku-A, kau-A.
    &[rule_41],
    &[rule_42],
];

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'i' | b'u' | b'e' | b'o')
}

/// `[bcdfghjklmnpqrstvwxyz]`
fn is_consonant(b: u8) -> bool {
    b.is_ascii_lowercase() && !is_vowel(b)
}

/// `[bcdfghjkpqstvxz]` (rules 35 and 36: no l, m, n, r, w, y).
fn is_consonant_35(b: u8) -> bool {
    is_consonant(b) && !matches!(b, b'l' | b'm' | b'n' | b'r' | b'w' | b'y')
}

/// The byte at `i`, if any.
fn at(w: &str, i: usize) -> Option<u8> {
    w.as_bytes().get(i).copied()
}

fn test(w: &str, i: usize, class: fn(u8) -> bool) -> bool {
    at(w, i).is_some_and(class)
}

/// `w` starts with `prefix` followed by a byte of `class`.
fn prefix_then(w: &str, prefix: &str, class: fn(u8) -> bool) -> bool {
    w.starts_with(prefix) && test(w, prefix.len(), class)
}

fn joined(head: &str, tail: &str) -> String {
    let mut s = String::with_capacity(head.len() + tail.len());
    s.push_str(head);
    s.push_str(tail);
    s
}

/// Rule 1a: berV -> ber-V
fn rule_1a(w: &str) -> Option<String> {
    prefix_then(w, "ber", is_vowel).then(|| w[3..].to_owned())
}

/// Rule 1b: berV -> be-rV
fn rule_1b(w: &str) -> Option<String> {
    prefix_then(w, "ber", is_vowel).then(|| joined("r", &w[3..]))
}

/// Rule 2: berCAP -> ber-CAP where C != 'r' and P != 'er'
fn rule_2(w: &str) -> Option<String> {
    if !(prefix_then(w, "ber", is_consonant) && test(w, 4, |b| b.is_ascii_lowercase())) {
        return None;
    }
    (!w[5..].starts_with("er")).then(|| w[3..].to_owned())
}

/// Rule 3: berCAerV -> ber-CAerV where C != 'r'
fn rule_3(w: &str) -> Option<String> {
    let shape = prefix_then(w, "ber", is_consonant)
        && test(w, 4, |b| b.is_ascii_lowercase())
        && w[5..].starts_with("er")
        && test(w, 7, is_vowel);
    (shape && at(w, 3) != Some(b'r')).then(|| w[3..].to_owned())
}

/// Rule 4: belajar -> bel-ajar
fn rule_4(w: &str) -> Option<String> {
    (w == "belajar").then(|| "ajar".to_owned())
}

/// Rule 5: beC1erC2 -> be-C1erC2 where C1 != 'r'
fn rule_5(w: &str) -> Option<String> {
    let shape = prefix_then(w, "be", |b| is_consonant(b) && b != b'r')
        && w[3..].starts_with("er")
        && test(w, 5, is_consonant);
    shape.then(|| w[2..].to_owned())
}

/// Rule 6a: terV -> ter-V
fn rule_6a(w: &str) -> Option<String> {
    prefix_then(w, "ter", is_vowel).then(|| w[3..].to_owned())
}

/// Rule 6b: terV -> te-rV
fn rule_6b(w: &str) -> Option<String> {
    prefix_then(w, "ter", is_vowel).then(|| joined("r", &w[3..]))
}

/// Rule 7: terCerV -> ter-CerV where C != 'r'
fn rule_7(w: &str) -> Option<String> {
    let shape =
        prefix_then(w, "ter", is_consonant) && w[4..].starts_with("er") && test(w, 6, is_vowel);
    (shape && at(w, 3) != Some(b'r')).then(|| w[3..].to_owned())
}

/// Rule 8: terCP -> ter-CP where C != 'r' and P != 'er'
fn rule_8(w: &str) -> Option<String> {
    if !prefix_then(w, "ter", is_consonant) || at(w, 3) == Some(b'r') {
        return None;
    }
    (!w[4..].starts_with("er")).then(|| w[3..].to_owned())
}

/// Rule 9: te-C1erC2 -> te-C1erC2 where C1 != 'r'
fn rule_9(w: &str) -> Option<String> {
    let shape =
        prefix_then(w, "te", is_consonant) && w[3..].starts_with("er") && test(w, 5, is_consonant);
    (shape && at(w, 2) != Some(b'r')).then(|| w[2..].to_owned())
}

/// Rule 10: me{l|r|w|y}V -> me-{l|r|w|y}V
fn rule_10(w: &str) -> Option<String> {
    let shape =
        prefix_then(w, "me", |b| matches!(b, b'l' | b'r' | b'w' | b'y')) && test(w, 3, is_vowel);
    shape.then(|| w[2..].to_owned())
}

/// Rule 11: mem{b|f|v} -> mem-{b|f|v}
fn rule_11(w: &str) -> Option<String> {
    prefix_then(w, "mem", |b| matches!(b, b'b' | b'f' | b'v')).then(|| w[3..].to_owned())
}

/// Rule 12 (CS): mempe -> mem-pe, to stem mempengaruhi
fn rule_12(w: &str) -> Option<String> {
    w.starts_with("mempe").then(|| w[3..].to_owned())
}

/// Rule 13a: mem{rV|V} -> me-m{rV|V}
fn rule_13a(w: &str) -> Option<String> {
    prefix_then(w, "mem", is_vowel).then(|| joined("m", &w[3..]))
}

/// Rule 13b: mem{rV|V} -> me-p{rV|V}
fn rule_13b(w: &str) -> Option<String> {
    prefix_then(w, "mem", is_vowel).then(|| joined("p", &w[3..]))
}

/// Rule 14 (Librian, ECS): men{c|d|j|s|t|z} -> men-{c|d|j|s|t|z}
fn rule_14(w: &str) -> Option<String> {
    prefix_then(w, "men", |b| {
        matches!(b, b'c' | b'd' | b'j' | b's' | b't' | b'z')
    })
    .then(|| w[3..].to_owned())
}

/// Rule 15a: menV -> me-nV
fn rule_15a(w: &str) -> Option<String> {
    prefix_then(w, "men", is_vowel).then(|| joined("n", &w[3..]))
}

/// Rule 15b: menV -> me-tV
fn rule_15b(w: &str) -> Option<String> {
    prefix_then(w, "men", is_vowel).then(|| joined("t", &w[3..]))
}

/// Rule 16 (CS): meng{g|h|q|k} -> meng-{g|h|q|k}
fn rule_16(w: &str) -> Option<String> {
    // Sastrawi's class is `[g|h|q|k]`, which also admits '|': normalized words have none.
    prefix_then(w, "meng", |b| matches!(b, b'g' | b'h' | b'q' | b'k' | b'|'))
        .then(|| w[4..].to_owned())
}

/// Rule 17a: mengV -> meng-V
fn rule_17a(w: &str) -> Option<String> {
    prefix_then(w, "meng", is_vowel).then(|| w[4..].to_owned())
}

/// Rule 17b: mengV -> meng-kV
fn rule_17b(w: &str) -> Option<String> {
    prefix_then(w, "meng", is_vowel).then(|| joined("k", &w[4..]))
}

/// Rule 17c: menge -> meng-e- (one-syllable roots: mengecat -> cat)
fn rule_17c(w: &str) -> Option<String> {
    w.starts_with("menge").then(|| w[5..].to_owned())
}

/// Rule 17d: mengV -> me-ngV
fn rule_17d(w: &str) -> Option<String> {
    prefix_then(w, "meng", is_vowel).then(|| joined("ng", &w[4..]))
}

/// Rule 18a: menyV -> me-nyV (menyala -> nyala)
fn rule_18a(w: &str) -> Option<String> {
    prefix_then(w, "meny", is_vowel).then(|| joined("ny", &w[4..]))
}

/// Rule 18b: menyV -> meny-sV
fn rule_18b(w: &str) -> Option<String> {
    prefix_then(w, "meny", is_vowel).then(|| joined("s", &w[4..]))
}

/// Rule 19 (ECS): mempA -> mem-pA where A is not 'e' (nor 'n', as Sastrawi's class is)
fn rule_19(w: &str) -> Option<String> {
    prefix_then(w, "memp", |b| {
        b.is_ascii_lowercase() && b != b'e' && b != b'n'
    })
    .then(|| w[3..].to_owned())
}

/// Rule 20: pe{w|y}V -> pe-{w|y}V
fn rule_20(w: &str) -> Option<String> {
    let shape = prefix_then(w, "pe", |b| matches!(b, b'w' | b'y')) && test(w, 3, is_vowel);
    shape.then(|| w[2..].to_owned())
}

/// Rule 21a: perV -> per-V
fn rule_21a(w: &str) -> Option<String> {
    prefix_then(w, "per", is_vowel).then(|| w[3..].to_owned())
}

/// Rule 21b: perV -> pe-rV
fn rule_21b(w: &str) -> Option<String> {
    prefix_then(w, "per", is_vowel).then(|| w[2..].to_owned())
}

/// Rule 23: perCAP -> per-CAP where C != 'r' and P != 'er'
fn rule_23(w: &str) -> Option<String> {
    if !(prefix_then(w, "per", is_consonant) && test(w, 4, |b| b.is_ascii_lowercase())) {
        return None;
    }
    (!w[5..].starts_with("er")).then(|| w[3..].to_owned())
}

/// Rule 24: perCAerV -> per-CAerV where C != 'r'
fn rule_24(w: &str) -> Option<String> {
    let shape = prefix_then(w, "per", is_consonant)
        && test(w, 4, |b| b.is_ascii_lowercase())
        && w[5..].starts_with("er")
        && test(w, 7, is_vowel);
    (shape && at(w, 3) != Some(b'r')).then(|| w[3..].to_owned())
}

/// Rule 25: pem{b|f|v} -> pem-{b|f|v}
fn rule_25(w: &str) -> Option<String> {
    prefix_then(w, "pem", |b| matches!(b, b'b' | b'f' | b'v')).then(|| w[3..].to_owned())
}

/// Rule 26a: pem{rV|V} -> pe-m{rV|V}
fn rule_26a(w: &str) -> Option<String> {
    prefix_then(w, "pem", is_vowel).then(|| joined("m", &w[3..]))
}

/// Rule 26b: pem{rV|V} -> pe-p{rV|V}
fn rule_26b(w: &str) -> Option<String> {
    prefix_then(w, "pem", is_vowel).then(|| joined("p", &w[3..]))
}

/// Rule 27: pen{c|d|j|z} -> pen-{c|d|j|z}
fn rule_27(w: &str) -> Option<String> {
    prefix_then(w, "pen", |b| matches!(b, b'c' | b'd' | b'j' | b'z')).then(|| w[3..].to_owned())
}

/// Rule 28a: penV -> pe-nV
fn rule_28a(w: &str) -> Option<String> {
    prefix_then(w, "pen", is_vowel).then(|| joined("n", &w[3..]))
}

/// Rule 28b: penV -> pe-tV
fn rule_28b(w: &str) -> Option<String> {
    prefix_then(w, "pen", is_vowel).then(|| joined("t", &w[3..]))
}

/// Rule 29 (ECS): pengC -> peng-C
fn rule_29(w: &str) -> Option<String> {
    prefix_then(w, "peng", is_consonant).then(|| w[4..].to_owned())
}

/// Rule 30a: pengV -> peng-V
fn rule_30a(w: &str) -> Option<String> {
    prefix_then(w, "peng", is_vowel).then(|| w[4..].to_owned())
}

/// Rule 30b: pengV -> peng-kV
fn rule_30b(w: &str) -> Option<String> {
    prefix_then(w, "peng", is_vowel).then(|| joined("k", &w[4..]))
}

/// Rule 30c: penge -> peng-e- (one-syllable roots)
fn rule_30c(w: &str) -> Option<String> {
    w.starts_with("penge").then(|| w[5..].to_owned())
}

/// Rule 31a: penyV -> pe-nyV
fn rule_31a(w: &str) -> Option<String> {
    prefix_then(w, "peny", is_vowel).then(|| joined("ny", &w[4..]))
}

/// Rule 31b: penyV -> peny-sV
fn rule_31b(w: &str) -> Option<String> {
    prefix_then(w, "peny", is_vowel).then(|| joined("s", &w[4..]))
}

/// Rule 32: pelV -> pe-lV, except pelajar -> pel-ajar
fn rule_32(w: &str) -> Option<String> {
    if w == "pelajar" {
        return Some("ajar".to_owned());
    }
    (w.starts_with("pel") && test(w, 3, is_vowel)).then(|| w[2..].to_owned())
}

/// Rule 34: peCP -> pe-CP where P != 'er'
fn rule_34(w: &str) -> Option<String> {
    if !prefix_then(w, "pe", is_consonant) {
        return None;
    }
    (!w[3..].starts_with("er")).then(|| w[2..].to_owned())
}

/// Rule 35 (CS): terC1erC2 -> ter-C1erC2 where C1 is not in {l, m, n, r, w, y}
fn rule_35(w: &str) -> Option<String> {
    let shape = prefix_then(w, "ter", is_consonant_35)
        && w[4..].starts_with("er")
        && test(w, 6, is_consonant);
    shape.then(|| w[3..].to_owned())
}

/// Rule 36 (CS): peC1erC2 -> pe-C1erC2 where C1 is not in {l, m, n, r, w, y}
fn rule_36(w: &str) -> Option<String> {
    let shape = prefix_then(w, "pe", is_consonant_35)
        && w[3..].starts_with("er")
        && test(w, 5, is_consonant);
    shape.then(|| w[2..].to_owned())
}

/// The infix rules 37-40: `C` + infix + `V`. Variant a keeps the word, variant b drops
/// the infix.
fn infix(w: &str, infix: &str, drop: bool) -> Option<String> {
    let shape = test(w, 0, is_consonant) && w[1..].starts_with(infix) && test(w, 3, is_vowel);
    shape.then(|| {
        if drop {
            joined(&w[..1], &w[3..])
        } else {
            w.to_owned()
        }
    })
}

/// Rule 37a: CerV -> CerV
fn rule_37a(w: &str) -> Option<String> {
    infix(w, "er", false)
}

/// Rule 37b: CerV -> CV
fn rule_37b(w: &str) -> Option<String> {
    infix(w, "er", true)
}

/// Rule 38a: CelV -> CelV
fn rule_38a(w: &str) -> Option<String> {
    infix(w, "el", false)
}

/// Rule 38b: CelV -> CV
fn rule_38b(w: &str) -> Option<String> {
    infix(w, "el", true)
}

/// Rule 39a: CemV -> CemV
fn rule_39a(w: &str) -> Option<String> {
    infix(w, "em", false)
}

/// Rule 39b: CemV -> CV
fn rule_39b(w: &str) -> Option<String> {
    infix(w, "em", true)
}

/// Rule 40a: CinV -> CinV
fn rule_40a(w: &str) -> Option<String> {
    infix(w, "in", false)
}

/// Rule 40b: CinV -> CV
fn rule_40b(w: &str) -> Option<String> {
    infix(w, "in", true)
}

/// Rule 41: ku-A
fn rule_41(w: &str) -> Option<String> {
    w.strip_prefix("ku").map(str::to_owned)
}

/// Rule 42: kau-A
fn rule_42(w: &str) -> Option<String> {
    w.strip_prefix("kau").map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_recode_morphophonemic_prefixes() {
        assert_eq!(rule_18b("menyapu").as_deref(), Some("sapu"));
        assert_eq!(rule_13a("memakan").as_deref(), Some("makan"));
        assert_eq!(rule_15b("menulis").as_deref(), Some("tulis"));
        assert_eq!(rule_17b("mengirim").as_deref(), Some("kirim"));
        assert_eq!(rule_17c("mengecat").as_deref(), Some("cat"));
        assert_eq!(rule_29("penggantian").as_deref(), Some("gantian"));
        assert_eq!(rule_26b("pemakai").as_deref(), Some("pakai"));
        assert_eq!(rule_31b("penyusun").as_deref(), Some("susun"));
        assert_eq!(rule_1b("berumah").as_deref(), Some("rumah"));
        assert_eq!(rule_4("belajar").as_deref(), Some("ajar"));
    }

    #[test]
    fn rules_respect_their_exceptions() {
        // ber- before C + "er": rule 2 leaves it to rule 3/5.
        assert_eq!(rule_2("berkaerja"), None);
        assert_eq!(rule_2("berperan").as_deref(), Some("peran"));
        assert_eq!(rule_2("bermain").as_deref(), Some("main"));
        assert_eq!(rule_3("berdaerah").as_deref(), Some("daerah"));
        assert_eq!(rule_3("berraerah"), None);
        assert_eq!(rule_8("terrasa"), None);
        assert_eq!(rule_8("terperangkap"), None);
        assert_eq!(rule_19("mempelajari"), None);
        assert_eq!(rule_19("memproteksi").as_deref(), Some("proteksi"));
        assert_eq!(rule_34("peterbang"), None);
        assert_eq!(rule_34("pekerja"), None);
        assert_eq!(rule_34("petani").as_deref(), Some("tani"));
        assert_eq!(rule_37b("gerigi").as_deref(), Some("gigi"));
        assert_eq!(rule_37a("gerigi").as_deref(), Some("gerigi"));
    }

    #[test]
    fn rules_never_slice_inside_a_character() {
        for word in [
            "béli", "menÿ", "pengé", "ku", "kau", "é", "meng", "ber", "t€r",
        ] {
            for group in PREFIX_RULES {
                for rule in *group {
                    let _ = rule(word);
                }
            }
        }
    }
}
