//! Who is calling: extractors for a citizen's access token and the officer token.
//! Tokens are looked up by keyed hash; the raw token never reaches storage or logs.

use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts};

use crate::clock::now_ms;
use crate::error::ApiError;
use crate::state::AppState;

/// Keyed-hash purpose of access tokens.
pub const ACCESS_PURPOSE: &str = "access-token";
/// Keyed-hash purpose of refresh tokens.
pub const REFRESH_PURPOSE: &str = "refresh-token";

/// A signed-in citizen.
#[derive(Debug, Clone)]
pub struct Citizen {
    pub id: String,
}

/// A citizen if the request carries a token (which must then be valid), else nobody:
/// OpenRosa clients such as ODK Collect submit without one.
#[derive(Debug, Clone)]
pub struct MaybeCitizen(pub Option<Citizen>);

/// The agency's officer, proven by the officer token from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct Officer;

fn bearer(parts: &Parts) -> Result<Option<&str>, ApiError> {
    let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| ApiError::Unauthorized)?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .ok_or(ApiError::Unauthorized)?
        .trim();
    if token.is_empty() {
        return Err(ApiError::Unauthorized);
    }
    Ok(Some(token))
}

async fn citizen_from(parts: &Parts, state: &AppState) -> Result<Option<Citizen>, ApiError> {
    let Some(token) = bearer(parts)? else {
        return Ok(None);
    };
    let hash = state.secrets.keyed_hash(ACCESS_PURPOSE, token);
    let grant = state
        .storage
        .access_grant(&hash)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    if grant.expires_ms <= now_ms() {
        return Err(ApiError::TokenExpired);
    }
    Ok(Some(Citizen {
        id: grant.citizen_id,
    }))
}

impl FromRequestParts<AppState> for Citizen {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        citizen_from(parts, state)
            .await?
            .ok_or(ApiError::Unauthorized)
    }
}

impl FromRequestParts<AppState> for MaybeCitizen {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(MaybeCitizen(citizen_from(parts, state).await?))
    }
}

impl FromRequestParts<AppState> for Officer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let expected = state
            .config
            .officer_token
            .as_deref()
            .ok_or(ApiError::Forbidden)?;
        let given = bearer(parts)?.ok_or(ApiError::Forbidden)?;
        // Compare digests so the comparison time says nothing about the token.
        if crate::secrets::sha256(given.as_bytes()) == crate::secrets::sha256(expected.as_bytes()) {
            Ok(Officer)
        } else {
            Err(ApiError::Forbidden)
        }
    }
}
