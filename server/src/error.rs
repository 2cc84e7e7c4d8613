//! The server's error type and its one mapping to HTTP: a status, a stable code, and a
//! message in Bahasa Indonesia and English. Messages name no personal data; internal
//! details go to the log (without personal data) and never to the client.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use layanan_protocol::{ErrorBody, ErrorCode};

use crate::storage::StorageError;

/// Everything a handler can refuse or fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    #[error("missing or invalid access token")]
    Unauthorized,
    #[error("access token expired")]
    TokenExpired,
    #[error("officer token required")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("unknown form")]
    UnknownForm,
    #[error("invalid submission: {}", .0.reason_en)]
    InvalidSubmission(crate::validate::Rejection),
    #[error("instanceID already used for different content or by someone else")]
    InstanceIdConflict,
    #[error("attachment already received with different content")]
    AttachmentConflict,
    #[error("body larger than {limit} bytes")]
    PayloadTooLarge { limit: u64 },
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    #[error("invalid phone number")]
    InvalidPhone,
    #[error("wrong code")]
    InvalidCode,
    #[error("challenge expired or used up")]
    ChallengeExpired,
    #[error("refresh token reused; session revoked")]
    RefreshTokenReused,
    #[error("upload offset mismatch")]
    UploadOffsetMismatch { offset: u64 },
    #[error("checksum mismatch")]
    ChecksumMismatch,
    #[error("upload incomplete")]
    UploadIncomplete,
    #[error("state change not allowed")]
    InvalidTransition,
    #[error("service unavailable: {0}")]
    Unavailable(&'static str),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StorageError> for ApiError {
    fn from(e: StorageError) -> Self {
        ApiError::Internal(format!("storage: {e}"))
    }
}

impl From<std::io::Error> for ApiError {
    fn from(e: std::io::Error) -> Self {
        ApiError::Internal(format!("io: {e}"))
    }
}

