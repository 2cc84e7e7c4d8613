//! OpenRosa 1.0 names both ends must spell the same way.
//!
//! Only 201 and 202 mean a submission was accepted: a captive portal on a village
//! Wi-Fi answers 200 with a login page, so a client must never treat 200 as success.

/// Header every OpenRosa request and response carries.
pub const VERSION_HEADER: &str = "X-OpenRosa-Version";
/// The only protocol version spoken.
pub const VERSION: &str = "1.0";
/// Header in which the server announces the largest submission POST it accepts.
pub const ACCEPT_CONTENT_LENGTH_HEADER: &str = "X-OpenRosa-Accept-Content-Length";
/// Multipart field name of the submission XML.
pub const XML_SUBMISSION_FILE: &str = "xml_submission_file";
/// Multipart field whose presence says more attachments follow in a later POST.
pub const IS_INCOMPLETE: &str = "*isIncomplete*";
/// Path of the form list.
pub const FORM_LIST_PATH: &str = "/formList";
/// Path of submission HEAD and POST.
pub const SUBMISSION_PATH: &str = "/submission";
/// Namespace of the form list document.
pub const XFORMS_LIST_NS: &str = "http://openrosa.org/xforms/xformsList";
/// Namespace of the manifest document.
pub const MANIFEST_NS: &str = "http://openrosa.org/xforms/xformsManifest";
/// Namespace of the submission response document.
pub const RESPONSE_NS: &str = "http://openrosa.org/http/response";
/// Response header carrying the signed receipt (hex of its JSON) on a submission
/// answer, so that a plain OpenRosa XML response still delivers the receipt.
pub const RECEIPT_HEADER: &str = "Layanan-Receipt";

/// True when an HTTP status means the server holds the submission.
pub fn is_accepted_status(status: u16) -> bool {
    status == 201 || status == 202
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_201_and_202_mean_accepted() {
        assert!(is_accepted_status(201));
        assert!(is_accepted_status(202));
        assert!(!is_accepted_status(200));
        assert!(!is_accepted_status(204));
    }
}
