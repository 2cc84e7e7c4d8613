//! How one attempt at one outbox item ended, decided only from the protocol's
//! contract: [`ClientAction::for_answer`] on the server's typed error code (or its
//! HTTP status when there is no readable body), never by comparing code strings.

use std::time::Duration;

use layanan_protocol::{ClientAction, ErrorBody, ErrorCode};

use super::client::{ClientError, NetworkFailure};
use crate::error::StoreError;
use crate::model::{OutboxError, OutboxErrorCode};

/// What the engine does next with an item.
pub(crate) enum Failure {
    /// Send the same request again later (with backoff, after Retry-After).
    Retry {
        error: OutboxError,
        retry_after: Option<Duration>,
        /// The connection dropped mid-exchange (not "could not connect"): worth a
        /// quick retry within the run.
        dropped: bool,
    },
    /// Ask the server where an upload stands and continue from its offset.
    Resume(OutboxError),
    /// The access token is refused: refresh it and try once more.
    Refresh,
    /// Only the citizen can resolve it: wedge the item.
    Wedge(OutboxError),
    /// The session is gone: the citizen must sign in again.
    SignIn,
    /// The local store failed: the run stops and reports it.
    Store(StoreError),
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::Store(e)
    }
}

pub(crate) fn outbox_error(code: OutboxErrorCode, message: &str, message_en: &str) -> OutboxError {
    OutboxError {
        code,
        message: message.into(),
        message_en: message_en.into(),
        file_name: None,
        question: None,
    }
}

/// Classifies a failed request.
pub(crate) fn classify(e: ClientError) -> Failure {
    match e {
        ClientError::Network { kind } => Failure::Retry {
            error: outbox_error(
                OutboxErrorCode::Network,
                "Sinyal terputus. Akan dikirim ulang otomatis.",
                "The connection dropped. It will be resent automatically.",
            ),
            retry_after: None,
            dropped: kind != NetworkFailure::Connect,
        },
        ClientError::NotOpenRosa { .. } => Failure::Retry {
            error: captive_portal(),
            retry_after: None,
            dropped: false,
        },
        ClientError::Decode | ClientError::Setup => Failure::Retry {
            error: outbox_error(
                OutboxErrorCode::BadAnswer,
                "Jawaban server tidak terbaca. Akan dicoba lagi.",
                "The server's answer could not be read. Will try again.",
            ),
            retry_after: None,
            dropped: false,
        },
        ClientError::Http {
            status,
            body,
            retry_after,
        } => {
            let code = body.as_ref().map(|b| b.code);
            let error = answer_error(status, body.as_deref());
            match ClientAction::for_answer(status, code) {
                ClientAction::Retry => Failure::Retry {
                    error,
                    retry_after,
                    dropped: false,
                },
                ClientAction::Resume => Failure::Resume(error),
                ClientAction::Refresh => Failure::Refresh,
                ClientAction::SignIn => Failure::SignIn,
                ClientAction::NeedsCitizen => Failure::Wedge(error),
            }
        }
    }
}

/// The citizen-facing error for an HTTP error answer.
fn answer_error(status: u16, body: Option<&ErrorBody>) -> OutboxError {
    let known = body.filter(|b| b.code != ErrorCode::Unknown);
    let code = match known {
        Some(b) => OutboxErrorCode::Server(b.code),
        None if status == 200 => OutboxErrorCode::CaptivePortal,
        None => OutboxErrorCode::Http(status),
    };
    if status == 413 || code == OutboxErrorCode::Server(ErrorCode::PayloadTooLarge) {
        return too_large(code, body.and_then(|b| b.limit_bytes));
    }
    match (code, body) {
        (OutboxErrorCode::CaptivePortal, _) => captive_portal(),
        (_, Some(b)) => OutboxError {
            code,
            message: b.message.clone(),
            message_en: b.message_en.clone(),
            file_name: None,
            question: None,
        },
        (_, None) => outbox_error(
            code,
            "Server menolak kiriman.",
            "The server refused the submission.",
        ),
    }
}

/// Something other than the server answered: a captive portal, most often.
pub(crate) fn captive_portal() -> OutboxError {
    outbox_error(
        OutboxErrorCode::CaptivePortal,
        "Jaringan meminta login (mis. Wi-Fi umum). Akan dicoba lagi.",
        "The network wants a login page (e.g. public Wi-Fi). Will try again.",
    )
}

fn too_large(code: OutboxErrorCode, limit: Option<u64>) -> OutboxError {
    match limit {
        Some(l) => OutboxError {
            code,
            message: format!("Berkas terlalu besar: batas server {} KB.", l / 1024),
            message_en: format!("Too large: the server accepts at most {} KB.", l / 1024),
            file_name: None,
            question: None,
        },
        None => outbox_error(
            code,
            "Berkas terlalu besar untuk server.",
            "Too large for the server.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http(status: u16, code: Option<ErrorCode>) -> ClientError {
        ClientError::Http {
            status,
            body: code.map(|c| Box::new(ErrorBody::new(c, "pesan", "message"))),
            retry_after: None,
        }
    }

    #[test]
    fn the_protocol_contract_decides() {
        assert!(matches!(
            classify(http(400, Some(ErrorCode::InvalidSubmission))),
            Failure::Wedge(OutboxError {
                code: OutboxErrorCode::Server(ErrorCode::InvalidSubmission),
                ..
            })
        ));
        assert!(matches!(
            classify(http(503, Some(ErrorCode::ServiceUnavailable))),
            Failure::Retry { .. }
        ));
        assert!(matches!(
            classify(http(409, Some(ErrorCode::UploadOffsetMismatch))),
            Failure::Resume(_)
        ));
        assert!(matches!(classify(http(401, None)), Failure::Refresh));
        assert!(matches!(
            classify(http(401, Some(ErrorCode::RefreshTokenReused))),
            Failure::SignIn
        ));
        // A proxy's 502 without a body, a newer server's unknown code on a 503.
        assert!(matches!(classify(http(502, None)), Failure::Retry { .. }));
        assert!(matches!(
            classify(http(503, Some(ErrorCode::Unknown))),
            Failure::Retry { .. }
        ));
        // A captive portal's 200 login page.
        assert!(matches!(
            classify(http(200, None)),
            Failure::Retry {
                error: OutboxError {
                    code: OutboxErrorCode::CaptivePortal,
                    ..
                },
                ..
            }
        ));
        assert!(matches!(
            classify(http(413, None)),
            Failure::Wedge(OutboxError {
                code: OutboxErrorCode::Http(413),
                ..
            })
        ));
    }
}
