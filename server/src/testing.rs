//! Helpers for tests and demos that start the server in-process (behind the `testing`
//! feature): catch the one-time codes the server would have sent by SMS.

use std::sync::Mutex;

use async_trait::async_trait;
use layanan_protocol::phone::PhoneNumber;

use crate::otp::OtpSender;

/// An [`OtpSender`] that keeps the codes instead of sending them.
#[derive(Debug, Default)]
pub struct CapturingOtpSender {
    sent: Mutex<Vec<(String, String)>>,
}

#[async_trait]
impl OtpSender for CapturingOtpSender {
    async fn send(&self, phone: &PhoneNumber, code: &str) -> Result<(), String> {
        self.sent
            .lock()
            .map_err(|_| "poisoned".to_owned())?
            .push((phone.e164().to_owned(), code.to_owned()));
        Ok(())
    }
}

impl CapturingOtpSender {
    /// The last code sent to `phone` (in any spelling), if any.
    pub fn last_code_for(&self, phone: &str) -> Option<String> {
        let phone = PhoneNumber::parse(phone).ok()?;
        self.sent
            .lock()
            .ok()?
            .iter()
            .rev()
            .find(|(p, _)| p == phone.e164())
            .map(|(_, code)| code.clone())
    }
}
