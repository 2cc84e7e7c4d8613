//! Citizen sign-in: one-time code to a phone, then access and refresh tokens. Phone
//! numbers are stored only as keyed hashes; codes and tokens only as keyed hashes;
//! none of them is ever logged (the code is, in development mode only).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use layanan_protocol::auth::{
    RefreshRequest, SignInRequest, SignInStarted, TokenPair, VerifyRequest,
};
use layanan_protocol::phone::PhoneNumber;

use crate::auth::{ACCESS_PURPOSE, REFRESH_PURPOSE};
use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::storage::{Challenge, NewTokens, RotateOutcome, TokenHashes};

const CODE_DIGITS: u32 = 6;
const PHONE_PURPOSE: &str = "phone";
const CODE_PURPOSE: &str = "otp";

fn ms(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// `POST /v1/auth/sign-in`.
pub async fn sign_in(
    State(state): State<AppState>,
    Json(req): Json<SignInRequest>,
) -> ApiResult<(StatusCode, Json<SignInStarted>)> {
    let phone = PhoneNumber::parse(&req.phone).map_err(|_| ApiError::InvalidPhone)?;
    let phone_key = state.secrets.keyed_hash(PHONE_PURPOSE, phone.e164());
    state
        .phone_limiter
        .check(&phone_key)
        .map_err(|retry_after_secs| ApiError::RateLimited { retry_after_secs })?;
    let sender = state.otp.clone().ok_or(ApiError::Unavailable(
        "no one-time code delivery configured",
    ))?;
    let code = state.secrets.numeric_code(CODE_DIGITS)?;
    let id = state.secrets.id();
    let ttl = state.config.limits.otp_ttl;
    state
        .storage
        .insert_challenge(&Challenge {
            id: id.clone(),
            phone_key,
            code_hash: state
                .secrets
                .keyed_hash(CODE_PURPOSE, &format!("{id}:{code}")),
            expires_ms: now_ms() + ms(ttl),
            attempts: 0,
            used: false,
        })
        .await?;
    sender
        .send(&phone, &code)
        .await
        .map_err(|_| ApiError::Unavailable("one-time code delivery failed"))?;
    Ok((
        StatusCode::CREATED,
        Json(SignInStarted {
            challenge_id: id,
            expires_in_secs: ttl.as_secs(),
            code_length: CODE_DIGITS,
        }),
    ))
}

/// `POST /v1/auth/verify`.
pub async fn verify(
    State(state): State<AppState>,
    Json(req): Json<VerifyRequest>,
) -> ApiResult<Json<TokenPair>> {
    let challenge = state
        .storage
        .challenge(&req.challenge_id)
        .await?
        .ok_or(ApiError::ChallengeExpired)?;
    if challenge.used
        || challenge.expires_ms <= now_ms()
        || challenge.attempts >= state.config.limits.otp_max_attempts
    {
        return Err(ApiError::ChallengeExpired);
    }
    let given = state.secrets.keyed_hash(
        CODE_PURPOSE,
        &format!("{}:{}", challenge.id, req.code.trim()),
    );
    if given != challenge.code_hash {
        state.storage.record_failed_attempt(&challenge.id).await?;
        return Err(ApiError::InvalidCode);
    }
    if !state.storage.consume_challenge(&challenge.id).await? {
        return Err(ApiError::ChallengeExpired);
    }
    let new_id = format!("c_{}", state.secrets.id());
    let citizen_id = state
        .storage
        .citizen_for_phone(&challenge.phone_key, &new_id, now_ms())
        .await?;
    let (hashes, pair) = issue(&state, citizen_id.clone())?;
    state
        .storage
        .insert_tokens(
            &NewTokens {
                hashes,
                family_id: state.secrets.id(),
                citizen_id,
            },
            now_ms(),
        )
        .await?;
    tracing::info!("citizen signed in");
    Ok(Json(pair))
}

/// `POST /v1/auth/refresh`: one use per refresh token; a second use revokes the family
/// (except a prompt retry whose answer was lost, see `Limits::refresh_reuse_grace`).
pub async fn refresh(
    State(state): State<AppState>,
    Json(req): Json<RefreshRequest>,
) -> ApiResult<Json<TokenPair>> {
    let old = state
        .secrets
        .keyed_hash(REFRESH_PURPOSE, req.refresh_token.trim());
    let (hashes, mut pair) = issue(&state, String::new())?;
    let grace = ms(state.config.limits.refresh_reuse_grace);
    match state
        .storage
        .rotate_refresh(&old, &hashes, now_ms(), grace)
        .await?
    {
        RotateOutcome::Rotated { citizen_id } => {
            pair.citizen_id = citizen_id;
            Ok(Json(pair))
        }
        RotateOutcome::Reused => {
            tracing::warn!("refresh token reused; token family revoked");
            Err(ApiError::RefreshTokenReused)
        }
        RotateOutcome::Expired => Err(ApiError::TokenExpired),
        RotateOutcome::Unknown => Err(ApiError::Unauthorized),
    }
}

/// `POST /v1/auth/sign-out`: ends the session on this phone (its whole token family).
/// Always 204, so it says nothing about whether the token was valid.
pub async fn sign_out(
    State(state): State<AppState>,
    Json(req): Json<RefreshRequest>,
) -> ApiResult<StatusCode> {
    let hash = state
        .secrets
        .keyed_hash(REFRESH_PURPOSE, req.refresh_token.trim());
    state.storage.revoke_family(&hash).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A fresh token pair and the hashes to store.
fn issue(state: &AppState, citizen_id: String) -> ApiResult<(TokenHashes, TokenPair)> {
    let limits = &state.config.limits;
    let access = state.secrets.token("lyn_at_")?;
    let refresh = state.secrets.token("lyn_rt_")?;
    let now = now_ms();
    let hashes = TokenHashes {
        access_hash: state.secrets.keyed_hash(ACCESS_PURPOSE, &access),
        access_expires_ms: now + ms(limits.access_token_ttl),
        refresh_hash: state.secrets.keyed_hash(REFRESH_PURPOSE, &refresh),
        refresh_expires_ms: now + ms(limits.refresh_token_ttl),
    };
    let pair = TokenPair {
        token_type: "Bearer".to_owned(),
        access_token: access,
        access_expires_in_secs: limits.access_token_ttl.as_secs(),
        refresh_token: refresh,
        refresh_expires_in_secs: limits.refresh_token_ttl.as_secs(),
        citizen_id,
    };
    Ok((hashes, pair))
}
