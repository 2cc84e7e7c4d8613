//! The hand-written relevance set (core/catalog/tests/relevance/queries.tsv: queries
//! as citizens type them, with the service each means) against the starter catalog
//! (server/catalog/services). A query is a hit when one of its services is in the top
//! three. core/search/docs/relevance.md records the rate and the misses.
#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use std::path::PathBuf;

use layanan_search::{Document, Index};

/// Measured 95.3% (205 of 215) on 2026-12-02 (docs/relevance.md); the issue asks 95%.
const MIN_TOP3_RATE: f64 = 0.95;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn text(v: &toml::Value, key: &str) -> String {
    match v.get(key) {
        Some(t) => ["id", "en"]
            .iter()
            .filter_map(|l| t.get(l).and_then(|x| x.as_str()))
            .collect::<Vec<_>>()
            .join(" "),
        None => String::new(),
    }
}

fn documents() -> Vec<Document> {
    let dir = repo().join("server/catalog/services");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| {
            let v: toml::Value = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
            let keywords = v["keywords"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|k| k.as_str())
                        .collect::<Vec<_>>()
                        .join(" , ")
                })
                .unwrap_or_default();
            let requirements = v
                .get("requirements")
                .and_then(|r| r.as_array())
                .map(|a| {
                    a.iter()
                        .map(|r| {
                            format!(
                                "{} {}",
                                r["id"].as_str().unwrap_or(""),
                                r["en"].as_str().unwrap_or("")
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(" , ")
                })
                .unwrap_or_default();
            Document {
                id: v["id"].as_str().unwrap().to_owned(),
                fields: vec![
                    (text(&v, "title"), 5.0),
                    (keywords, 4.0),
                    (text(&v, "summary"), 1.5),
                    (text(&v, "audience"), 1.0),
                    (requirements, 0.5),
                ],
            }
        })
        .collect()
}

#[test]
fn top3_hit_rate_on_the_hand_written_queries() {
    let docs = documents();
    assert!(
        docs.len() >= 40,
        "starter catalog has {} services",
        docs.len()
    );
    let index = Index::build(&docs);
    let set =
        std::fs::read_to_string(repo().join("core/catalog/tests/relevance/queries.tsv")).unwrap();
    let mut total = 0;
    let mut misses = Vec::new();
    for line in set
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (query, expected) = line.split_once('\t').unwrap();
        let expected: Vec<&str> = expected.split(',').map(str::trim).collect();
        for id in &expected {
            assert!(
                docs.iter().any(|d| d.id == *id),
                "{query}: unknown service {id}"
            );
        }
        total += 1;
        let hits = index.search(query, 3).hits;
        if !hits.iter().any(|h| expected.contains(&h.id.as_str())) {
            misses.push(format!(
                "{query} -> want {expected:?}, got {:?}",
                hits.iter().map(|h| &h.id).collect::<Vec<_>>()
            ));
        }
    }
    assert!(total >= 150, "only {total} queries");
    let rate = 1.0 - misses.len() as f64 / total as f64;
    eprintln!(
        "top-3 hit rate: {:.1}% ({} of {total})",
        rate * 100.0,
        total - misses.len()
    );
    for m in &misses {
        eprintln!("miss: {m}");
    }
    assert!(
        rate >= MIN_TOP3_RATE,
        "top-3 rate {rate:.3} under {MIN_TOP3_RATE}"
    );
}
