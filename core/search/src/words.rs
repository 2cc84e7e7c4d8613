//! Everyday words: what a citizen types mapped to what the catalog says ("akte" is
//! "akta", "bikin" is "buat", "ilang" is "hilang", "pasport" is "paspor", "lost" is
//! "hilang"), and the question words that carry little meaning ("apa", "cara", "how").
//!
//! Two sources: the hand-written table below, which wins, and slang picked from
//! indoNLP 0.3.4 (MIT License, Copyright (c) 2022 Wahyu Setianto; data from Kamus
//! Alay, Salsabila et al.) in `data/slang-indonlp.tsv`.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Hand-written: citizen word -> the words the catalog uses (space-separated).
const EVERYDAY: &[(&str, &str)] = &[
    // Bahasa Indonesia as people type it.
    ("akte", "akta"),
    ("bikin", "buat"),
    ("bkin", "buat"),
    ("bikinin", "buat"),
    ("urus", "buat"),
    ("ngurus", "buat"),
    ("ilang", "hilang"),
    ("ktp", "ktp"),
    ("ektp", "ktp"),
    ("ktpel", "ktp"),
    ("kk", "kk keluarga"),
    ("kartu", "kartu"),
    ("pasport", "paspor"),
    ("passport", "paspor"),
    ("pasfor", "paspor"),
    ("lahiran", "lahir"),
    ("nikah", "nikah kawin"),
    ("kawin", "kawin nikah"),
    ("cerai", "cerai"),
    ("meninggal", "mati"),
    ("wafat", "mati"),
    ("mati", "mati"),
    ("pindahan", "pindah"),
    ("domisili", "domisili pindah"),
    ("warung", "usaha"),
    ("dagang", "usaha"),
    ("jualan", "usaha"),
    ("toko", "usaha"),
    ("umkm", "usaha"),
    ("ijin", "izin"),
    ("bansos", "bantuan sosial"),
    ("bpjs", "bpjs"),
    ("kis", "kis bpjs"),
    ("duit", "biaya"),
    ("bayar", "biaya"),
    ("harga", "biaya"),
    ("tarif", "biaya"),
    ("ongkos", "biaya"),
    ("gratis", "biaya"),
    ("lapor", "lapor adu"),
    ("komplain", "adu"),
    ("keluhan", "adu"),
    ("rusak", "rusak"),
    ("sobek", "rusak"),
    ("patah", "rusak"),
    ("perpanjang", "panjang"),
    ("sktm", "sktm miskin"),
    ("nib", "nib usaha"),
    ("npwp", "npwp pajak"),
    ("sim", "sim"),
    ("skck", "skck"),
    ("tdk", "tidak"),
    ("gak", "tidak"),
    ("nggak", "tidak"),
    ("gmn", "bagaimana"),
    ("gimana", "bagaimana"),
    ("brp", "berapa"),
    ("dmn", "mana"),
    ("dimana", "mana"),
    ("yg", "yang"),
    ("dgn", "dengan"),
    ("utk", "untuk"),
    ("buat", "buat"),
    ("sy", "saya"),
    ("anak", "anak"),
    ("bayi", "bayi lahir anak"),
    // English words for what the catalog writes in Indonesian.
    ("lost", "hilang lost"),
    ("birth", "lahir birth"),
    ("death", "mati death"),
    ("marriage", "kawin nikah marriage"),
    ("married", "kawin nikah marriage"),
    ("divorce", "cerai divorce"),
    ("moving", "pindah moving"),
    ("move", "pindah move"),
    ("business", "usaha business"),
    ("permit", "izin permit"),
    ("fee", "biaya fee"),
    ("cost", "biaya cost"),
    ("police", "polisi police"),
    ("tax", "pajak tax"),
    ("complaint", "adu complaint"),
    ("renew", "panjang renew"),
    ("damaged", "rusak damaged"),
    ("broken", "rusak damaged"),
];

/// Words that ask rather than say: kept, with a small weight.
const QUESTION_WORDS: &[&str] = &[
    "apa",
    "apakah",
    "bagaimana",
    "cara",
    "caranya",
    "mau",
    "ingin",
    "saya",
    "aku",
    "gue",
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
    "jika",
    "bisa",
    "harus",
    "perlu",
    "berapa",
    "mana",
    "kapan",
    "tidak",
    "ada",
    "nya",
    "sih",
    "dong",
    "ya",
    "the",
    "a",
    "an",
    "how",
    "what",
    "where",
    "when",
    "do",
    "i",
    "my",
    "to",
    "for",
    "of",
    "is",
    "can",
    "get",
    "need",
    "in",
];

/// Weight of a question word against 1.0 for a meaningful word.
pub const QUESTION_WORD_WEIGHT: f64 = 0.15;

/// The catalog words a citizen's word stands for; the word itself when it has none.
pub fn alternatives(token: &str) -> Vec<String> {
    match table().get(token) {
        Some(words) => words.split(' ').map(str::to_owned).collect(),
        None => vec![token.to_owned()],
    }
}

/// Whether `token` asks rather than says (after [`alternatives`]).
pub fn is_question_word(token: &str) -> bool {
    QUESTION_WORDS.contains(&token)
}

fn table() -> &'static HashMap<&'static str, &'static str> {
    static TABLE: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map: HashMap<&'static str, &'static str> =
            include_str!("../data/slang-indonlp.tsv")
                .lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| l.split_once('\t'))
                .collect();
        map.extend(EVERYDAY.iter().copied());
        map
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everyday_words_map_to_catalog_words_and_the_hand_table_wins() {
        assert_eq!(alternatives("akte"), ["akta"]);
        assert_eq!(alternatives("ilang"), ["hilang"]);
        assert_eq!(alternatives("aj"), ["saja"]);
        assert_eq!(alternatives("kelahiran"), ["kelahiran"]);
        assert_eq!(alternatives("lost"), ["hilang", "lost"]);
        assert!(is_question_word("bagaimana") && !is_question_word("paspor"));
    }
}
