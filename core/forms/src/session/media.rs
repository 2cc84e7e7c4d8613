//! Form media in labels: the image, audio and video forms of itext translations
//! (`<value form="image">jr://images/logo.png</value>`, and `big-image`), passed to the
//! shells as references they resolve against the form's attachments in the forms cache.

use super::FormSession;
use crate::instance::NodeRef;
use crate::xform::text::Text;

/// The itext forms that name media files.
pub const MEDIA_FORMS: [&str; 4] = ["image", "big-image", "audio", "video"];

/// One media file a label shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaRef {
    /// `image`, `big-image`, `audio` or `video`.
    pub kind: String,
    /// The URI as the form writes it (`jr://images/logo.png`).
    pub uri: String,
    /// The attachment's file name (`logo.png`), what the forms cache stores it under.
    pub file: String,
}

/// The file name a `jr://images/...`, `jr://audio/...`, `jr://video/...` or
/// `jr://file/...` URI points at.
pub fn media_file(uri: &str) -> String {
    let u = uri.trim();
    let rest = u
        .strip_prefix("jr://")
        .map_or(u, |r| r.split_once('/').map_or(r, |(_, f)| f));
    rest.to_string()
}

impl FormSession {
    /// The media of a text in the current language (empty for plain text).
    pub(crate) fn media_of(&self, text: &Text, ctx: NodeRef) -> Vec<MediaRef> {
        if matches!(text, Text::Plain(_)) {
            return Vec::new();
        }
        MEDIA_FORMS
            .iter()
            .filter_map(|kind| {
                let uri = self.render_form(text, ctx, kind)?;
                let uri = uri.trim().to_string();
                (!uri.is_empty()).then(|| MediaRef {
                    kind: (*kind).to_string(),
                    file: media_file(&uri),
                    uri,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::media_file;

    #[test]
    fn file_names_of_media_uris() {
        assert_eq!(media_file("jr://images/logo.png"), "logo.png");
        assert_eq!(media_file("jr://audio/a b.mp3"), "a b.mp3");
        assert_eq!(media_file("jr://file/peta.geojson"), "peta.geojson");
        assert_eq!(media_file("plain.png"), "plain.png");
    }
}
