//! The index and its ranking: BM25 over Sastrawi stems with weighted fields, each
//! query word matched exactly, through its stem, through an everyday word, or within
//! a typo's distance, and documents that cover more of the query's meaningful words
//! first. Built in memory from the catalog (a few milliseconds for the starter
//! catalog: core/search/docs/benchmarks.md), so the phone keeps the catalog, not the
//! index.

use std::collections::HashMap;

use crate::normalize::tokens;
use crate::stem::Stemmer;
use crate::typo;
use crate::words;

/// One searchable thing (a service): its id and its texts, each with a weight.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The caller's id, returned in hits.
    pub id: String,
    /// Texts with their weight (e.g. title 5, keywords 4, summary 2, requirements 1).
    pub fields: Vec<(String, f64)>,
}

/// How a query word found a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchKind {
    /// The word itself, or the same stem ("pembuatan" and "buat").
    Stem,
    /// An everyday word for it ("akte" for "akta", "lost" for "hilang").
    Everyday,
    /// A word of the index within a typo's distance ("pasprot" for "paspor").
    Typo,
}

/// One query word and what it matched, so a result can be explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordMatch {
    /// The word as the citizen typed it (normalized).
    pub query_word: String,
    /// The index word it matched.
    pub matched: String,
    /// How.
    pub kind: MatchKind,
}

/// A document that matches, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The document's id.
    pub id: String,
    /// Higher is better; comparable within one search only.
    pub score: f64,
    /// The query words that found it.
    pub matches: Vec<WordMatch>,
}

/// What a search found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResult {
    /// Matching documents, best first, at most the limit asked for.
    pub hits: Vec<Hit>,
    /// When nothing matched: the query with each unknown word replaced by the
    /// closest word of the index, if there is one.
    pub did_you_mean: Option<String>,
}

const K1: f64 = 1.2;
const B: f64 = 0.5;
const EVERYDAY_FACTOR: f64 = 0.9;
const TYPO_FACTOR: [f64; 3] = [1.0, 0.6, 0.4];

/// An in-memory index over documents.
#[derive(Debug, Clone, Default)]
pub struct Index {
    ids: Vec<String>,
    /// Each document's field weights and lengths in tokens, in the caller's order.
    fields: Vec<Vec<(f64, f64)>>,
    /// Average length of field n over the documents that have it.
    average_lengths: Vec<f64>,
    /// Stem -> (document, field, term frequency), documents ascending.
    postings: HashMap<String, Vec<(u32, u16, f64)>>,
    /// Every word seen in a document -> its stem: what typos are corrected towards.
    surfaces: HashMap<String, String>,
}

impl Index {
    /// Indexes `documents`.
    pub fn build(documents: &[Document]) -> Self {
        let stemmer = Stemmer::embedded();
        let mut index = Index::default();
        let mut stems: HashMap<String, String> = HashMap::new();
        for (n, doc) in documents.iter().enumerate() {
            let doc_no = n as u32;
            index.ids.push(doc.id.clone());
            let mut tf: HashMap<(String, u16), f64> = HashMap::new();
            let mut fields = Vec::new();
            for (field_no, (text, weight)) in doc.fields.iter().enumerate() {
                let field_no = field_no as u16;
                let mut length = 0.0;
                for token in tokens(text) {
                    let stem = stems
                        .entry(token.clone())
                        .or_insert_with(|| stemmer.stem_word(&token))
                        .clone();
                    index.surfaces.entry(token).or_insert_with(|| stem.clone());
                    *tf.entry((stem, field_no)).or_insert(0.0) += 1.0;
                    length += 1.0;
                }
                fields.push((*weight, length));
            }
            for ((stem, field_no), f) in tf {
                index
                    .postings
                    .entry(stem)
                    .or_default()
                    .push((doc_no, field_no, f));
            }
            index.fields.push(fields);
        }
        for list in index.postings.values_mut() {
            list.sort_by_key(|&(d, f, _)| (d, f));
        }
        let widest = index.fields.iter().map(Vec::len).max().unwrap_or(0);
        index.average_lengths = (0..widest)
            .map(|n| {
                let lens: Vec<f64> = index
                    .fields
                    .iter()
                    .filter_map(|f| f.get(n))
                    .map(|&(_, l)| l)
                    .filter(|&l| l > 0.0)
                    .collect();
                if lens.is_empty() {
                    1.0
                } else {
                    lens.iter().sum::<f64>() / lens.len() as f64
                }
            })
            .collect();
        index
    }