impl ApiError {
    /// The status and body the client sees.
    pub fn to_parts(&self) -> (StatusCode, ErrorBody) {
        use ApiError::*;
        let (status, code, id, en): (StatusCode, ErrorCode, String, String) = match self {
            BadRequest(what) => (
                StatusCode::BAD_REQUEST,
                ErrorCode::BadRequest,
                format!("Permintaan tidak valid: {what}."),
                format!("Invalid request: {what}."),
            ),
            Unauthorized => (
                StatusCode::UNAUTHORIZED,
                ErrorCode::Unauthorized,
                "Silakan masuk terlebih dahulu.".into(),
                "Please sign in first.".into(),
            ),
            TokenExpired => (
                StatusCode::UNAUTHORIZED,
                ErrorCode::TokenExpired,
                "Sesi Anda telah berakhir. Perbarui token.".into(),
                "Your session token has expired. Refresh it.".into(),
            ),
            Forbidden => (
                StatusCode::FORBIDDEN,
                ErrorCode::Forbidden,
                "Akses ini hanya untuk petugas.".into(),
                "This access is for officers only.".into(),
            ),
            NotFound => (
                StatusCode::NOT_FOUND,
                ErrorCode::NotFound,
                "Data tidak ditemukan.".into(),
                "Not found.".into(),
            ),
            UnknownForm => (
                StatusCode::NOT_FOUND,
                ErrorCode::UnknownForm,
                "Formulir ini tidak dikenal oleh server.".into(),
                "The server does not know this form.".into(),
            ),
            InvalidSubmission(rejection) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::InvalidSubmission,
                format!("Kiriman ditolak: {}", rejection.reason),
                format!("Submission refused: {}", rejection.reason_en),
            ),
            InstanceIdConflict => (
                StatusCode::CONFLICT,
                ErrorCode::InstanceIdConflict,
                "Kiriman dengan ID yang sama sudah ada dengan isi berbeda.".into(),
                "A submission with the same instanceID already exists with different content."
                    .into(),
            ),
            AttachmentConflict => (
                StatusCode::CONFLICT,
                ErrorCode::AttachmentConflict,
                "Lampiran dengan nama yang sama sudah diterima dengan isi berbeda.".into(),
                "An attachment with the same name was already received with different content."
                    .into(),
            ),
            PayloadTooLarge { limit } => (
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorCode::PayloadTooLarge,
                format!("Data terlalu besar. Batas maksimum {limit} byte."),
                format!("Request body too large. The limit is {limit} bytes."),
            ),
            RateLimited { retry_after_secs } => (
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::RateLimited,
                format!("Terlalu banyak permintaan. Coba lagi dalam {retry_after_secs} detik."),
                format!("Too many requests. Try again in {retry_after_secs} seconds."),
            ),
            InvalidPhone => (
                StatusCode::BAD_REQUEST,
                ErrorCode::InvalidPhone,
                "Nomor HP tidak valid. Gunakan nomor seluler Indonesia.".into(),
                "Invalid phone number. Use an Indonesian mobile number.".into(),
            ),
            InvalidCode => (
                StatusCode::UNAUTHORIZED,
                ErrorCode::InvalidCode,
                "Kode verifikasi salah.".into(),
                "Wrong verification code.".into(),
            ),
            ChallengeExpired => (
                StatusCode::GONE,
                ErrorCode::ChallengeExpired,
                "Kode verifikasi sudah tidak berlaku. Minta kode baru.".into(),
                "The verification code is no longer valid. Request a new one.".into(),
            ),
            RefreshTokenReused => (
                StatusCode::UNAUTHORIZED,
                ErrorCode::RefreshTokenReused,
                "Sesi dicabut demi keamanan. Silakan masuk kembali.".into(),
                "Session revoked for security. Please sign in again.".into(),
            ),
            UploadOffsetMismatch { .. } => (
                StatusCode::CONFLICT,
                ErrorCode::UploadOffsetMismatch,
                "Posisi unggahan tidak cocok. Lanjutkan dari posisi server.".into(),
                "Upload offset mismatch. Resume from the server's offset.".into(),
            ),
            ChecksumMismatch => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::ChecksumMismatch,
                "Data rusak saat dikirim (checksum tidak cocok).".into(),
                "Data was corrupted in transit (checksum mismatch).".into(),
            ),
            UploadIncomplete => (
                StatusCode::CONFLICT,
                ErrorCode::UploadIncomplete,
                "Unggahan belum lengkap.".into(),
                "The upload is not complete yet.".into(),
            ),
            InvalidTransition => (
                StatusCode::CONFLICT,
                ErrorCode::InvalidTransition,
                "Perubahan status ini tidak diizinkan.".into(),
                "This status change is not allowed.".into(),
            ),
            Unavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::ServiceUnavailable,
                "Layanan sedang tidak tersedia. Coba lagi nanti.".into(),
                "Service unavailable. Try again later.".into(),
            ),
            Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                ErrorCode::Internal,
                "Terjadi kesalahan pada server. Coba lagi nanti.".into(),
                "Server error. Try again later.".into(),
            ),
        };
        let mut body = ErrorBody::new(code, id, en);
        match self {
            PayloadTooLarge { limit } => body.limit_bytes = Some(*limit),
            RateLimited { retry_after_secs } => body.retry_after_secs = Some(*retry_after_secs),
            Unavailable(_) => body.retry_after_secs = Some(30),
            InvalidSubmission(rejection) => body.fields.clone_from(&rejection.fields),
            _ => {}
        }
        (status, body)
    }
}

/// Marker carried by an error response until [`crate::middleware::render_errors`] renders it
/// with the request id.
#[derive(Clone, Debug)]
pub struct PendingError(pub ErrorBody);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = self.to_parts();
        match &self {
            ApiError::Internal(detail) => tracing::error!(detail = %detail, "internal error"),
            ApiError::Unavailable(detail) => tracing::warn!(detail = %detail, "unavailable"),
            _ => tracing::debug!(code = ?body.code, "request refused"),
        }
        let mut response = (status, axum::Json(&body)).into_response();
        if let Some(secs) = body.retry_after_secs {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if let ApiError::UploadOffsetMismatch { offset } = self {
            response.headers_mut().insert(
                layanan_protocol::upload::OFFSET_HEADER,
                HeaderValue::from(offset),
            );
        }
        response.extensions_mut().insert(PendingError(body));
        response
    }
}

/// Handler result.
pub type ApiResult<T> = Result<T, ApiError>;
