//! Delivery of one-time sign-in codes. The SMS gateway is the agency's; this trait is
//! where it plugs in, and where tests catch the code.

use async_trait::async_trait;
use layanan_protocol::phone::PhoneNumber;

/// Sends a one-time code to a phone. Must not log the number or the code. Async
/// because a gateway is a network call.
#[async_trait]
pub trait OtpSender: Send + Sync {
    /// Delivers `code`; an error makes sign-in answer 503 so the device retries later.
    async fn send(&self, phone: &PhoneNumber, code: &str) -> Result<(), String>;
}

/// Development mode: the code goes to the server log (never the phone number), so a
/// demo needs no SMS gateway.
#[derive(Debug)]
pub struct LogOtpSender;

#[async_trait]
impl OtpSender for LogOtpSender {
    async fn send(&self, _phone: &PhoneNumber, code: &str) -> Result<(), String> {
        tracing::info!(code = %code, "development mode: one-time sign-in code");
        Ok(())
    }
}