    /// How many documents are indexed.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The documents matching `query`, best first, at most `limit`.
    pub fn search(&self, query: &str, limit: usize) -> SearchResult {
        let stemmer = Stemmer::embedded();
        let mut scores: HashMap<u32, (f64, Vec<WordMatch>)> = HashMap::new();
        let mut meaningful = 0usize;
        let mut coverage: HashMap<u32, usize> = HashMap::new();
        let query_words = tokens(query);
        for word in &query_words {
            let alternatives = words::alternatives(word);
            let asks = words::is_question_word(word)
                || alternatives.iter().all(|a| words::is_question_word(a));
            let weight = if asks {
                words::QUESTION_WORD_WEIGHT
            } else {
                1.0
            };
            if !asks {
                meaningful += 1;
            }
            // Per document, the best way this word matched it.
            let mut best: HashMap<u32, (f64, WordMatch)> = HashMap::new();
            for (alt, kind) in self.candidates(word, &alternatives, &stemmer) {
                let factor = match kind {
                    (MatchKind::Stem, _) => 1.0,
                    (MatchKind::Everyday, _) => EVERYDAY_FACTOR,
                    (MatchKind::Typo, d) => TYPO_FACTOR[d.min(2)],
                };
                let Some(list) = self.postings.get(&alt.1) else {
                    continue;
                };
                let idf = self.idf(distinct_documents(list));
                let mut per_doc: HashMap<u32, f64> = HashMap::new();
                for &(doc, field, tf) in list {
                    let (field_weight, length) = self.fields[doc as usize][field as usize];
                    let norm = 1.0 - B + B * length / self.average_lengths[field as usize].max(1.0);
                    *per_doc.entry(doc).or_insert(0.0) +=
                        field_weight * tf * (K1 + 1.0) / (tf + K1 * norm);
                }
                for (doc, field_score) in per_doc {
                    let s = weight * factor * idf * field_score;
                    let entry = best.entry(doc).or_insert((
                        0.0,
                        WordMatch {
                            query_word: word.clone(),
                            matched: alt.0.clone(),
                            kind: kind.0,
                        },
                    ));
                    if s > entry.0 {
                        *entry = (
                            s,
                            WordMatch {
                                query_word: word.clone(),
                                matched: alt.0.clone(),
                                kind: kind.0,
                            },
                        );
                    }
                }
            }
            for (doc, (s, m)) in best {
                let e = scores.entry(doc).or_insert((0.0, Vec::new()));
                e.0 += s;
                e.1.push(m);
                if !asks {
                    *coverage.entry(doc).or_insert(0) += 1;
                }
            }
        }
        let mut hits: Vec<Hit> = scores
            .into_iter()
            .filter(|(doc, _)| meaningful == 0 || coverage.get(doc).copied().unwrap_or(0) > 0)
            .map(|(doc, (score, matches))| {
                let covered = coverage.get(&doc).copied().unwrap_or(0) as f64;
                let share = if meaningful == 0 {
                    1.0
                } else {
                    covered / meaningful as f64
                };
                Hit {
                    id: self.ids[doc as usize].clone(),
                    score: score * (0.25 + 0.75 * share * share),
                    matches,
                }
            })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        hits.truncate(limit);
        let did_you_mean = if hits.is_empty() {
            self.did_you_mean(&query_words)
        } else {
            None
        };
        SearchResult { hits, did_you_mean }
    }

    /// The index words a query word may match: (surface, stem) with how and at what
    /// typo distance.
    fn candidates(
        &self,
        word: &str,
        alternatives: &[String],
        stemmer: &Stemmer<'_>,
    ) -> Vec<((String, String), (MatchKind, usize))> {
        let mut out = Vec::new();
        let mut found = false;
        for alt in std::iter::once(word.to_owned()).chain(alternatives.iter().cloned()) {
            let stem = stemmer.stem_word(&alt);
            if self.postings.contains_key(&stem) {
                let kind = if alt == word {
                    MatchKind::Stem
                } else {
                    MatchKind::Everyday
                };
                out.push(((alt, stem), (kind, 0)));
                found = true;
            }
        }
        if !found {
            let max = typo::allowed_edits(word.chars().count());
            if max > 0 {
                for (surface, stem) in self.nearest(word, max) {
                    out.push(((surface, stem), (MatchKind::Typo, 1)));
                }
            }
        }
        out
    }

