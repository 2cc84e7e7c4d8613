//! The profile's account on a server: which server, the sealed tokens, the status
//! feed cursor. Tokens are personal credentials: sealed like answers, never logged.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::crypto::SealContext;
use crate::error::{Result, StoreError};
use crate::model::now_ms;
use crate::profile::Profile;
use crate::views::Account;

/// A signed-in session's tokens.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Session {
    pub citizen_id: String,
    pub access_token: String,
    pub access_expires_at_ms: i64,
    pub refresh_token: String,
    pub refresh_expires_at_ms: i64,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("access_expires_at_ms", &self.access_expires_at_ms)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// From the server's token pair, received at `now_ms`.
    pub fn from_tokens(t: &layanan_protocol::auth::TokenPair, now_ms: i64) -> Self {
        let at = |secs: u64| {
            now_ms.saturating_add(i64::try_from(secs.saturating_mul(1000)).unwrap_or(i64::MAX))
        };
        Self {
            citizen_id: t.citizen_id.clone(),
            access_token: t.access_token.clone(),
            access_expires_at_ms: at(t.access_expires_in_secs),
            refresh_token: t.refresh_token.clone(),
            refresh_expires_at_ms: at(t.refresh_expires_in_secs),
        }
    }
}

/// What the app may show about the account (no tokens).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountInfo {
    pub server_url: String,
    pub signed_in: bool,
    pub citizen_id: Option<String>,
}

fn ctx<'a>(column: &'static str, profile_id: &'a str) -> SealContext<'a> {
    SealContext {
        table: "sync_accounts",
        column,
        row_id: profile_id,
    }
}

impl Account<'_> {
    /// Stores the session for `server_url` (replacing any earlier one).
    pub fn save_session(&self, server_url: &str, session: &Session) -> Result<()> {
        let json = serde_json::to_vec(session).map_err(|e| StoreError::Internal(e.to_string()))?;
        let sealed = self.seal(ctx("session", self.id()), &json)?;
        self.inner().with_writer(|c| {
            c.execute(
                "INSERT INTO sync_accounts (profile_id, server_url, updated_at, session)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(profile_id) DO UPDATE SET
                   status_cursor = CASE WHEN server_url = excluded.server_url THEN status_cursor END,
                   server_url = excluded.server_url, updated_at = excluded.updated_at,
                   session = excluded.session",
                params![self.id(), server_url, now_ms(), sealed],
            )?;
            Ok(())
        })
    }

    /// The stored session and its server, if signed in.
    pub fn session(&self) -> Result<Option<(String, Session)>> {
        let row: Option<(String, Option<Vec<u8>>)> = self.inner().read(|c| {
            Ok(c.query_row(
                "SELECT server_url, session FROM sync_accounts WHERE profile_id = ?1",
                [self.id()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
        })?;
        let Some((url, Some(sealed))) = row else {
            return Ok(None);
        };
        let json = self.open(ctx("session", self.id()), &sealed)?;
        let session = serde_json::from_slice(&json).map_err(|_| StoreError::Corrupt {
            table: "sync_accounts",
            column: "session",
            row_id: self.id().to_owned(),
        })?;
        Ok(Some((url, session)))
    }

    /// Account facts for the app's settings screen.
    pub fn server(&self) -> Result<Option<AccountInfo>> {
        let url: Option<String> = self.inner().read(|c| {
            Ok(c.query_row(
                "SELECT server_url FROM sync_accounts WHERE profile_id = ?1",
                [self.id()],
                |r| r.get(0),
            )
            .optional()?)
        })?;
        let Some(server_url) = url else {
            return Ok(None);
        };
        let session = self.session()?;
        Ok(Some(AccountInfo {
            server_url,
            signed_in: session.is_some(),
            citizen_id: session.map(|(_, s)| s.citizen_id),
        }))
    }

    /// Forgets the tokens (sign-out, or the server revoked them).
    pub fn clear_session(&self) -> Result<()> {
        self.inner().with_writer(|c| {
            c.execute(
                "UPDATE sync_accounts SET session = NULL, updated_at = ?2 WHERE profile_id = ?1",
                params![self.id(), now_ms()],
            )?;
            Ok(())
        })
    }

    /// The status feed cursor (opaque, from the server).
    pub fn status_cursor(&self) -> Result<Option<String>> {
        let sealed: Option<Vec<u8>> = self.inner().read(|c| {
            Ok(c.query_row(
                "SELECT status_cursor FROM sync_accounts WHERE profile_id = ?1",
                [self.id()],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
        })?;
        sealed
            .map(|s| {
                let bytes = self.open(ctx("status_cursor", self.id()), &s)?;
                String::from_utf8(bytes).map_err(|_| StoreError::Corrupt {
                    table: "sync_accounts",
                    column: "status_cursor",
                    row_id: self.id().to_owned(),
                })
            })
            .transpose()
    }
}

impl Profile {
    pub(crate) fn sealed_cursor(&self, cursor: &str) -> Result<Vec<u8>> {
        self.seal(ctx("status_cursor", self.id()), cursor.as_bytes())
    }
}
