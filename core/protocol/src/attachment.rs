//! The rule for the file name of a submission attachment, decided once: the phone
//! applies it when a citizen attaches a file (so an item never finalizes and then
//! wedges on the server), and the server applies it to uploads and multipart parts.

/// Longest file name, in bytes (the limit of common file systems).
pub const MAX_FILE_NAME_BYTES: usize = 255;

/// Why a file name cannot name an attachment. Never carries the name itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FileNameError {
    #[error("the file name is empty")]
    Empty,
    #[error("the file name is longer than {MAX_FILE_NAME_BYTES} bytes")]
    TooLong,
    /// `/`, `\\`, a NUL or another control character, or `.` / `..`: a name that
    /// could escape the submission's folder or break a multipart header.
    #[error("the file name contains a path separator or a control character")]
    Unsafe,
}

/// Checks an attachment file name (`foto_ktp.jpg`).
pub fn check_file_name(name: &str) -> Result<(), FileNameError> {
    if name.is_empty() {
        return Err(FileNameError::Empty);
    }
    if name.len() > MAX_FILE_NAME_BYTES {
        return Err(FileNameError::TooLong);
    }
    if name == "."
        || name == ".."
        || name
            .chars()
            .any(|c| c == '/' || c == '\\' || c == '"' || c.is_control())
    {
        return Err(FileNameError::Unsafe);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_pass_and_dangerous_ones_do_not() {
        assert_eq!(check_file_name("foto_ktp.jpg"), Ok(()));
        assert_eq!(check_file_name("akta kelahiran (1).pdf"), Ok(()));
        assert_eq!(check_file_name("surat-ø.png"), Ok(()));
        assert_eq!(check_file_name(""), Err(FileNameError::Empty));
        assert_eq!(check_file_name(".."), Err(FileNameError::Unsafe));
        assert_eq!(check_file_name("a/b.jpg"), Err(FileNameError::Unsafe));
        assert_eq!(check_file_name("a\\b.jpg"), Err(FileNameError::Unsafe));
        assert_eq!(check_file_name("a\"b.jpg"), Err(FileNameError::Unsafe));
        assert_eq!(check_file_name("a\r\nb.jpg"), Err(FileNameError::Unsafe));
        // The limit is in bytes: 128 two-byte characters are 256 bytes.
        assert_eq!(
            check_file_name(&"é".repeat(128)),
            Err(FileNameError::TooLong)
        );
        assert_eq!(check_file_name(&"a".repeat(255)), Ok(()));
    }
}