    /// Index words within `max` edits of `word`, closest first (ties: all of them).
    fn nearest(&self, word: &str, max: usize) -> Vec<(String, String)> {
        let len = word.chars().count();
        let mut best = max + 1;
        let mut out = Vec::new();
        for (surface, stem) in &self.surfaces {
            if surface.chars().count().abs_diff(len) > max {
                continue;
            }
            if let Some(d) = typo::distance(word, surface, best.min(max)) {
                if d < best {
                    best = d;
                    out.clear();
                }
                if d == best {
                    out.push((surface.clone(), stem.clone()));
                }
            }
        }
        out.sort();
        out
    }

    fn did_you_mean(&self, query_words: &[String]) -> Option<String> {
        let mut changed = false;
        let words: Vec<String> = query_words
            .iter()
            .map(|w| {
                if words::is_question_word(w)
                    || self.surfaces.contains_key(w)
                    || w.chars().count() < 3
                {
                    return w.clone();
                }
                match self.nearest(w, 2).into_iter().next() {
                    Some((surface, _)) => {
                        changed = true;
                        surface
                    }
                    None => w.clone(),
                }
            })
            .collect();
        changed.then(|| words.join(" "))
    }

    fn idf(&self, postings: usize) -> f64 {
        let n = self.ids.len() as f64;
        let df = postings as f64;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }
}

/// How many documents a posting list names (it holds one entry per field).
fn distinct_documents(list: &[(u32, u16, f64)]) -> usize {
    let mut n = 0;
    let mut last = None;
    for &(doc, _, _) in list {
        if last != Some(doc) {
            n += 1;
            last = Some(doc);
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, title: &str, keywords: &str) -> Document {
        Document {
            id: id.into(),
            fields: vec![(title.into(), 5.0), (keywords.into(), 4.0)],
        }
    }

    fn catalog() -> Index {
        Index::build(&[
            doc(
                "akta-kelahiran",
                "Pembuatan Akta Kelahiran",
                "akte lahir anak bayi birth certificate",
            ),
            doc(
                "paspor-baru",
                "Pembuatan Paspor Baru",
                "paspor passport luar negeri",
            ),
            doc(
                "ktp-el-hilang",
                "Penggantian KTP-el karena Hilang",
                "ktp hilang lost id card",
            ),
            doc(
                "akta-kematian",
                "Pembuatan Akta Kematian",
                "meninggal wafat death certificate",
            ),
        ])
    }

    fn top(index: &Index, q: &str) -> Option<String> {
        index.search(q, 3).hits.first().map(|h| h.id.clone())
    }

    #[test]
    fn slang_affixes_typos_and_english_find_the_service() {
        let index = catalog();
        assert_eq!(
            top(&index, "bikin akte anak").as_deref(),
            Some("akta-kelahiran")
        );
        assert_eq!(top(&index, "kelahiran").as_deref(), Some("akta-kelahiran"));
        assert_eq!(top(&index, "pasport").as_deref(), Some("paspor-baru"));
        assert_eq!(top(&index, "papsor").as_deref(), Some("paspor-baru"));
        assert_eq!(
            top(&index, "lost id card").as_deref(),
            Some("ktp-el-hilang")
        );
        assert_eq!(top(&index, "ktp ilang").as_deref(), Some("ktp-el-hilang"));
        assert_eq!(
            top(&index, "akta kematian").as_deref(),
            Some("akta-kematian")
        );
    }

    #[test]
    fn a_hit_says_how_each_word_matched() {
        let hit = catalog().search("bikin akte", 1).hits.remove(0);
        assert!(hit
            .matches
            .iter()
            .any(|m| m.query_word == "akte" && m.kind == MatchKind::Stem));
        let hit = catalog().search("papsor", 1).hits.remove(0);
        assert_eq!(hit.matches[0].kind, MatchKind::Typo);
        assert_eq!(hit.matches[0].matched, "paspor");
    }

    #[test]
    fn nothing_matches_then_did_you_mean() {
        let index = catalog();
        let result = index.search("zzzz qqqq", 3);
        assert!(result.hits.is_empty());
        assert_eq!(result.did_you_mean, None);
        let result = index.search("kelahiraaan", 3);
        // Two edits from a 11-letter word are allowed: found, no suggestion needed.
        assert_eq!(
            result.hits.first().map(|h| h.id.as_str()),
            Some("akta-kelahiran")
        );
        let result = index.search("apa psp", 3);
        assert!(result.hits.is_empty());
        assert_eq!(index.search("", 3), SearchResult::default());
    }
}
