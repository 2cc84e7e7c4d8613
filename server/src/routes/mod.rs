//! The HTTP surface: which path goes to which handler, with which body limit.

use std::convert::Infallible;

use axum::extract::DefaultBodyLimit;
use axum::http::Request;
use axum::middleware::{from_fn, from_fn_with_state, map_response};
use axum::routing::{get, head, patch, post, MethodRouter};
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use crate::middleware::{
    body_limit, openrosa_version, rate_limit, render_errors, REQUEST_ID_HEADER,
};
use crate::state::AppState;

pub mod auth;
pub mod citizen;
pub mod officer;
pub mod openrosa;
pub mod uploads;

/// Gives a route a body limit: checked on the declared (compressed) length first, then
/// on the decompressed bytes, so a small gzip bomb is refused like a big body.
fn limited(route: MethodRouter<AppState>, limit: u64) -> MethodRouter<AppState> {
    route
        .layer::<_, Infallible>(DefaultBodyLimit::max(
            usize::try_from(limit).unwrap_or(usize::MAX),
        ))
        .layer::<_, Infallible>(RequestDecompressionLayer::new())
        .layer::<_, Infallible>(from_fn_with_state(limit, body_limit))
}

fn openrosa(route: MethodRouter<AppState>) -> MethodRouter<AppState> {
    route.layer(map_response(openrosa_version))
}

/// `GET /healthz`: for load balancers; touches storage so a dead database shows.
async fn health(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> Result<&'static str, crate::error::ApiError> {
    state.storage.challenge("health-check").await?;
    Ok("ok")
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let limits = state.config.limits.clone();
    let json = limits.json_bytes;
    Router::new()
        // OpenRosa 1.0
        .route("/formList", openrosa(get(openrosa::form_list)))
        .route("/forms/{form_id}", openrosa(get(openrosa::form_download)))
        .route("/forms/{form_id}/manifest", openrosa(get(openrosa::manifest)))
        .route("/forms/{form_id}/media/{file}", openrosa(get(openrosa::media)))
        .route(
            "/submission",
            openrosa(
                head(openrosa::submission_head)
                    .merge(limited(post(openrosa::submission_post), limits.submission_bytes)),
            ),
        )
        // Citizen extensions
        .route("/v1/agency-key", get(citizen::agency_key))
        .route("/v1/auth/sign-in", limited(post(auth::sign_in), json))
        .route("/v1/auth/verify", limited(post(auth::verify), json))
        .route("/v1/auth/refresh", limited(post(auth::refresh), json))
        .route("/v1/auth/sign-out", limited(post(auth::sign_out), json))
        .route("/healthz", get(health))
        .route("/v1/submissions", get(citizen::list))
        .route("/v1/submissions/{instance_id}", get(citizen::detail))
        .route("/v1/submissions/{instance_id}/receipt", get(citizen::receipt))
        .route("/v1/status", get(citizen::status_feed))
        .route("/v1/uploads", limited(post(uploads::create), json))
        .route(
            "/v1/uploads/{id}",
            get(uploads::offset)
                .head(uploads::offset)
                // Streamed, not buffered: the handler keeps the verified part of a cut
                // body and enforces the chunk limit itself (after decompression).
                .merge(
                    patch(uploads::append)
                        .layer::<_, Infallible>(RequestDecompressionLayer::new()),
                ),
        )
        .route("/v1/uploads/{id}/complete", limited(post(uploads::complete), json))
        // Officers
        .route("/v1/officer/submissions", get(officer::list))
        .route("/v1/officer/submissions/{instance_id}", get(officer::detail))
        .route("/v1/officer/submissions/{instance_id}/xml", get(officer::xml))
        .route(
            "/v1/officer/submissions/{instance_id}/attachments/{file_name}",
            get(officer::attachment),
        )
        .route(
            "/v1/officer/submissions/{instance_id}/status",
            limited(post(officer::change_status), json),
        )
        .layer(from_fn_with_state(state.clone(), rate_limit))
        .layer(from_fn(render_errors))
        // Answers are compressed when the client asks (Accept-Encoding): a status feed
        // or form list shrinks several times, which matters at 2G speeds. Outside
        // `render_errors`, so error bodies are compressed after they are written.
        .layer(CompressionLayer::new().gzip(true).zstd(true))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request<_>| {
                    let id = req
                        .headers()
                        .get(REQUEST_ID_HEADER)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    // Path only: queries carry cursors, and nothing here is personal.
                    tracing::info_span!("http", request_id = %id, method = %req.method(), path = %req.uri().path())
                })
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}
