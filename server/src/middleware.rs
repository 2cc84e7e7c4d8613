//! Cross-cutting request handling: structured errors for every refusal (including
//! axum's own rejections), body limits with a 413 that states the limit, rate limits
//! with Retry-After, and the OpenRosa version header.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use layanan_protocol::{openrosa, ErrorBody, ErrorCode};

use crate::error::{ApiError, PendingError};
use crate::state::AppState;

/// Header carrying the request id (set by tower-http, echoed to the client).
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Outermost: renders every error as [`ErrorBody`] JSON carrying the request id, and
/// turns plain-text refusals from extractors and the router into the same shape.
pub async fn render_errors(req: Request, next: Next) -> Response {
    let request_id = req
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let response = next.run(req).await;
    let status = response.status();
    if !status.is_client_error() && !status.is_server_error() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let mut error = match parts.extensions.remove::<PendingError>() {
        Some(PendingError(body)) => body,
        None => generic_error(status),
    };
    error.request_id = request_id;
    let json = serde_json::to_vec(&error).unwrap_or_default();
    drop(body);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(json))
}

/// The body for a refusal that did not come from an [`ApiError`].
fn generic_error(status: StatusCode) -> ErrorBody {
    let (code, id, en) = match status {
        StatusCode::NOT_FOUND => (ErrorCode::NotFound, "Alamat tidak ditemukan.", "Not found."),
        StatusCode::METHOD_NOT_ALLOWED => (
            ErrorCode::MethodNotAllowed,
            "Metode tidak diizinkan untuk alamat ini.",
            "Method not allowed for this path.",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            ErrorCode::UnsupportedMediaType,
            "Jenis isi atau kompresi tidak didukung (gunakan JSON, gzip atau zstd).",
            "Unsupported content type or encoding (use JSON, gzip or zstd).",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            ErrorCode::PayloadTooLarge,
            "Data terlalu besar.",
            "Request body too large.",
        ),
        StatusCode::UNAUTHORIZED => (
            ErrorCode::Unauthorized,
            "Silakan masuk terlebih dahulu.",
            "Please sign in first.",
        ),
        s if s.is_client_error() => (
            ErrorCode::BadRequest,
            "Permintaan tidak valid.",
            "Invalid request.",
        ),
        _ => (
            ErrorCode::Internal,
            "Terjadi kesalahan pada server. Coba lagi nanti.",
            "Server error. Try again later.",
        ),
    };
    ErrorBody::new(code, id, en)
}

/// Most bytes read and thrown away to deliver a 413, as a multiple of the limit.
const DRAIN_FACTOR: u64 = 4;
/// Most bytes read and thrown away to deliver a 413, in any case.
const DRAIN_CAP: u64 = 64 * 1024 * 1024;

/// Per route: a body over `limit` gets a 413 that states the limit.
///
/// The body is read here, before any handler: if the server answered while the client
/// was still sending, the kernel would reset the connection (a socket closed with
/// unread data) and the phone would see a dropped link instead of the reason, and
/// retry for ever. So an oversized body is read to its end and discarded, up to
/// `DRAIN_FACTOR` times the limit; beyond that the connection is simply closed.
/// Handlers buffer their bodies anyway, so reading here costs no extra memory. A 413
/// raised later (a compressed body that inflates past the limit) is rewritten to state
/// the limit too.
pub async fn body_limit(State(limit): State<u64>, req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let drain_cap = limit
        .saturating_mul(DRAIN_FACTOR)
        .clamp(limit, DRAIN_CAP.max(limit));
    let (parts, mut body) = req.into_parts();
    if let Some(len) = declared.filter(|len| *len > limit) {
        if len <= drain_cap {
            drain(&mut body, len).await;
        }
        return ApiError::PayloadTooLarge { limit }.into_response();
    }
    let mut buffer = Vec::with_capacity(usize::try_from(declared.unwrap_or(0)).unwrap_or(0));
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            // The link dropped mid-body; nobody is left to read an answer.
            return ApiError::BadRequest("request body interrupted").into_response();
        };
        if let Ok(data) = frame.into_data() {
            if (buffer.len() + data.len()) as u64 > limit {
                drain(&mut body, drain_cap).await;
                return ApiError::PayloadTooLarge { limit }.into_response();
            }
            buffer.extend_from_slice(&data);
        }
    }
    let response = next
        .run(Request::from_parts(parts, Body::from(buffer)))
        .await;
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE
        && response.extensions().get::<PendingError>().is_none()
    {
        return ApiError::PayloadTooLarge { limit }.into_response();
    }
    response
}

/// Reads and discards up to `cap` more bytes of a body.
async fn drain(body: &mut Body, cap: u64) {
    let mut seen = 0u64;
    while seen <= cap {
        match body.frame().await {
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    seen += data.len() as u64;
                }
            }
            _ => break,
        }
    }
}

/// Per client address: 429 with Retry-After past the configured rate. Rate-limit keys
/// are addresses, never tokens or phone numbers, and are not logged.
pub async fn rate_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let forwarded = state
        .config
        .trust_forwarded_for
        .then(|| req.headers().get("x-forwarded-for"))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .map(|ip| ip.trim().to_owned())
        .filter(|ip| !ip.is_empty());
    let key = forwarded.unwrap_or_else(|| {
        req.extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ci| ci.0.ip().to_string())
            .unwrap_or_else(|| "unknown".to_owned())
    });
    match state.client_limiter.check(&key) {
        Ok(()) => next.run(req).await,
        Err(retry_after_secs) => ApiError::RateLimited { retry_after_secs }.into_response(),
    }
}

/// Every OpenRosa response says which protocol version it speaks.
pub async fn openrosa_version(mut response: Response) -> Response {
    response.headers_mut().insert(
        openrosa::VERSION_HEADER,
        HeaderValue::from_static(openrosa::VERSION),
    );
    response
}
