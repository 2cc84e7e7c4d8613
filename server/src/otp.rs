//! Delivery of one-time sign-in codes. The SMS gateway is the agency's; this trait is
//! where it plugs in, and where tests catch the code.

use layanan_protocol::phone::PhoneNumber;

/// Sends a one-time code to a phone. Must not log the number or the code.
pub trait OtpSender: Send + Sync {
    /// Delivers `code`; an error makes sign-in answer 503 so the device retries later.
    fn send(&self, phone: &PhoneNumber, code: &str) -> Result<(), String>;
}

/// Development mode: the code goes to the server log (never the phone number), so a
/// demo needs no SMS gateway.
#[derive(Debug)]
pub struct LogOtpSender;

impl OtpSender for LogOtpSender {
    fn send(&self, _phone: &PhoneNumber, code: &str) -> Result<(), String> {
        tracing::info!(code = %code, "development mode: one-time sign-in code");
        Ok(())
    }
}
