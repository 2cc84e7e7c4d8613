//! Text to tokens, the same way for documents and queries: lowercase, Latin accents
//! folded, everything that is not a letter or digit a separator, reduplication
//! collapsed ("anak-anak" and the shorthand "anak2" are "anak").

/// The tokens of `text`, in order.
///
/// ```
/// use layanan_search::normalize::tokens;
/// assert_eq!(tokens("Syarat2 KTP-el, anak-anak!"), ["syarat", "ktp", "el", "anak"]);
/// ```
pub fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        match fold(c) {
            Some(c) => current.push(c),
            None => push(&mut out, &mut current),
        }
    }
    push(&mut out, &mut current);
    out
}

fn push(out: &mut Vec<String>, current: &mut String) {
    if current.is_empty() {
        return;
    }
    let mut token = std::mem::take(current);
    // "syarat2": the Indonesian shorthand for a reduplicated word.
    if token.len() > 2
        && token.ends_with('2')
        && token[..token.len() - 1]
            .chars()
            .all(|c| c.is_ascii_alphabetic())
    {
        token.pop();
    }
    // "anak-anak": the second half repeats the first.
    if out.last() != Some(&token) {
        out.push(token);
    }
}

/// A letter or digit with its accent removed, or `None` for a separator.
fn fold(c: char) -> Option<char> {
    if c.is_ascii_alphanumeric() {
        return Some(c);
    }
    let folded = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ñ' => 'n',
        'ç' => 'c',
        c if c.is_alphanumeric() => c,
        _ => return None,
    };
    Some(folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_accents_and_reduplication() {
        assert_eq!(
            tokens("Pendaftaran  Café—Usaha"),
            ["pendaftaran", "cafe", "usaha"]
        );
        assert_eq!(tokens("buku-buku, buku2"), ["buku"]);
        assert_eq!(tokens("KK 2024 RT/RW 03"), ["kk", "2024", "rt", "rw", "03"]);
        assert!(tokens(" ,.;!? ").is_empty());
    }
}
