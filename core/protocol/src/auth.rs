//! Citizen sign-in: phone number, one-time code, then short-lived access tokens and a
//! rotating refresh token (RFC 9700: a refresh token is used once; presenting a used
//! one again revokes the whole family, because only a thief would do that).

use serde::{Deserialize, Serialize};

/// `POST /v1/auth/sign-in`: ask for a one-time code to be sent to a phone.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInRequest {
    /// The phone number as typed; the server normalises it.
    pub phone: String,
}

impl std::fmt::Debug for SignInRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SignInRequest { phone: *** }")
    }
}

/// Answer to a sign-in request: the challenge to verify the code against.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInStarted {
    pub challenge_id: String,
    /// Seconds until the code stops working.
    pub expires_in_secs: u64,
    /// Number of digits in the code, so the device can size its input field.
    pub code_length: u32,
}

/// `POST /v1/auth/verify`: prove possession of the phone.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyRequest {
    pub challenge_id: String,
    pub code: String,
}

impl std::fmt::Debug for VerifyRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyRequest")
            .field("challenge_id", &self.challenge_id)
            .finish_non_exhaustive()
    }
}

/// `POST /v1/auth/refresh`: trade a refresh token for a new pair.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

impl std::fmt::Debug for RefreshRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RefreshRequest { .. }")
    }
}

/// A fresh access token and the refresh token that replaces the one presented.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenPair {
    /// Always "Bearer".
    pub token_type: String,
    pub access_token: String,
    pub access_expires_in_secs: u64,
    pub refresh_token: String,
    pub refresh_expires_in_secs: u64,
    /// Stable opaque id of the citizen account, never the phone number.
    pub citizen_id: String,
}

impl std::fmt::Debug for TokenPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenPair")
            .field("access_expires_in_secs", &self.access_expires_in_secs)
            .field("refresh_expires_in_secs", &self.refresh_expires_in_secs)
            .field("citizen_id", &self.citizen_id)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secrets() {
        let pair = TokenPair {
            token_type: "Bearer".into(),
            access_token: "secret-a".into(),
            access_expires_in_secs: 900,
            refresh_token: "secret-r".into(),
            refresh_expires_in_secs: 3600,
            citizen_id: "c1".into(),
        };
        let text = format!(
            "{pair:?} {:?} {:?}",
            SignInRequest {
                phone: "08123".into()
            },
            VerifyRequest {
                challenge_id: "x".into(),
                code: "123456".into()
            }
        );
        for secret in ["secret-a", "secret-r", "08123", "123456"] {
            assert!(!text.contains(secret), "{secret} leaked in {text}");
        }
    }
}
