//! Whatever a citizen types, normalizing, stemming and searching return: no panic on
//! arbitrary text (including combining marks, digits, emoji and very long words).

use layanan_search::{normalize::tokens, stem, Document, Index};
use proptest::prelude::*;

fn index() -> Index {
    Index::build(&[
        Document {
            id: "a".into(),
            fields: vec![("Pembuatan Akta Kelahiran".into(), 5.0)],
        },
        Document {
            id: "b".into(),
            fields: vec![("Paspor baru, perpanjangan".into(), 5.0)],
        },
    ])
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,64}", word in "[a-z]{0,30}") {
        let index = index();
        for token in tokens(&text) {
            prop_assert!(!token.is_empty());
            let _ = stem(&token);
        }
        let result = index.search(&text, 5);
        prop_assert!(result.hits.len() <= 5);
        let result = index.search(&word, 5);
        prop_assert!(result.hits.iter().all(|h| h.score.is_finite()));
    }
}
