//! Agreement with Sastrawi (PySastrawi 1.0.1) on the committed oracle file.
//! `docs/stemmer.md` records the measured rate and every class of disagreement.

use layanan_search::stem;

const ORACLE: &str = include_str!("fixtures/sastrawi_oracle.tsv");

/// Measured 100.00% (4,490 of 4,490) on 2025-12-02; any new disagreement fails.
const MIN_AGREEMENT: f64 = 1.0;

fn oracle() -> Vec<(&'static str, &'static str)> {
    ORACLE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split_once('\t').expect("word<TAB>stem"))
        .collect()
}

#[test]
fn agreement_with_sastrawi() {
    let rows = oracle();
    assert!(rows.len() >= 2_000, "only {} oracle words", rows.len());
    let disagreements: Vec<_> = rows
        .iter()
        .filter_map(|&(word, expected)| {
            let ours = stem(word);
            (ours != expected).then(|| format!("{word}: sastrawi {expected}, ours {ours}"))
        })
        .collect();
    let rate = 1.0 - disagreements.len() as f64 / rows.len() as f64;
    eprintln!(
        "agreement {:.4} ({} of {})",
        rate,
        rows.len() - disagreements.len(),
        rows.len()
    );
    for d in disagreements.iter().take(50) {
        eprintln!("  {d}");
    }
    assert!(
        rate >= MIN_AGREEMENT,
        "agreement {rate:.4} below {MIN_AGREEMENT}: {disagreements:?}"
    );
}

#[test]
fn classic_hard_cases_are_in_the_oracle_and_agree() {
    let rows = oracle();
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
    ] {
        let expected = rows
            .iter()
            .find(|(w, _)| *w == word)
            .map(|(_, s)| *s)
            .unwrap_or_else(|| panic!("{word} missing from the oracle file"));
        assert_eq!(expected, root, "oracle for {word}");
        assert_eq!(stem(word), root, "ours for {word}");
    }
}
