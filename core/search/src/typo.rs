//! Typo tolerance: how far a query word may be from a word of the index. One edit for
//! words of 4 to 7 letters, two from 8; a swap of neighbours counts as one
//! ("pasprot"). Shorter words must match exactly: "kk" is one edit from "ktp"'s
//! neighbours and would match everything.

/// The edits allowed for a query word of `len` characters.
pub fn allowed_edits(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// The optimal-string-alignment distance between `a` and `b`, or `None` if it is
/// more than `max` (computed only as far as needed).
pub fn distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let width = b.len() + 1;
    // Three rows: two back (for transpositions), previous, current.
    let mut two_back = vec![0usize; width];
    let mut prev: Vec<usize> = (0..width).collect();
    let mut cur = vec![0usize; width];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..width {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(two_back[j - 2] + 1);
            }
            cur[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut two_back, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_swaps_and_the_bound() {
        assert_eq!(distance("paspor", "paspor", 1), Some(0));
        assert_eq!(distance("pasprot", "paspor", 2), Some(2));
        assert_eq!(distance("papsor", "paspor", 1), Some(1));
        assert_eq!(distance("kelahran", "kelahiran", 2), Some(1));
        assert_eq!(distance("kelahiran", "kematian", 1), None);
        assert_eq!(distance("", "abc", 3), Some(3));
        assert_eq!(
            (allowed_edits(3), allowed_edits(6), allowed_edits(9)),
            (0, 1, 2)
        );
    }
}
