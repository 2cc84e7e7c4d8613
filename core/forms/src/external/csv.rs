//! CSV form attachments (`jr://file-csv/NAME.csv`, `select_one_from_file`, `pulldata()`)
//! as secondary instances, the way JavaRosa reads them: the header row names the
//! columns, each later row becomes `/root/item` with one child per column.
//!
//! The delimiter is `,` or `;` (whichever the header uses more, as JavaRosa detects it),
//! fields may be quoted with `"` (doubled inside), a UTF-8 byte-order mark is dropped,
//! and short rows read as blank for their missing columns. Never panics on any input.

use crate::instance::Document;

/// Why a CSV attachment could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    /// The file is not UTF-8 text.
    #[error("line {line}: not UTF-8 text")]
    Encoding {
        /// 1-based line of the first bad byte.
        line: usize,
    },
    /// A quoted field is never closed.
    #[error("line {line}: a quoted field is not closed")]
    UnclosedQuote {
        /// 1-based line where the field starts.
        line: usize,
    },
    /// There is no header row.
    #[error("the file has no header row")]
    NoHeader,
}

/// Split CSV text into rows of fields.
pub fn parse_rows(text: &str) -> Result<Vec<Vec<String>>, CsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delim = detect_delimiter(text);
    let mut rows = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut line = 1usize;
    let mut in_quotes = false;
    let mut quote_line = 0usize;
    let mut at_field_start = true;
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if at_field_start => {
                in_quotes = true;
                quote_line = line;
                at_field_start = false;
            }
            c if c == delim => {
                row.push(std::mem::take(&mut field));
                at_field_start = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                line += 1;
                row.push(std::mem::take(&mut field));
                push_row(&mut rows, std::mem::take(&mut row));
                at_field_start = true;
            }
            _ => {
                field.push(c);
                at_field_start = false;
            }
        }
    }
    if in_quotes {
        return Err(CsvError::UnclosedQuote { line: quote_line });
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        push_row(&mut rows, row);
    }
    Ok(rows)
}

/// Blank lines are skipped, as JavaRosa's reader does.
fn push_row(rows: &mut Vec<Vec<String>>, row: Vec<String>) {
    if !(row.len() == 1 && row[0].is_empty()) {
        rows.push(row);
    }
}

fn detect_delimiter(text: &str) -> char {
    let header = text.lines().next().unwrap_or("");
    let (mut commas, mut semis, mut quoted) = (0, 0, false);
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semis += 1,
            _ => {}
        }
    }
    if semis > commas {
        ';'
    } else {
        ','
    }
}

/// A CSV file as a secondary instance document: `/root/item/<column>`.
pub fn to_document(bytes: &[u8]) -> Result<Document, CsvError> {
    let text = std::str::from_utf8(bytes).map_err(|e| CsvError::Encoding {
        line: 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count(),
    })?;
    let mut rows = parse_rows(text)?.into_iter();
    let header: Vec<String> = rows
        .next()
        .ok_or(CsvError::NoHeader)?
        .into_iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut doc = Document::new();
    let root = doc.add_element(doc.root(), "root");
    for row in rows {
        let item = doc.add_element(root, "item");
        for (i, name) in header.iter().enumerate() {
            if name.is_empty() {
                continue;
            }
            let el = doc.add_element(item, name);
            if let Some(v) = row.get(i) {
                doc.set_value(el, v);
            }
        }
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_semicolons_and_bom() {
        let rows = parse_rows("\u{feff}a;b\r\n\"x;1\";\"say \"\"hi\"\"\"\n\n2;\n").unwrap();
        assert_eq!(
            rows,
            vec![
                vec!["a".to_string(), "b".to_string()],
                vec!["x;1".to_string(), "say \"hi\"".to_string()],
                vec!["2".to_string(), String::new()],
            ]
        );
    }

    #[test]
    fn document_has_one_item_per_row() {
        let doc = to_document(b"name,label\nbdg,Bandung\nsby,Surabaya").unwrap();
        let root = doc.root_element().unwrap();
        let items = doc.children_named(root, "item");
        assert_eq!(items.len(), 2);
        let label = doc.child(items[1], "label").unwrap();
        assert_eq!(doc.value(label), "Surabaya");
    }

    #[test]
    fn header_only_gives_no_items_and_errors_are_typed() {
        let doc = to_document(b"name,label\n").unwrap();
        let root = doc.root_element().unwrap();
        assert!(doc.children(root).is_empty());
        assert_eq!(to_document(b"").err(), Some(CsvError::NoHeader));
        assert_eq!(
            to_document(b"a\n\"open").err(),
            Some(CsvError::UnclosedQuote { line: 2 })
        );
        assert_eq!(
            to_document(b"a\n\xff").err(),
            Some(CsvError::Encoding { line: 2 })
        );
    }
}
