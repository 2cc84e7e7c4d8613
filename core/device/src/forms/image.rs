//! Is a photo a photo? Checked when a file is attached, before anything is sealed, so
//! that random bytes named `.jpg` (a failed camera write, a wrong file picked) are
//! refused while the citizen can still take the photo again, not weeks later by an
//! officer.
//!
//! Only the header is read (the `imagesize` crate: magic numbers and the dimensions
//! block of JPEG, PNG, HEIC/HEIF and WebP; no pixel decoder, nothing allocated per
//! pixel). The header must name a supported format and give non-zero dimensions.
//! A file whose pixels are damaged past a good header is not detected here: that
//! needs a full decoder, which a 2G phone's battery should not pay on every attach.

use std::io::{Cursor, Read};

use imagesize::ImageType;

use crate::error::{io, StoreError};

/// How much of the file is read to find the header. A JPEG's dimensions follow its
/// APP segments (EXIF and its thumbnail are at most 64 KiB each); a HEIC's `meta` box
/// comes first in the files phones write.
const HEADER_WINDOW: usize = 128 * 1024;

/// Why a file declared as an image was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImageProblem {
    /// No JPEG, PNG, HEIC or WebP header: not an image, or a format the agency
    /// cannot read.
    #[error("the file is not a JPEG, PNG, HEIC or WebP image")]
    NotAnImage,
    /// The header is there but cannot be read to the image's dimensions (a
    /// truncated or damaged file).
    #[error("the image's header is damaged")]
    Damaged,
}

/// True for the media types this check applies to (`image/jpeg`, `image/heic`...).
pub(crate) fn is_image_type(media_type: &str) -> bool {
    media_type
        .trim()
        .split_once('/')
        .is_some_and(|(major, _)| major.eq_ignore_ascii_case("image"))
}

/// Checks the first bytes of a file declared as an image.
pub(crate) fn check_header(header: &[u8]) -> Result<(), ImageProblem> {
    let supported = matches!(
        imagesize::image_type(header),
        Ok(ImageType::Jpeg | ImageType::Png | ImageType::Heif(_) | ImageType::Webp)
    );
    if !supported {
        return Err(ImageProblem::NotAnImage);
    }
    match imagesize::blob_size(header) {
        Ok(size) if size.width > 0 && size.height > 0 => Ok(()),
        _ => Err(ImageProblem::Damaged),
    }
}

/// Reads the header window of `source`, checks it when `media_type` is an image type,
/// and gives back a reader of the whole file (the window, then the rest).
pub(crate) fn checked<R: Read>(
    media_type: &str,
    mut source: R,
) -> Result<Result<impl Read, ImageProblem>, StoreError> {
    let mut window = Vec::with_capacity(HEADER_WINDOW);
    (&mut source)
        .take(HEADER_WINDOW as u64)
        .read_to_end(&mut window)
        .map_err(io("read the file to attach"))?;
    if is_image_type(media_type) {
        if let Err(problem) = check_header(&window) {
            return Ok(Err(problem));
        }
    }
    Ok(Ok(Cursor::new(window).chain(source)))
}

/// The smallest well-formed JPEG header for `width` x `height` (SOI, JFIF APP0, a
/// baseline SOF0 with one component), for tests that need a photo stand-in that
/// passes [`check_header`] (tests, the demo). Whatever follows it is the "scan".
pub fn jpeg_header(width: u16, height: u16) -> Vec<u8> {
    let mut h = vec![0xFF, 0xD8]; // SOI
    h.extend_from_slice(&[
        0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00,
        0x01, 0x00, 0x00,
    ]);
    h.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x0B, 0x08]);
    h.extend_from_slice(&height.to_be_bytes());
    h.extend_from_slice(&width.to_be_bytes());
    h.extend_from_slice(&[0x01, 0x01, 0x11, 0x00]);
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jpeg_header_passes_and_random_bytes_do_not() {
        let mut jpeg = jpeg_header(640, 480);
        jpeg.extend_from_slice(&[0x5A; 1000]);
        assert_eq!(check_header(&jpeg), Ok(()));
        let png = [
            0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R', 0,
            0, 1, 0, 0, 0, 0, 200, 8, 2, 0, 0, 0,
        ];
        assert_eq!(check_header(&png), Ok(()));
        let random: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert_eq!(check_header(&random), Err(ImageProblem::NotAnImage));
        // A JPEG cut before its dimensions.
        assert_eq!(check_header(&jpeg[..24]), Err(ImageProblem::Damaged));
        // Zero width.
        assert_eq!(
            check_header(&jpeg_header(0, 480)),
            Err(ImageProblem::Damaged)
        );
    }

    #[test]
    fn only_image_types_are_checked_and_the_whole_file_comes_back() {
        assert!(is_image_type("image/jpeg"));
        assert!(is_image_type("Image/HEIC"));
        assert!(!is_image_type("application/pdf"));
        let pdf = vec![b'%'; 200_000];
        let mut back = Vec::new();
        checked("application/pdf", &pdf[..])
            .unwrap()
            .unwrap()
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, pdf);
        assert!(matches!(
            checked("image/jpeg", &pdf[..]).unwrap(),
            Err(ImageProblem::NotAnImage)
        ));
    }
}
