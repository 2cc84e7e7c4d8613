//! Shared state of one server process. Everything durable is in [`Storage`] and
//! [`BlobStore`]; what lives here is configuration, keys, caches and rate-limit
//! buckets, so any number of processes can serve one PostgreSQL database.

use std::sync::Arc;

use layanan_protocol::ReceiptSigner;

use crate::blob::BlobStore;
use crate::config::ServerConfig;
use crate::forms::FormStore;
use crate::otp::OtpSender;
use crate::ratelimit::RateLimiter;
use crate::secrets::Secrets;
use crate::storage::Storage;
use crate::validate::SubmissionValidator;

/// Cheap to clone; handed to every handler.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Inner>);

/// The parts of [`AppState`].
pub struct Inner {
    pub config: ServerConfig,
    pub storage: Arc<dyn Storage>,
    pub blobs: Arc<dyn BlobStore>,
    pub forms: Arc<FormStore>,
    pub signer: ReceiptSigner,
    pub secrets: Secrets,
    pub validator: Arc<dyn SubmissionValidator>,
    /// `None`: sign-in is unavailable (no gateway and not in development mode).
    pub otp: Option<Arc<dyn OtpSender>>,
    /// Requests per client address.
    pub client_limiter: RateLimiter,
    /// One-time codes per phone number.
    pub phone_limiter: RateLimiter,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("config", &self.config)
            .field("storage", &self.storage)
            .finish_non_exhaustive()
    }
}

impl AppState {
    pub fn new(inner: Inner) -> Self {
        Self(Arc::new(inner))
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
