//! Delivery of one-time sign-in codes. The SMS gateway is the agency's; this trait is
//! where it plugs in, and where tests catch the code.

use std::collections::HashMap;
use std::sync::Mutex;

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

/// Hands codes to the process that embeds the server instead of sending them: for a
/// server started in-process next to its only client, as `layanan demo` does (and the
/// tests), where no SMS gateway exists and the embedding code types the code in itself.
///
/// Codes stay in memory, one per phone number (the latest), so it holds at most one
/// code per citizen who asked; it logs nothing. It is not a delivery channel: a real
/// deployment plugs in its SMS gateway.
#[derive(Debug, Default)]
pub struct InProcessOtpSender {
    latest: Mutex<HashMap<String, String>>,
}

#[async_trait]
impl OtpSender for InProcessOtpSender {
    async fn send(&self, phone: &PhoneNumber, code: &str) -> Result<(), String> {
        self.latest
            .lock()
            .map_err(|_| "in-process code sink poisoned".to_owned())?
            .insert(phone.e164().to_owned(), code.to_owned());
        Ok(())
    }
}

impl InProcessOtpSender {
    /// The last code sent to `phone` (in any spelling the server accepts), if any.
    pub fn last_code_for(&self, phone: &str) -> Option<String> {
        let phone = PhoneNumber::parse(phone).ok()?;
        self.latest.lock().ok()?.get(phone.e164()).cloned()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[tokio::test]
    async fn in_process_sender_keeps_the_latest_code_per_phone() {
        let sink = InProcessOtpSender::default();
        assert_eq!(sink.last_code_for("081234567890"), None);
        let phone = PhoneNumber::parse("081234567890").unwrap();
        sink.send(&phone, "111111").await.unwrap();
        sink.send(&phone, "222222").await.unwrap();
        let other = PhoneNumber::parse("081398765432").unwrap();
        sink.send(&other, "333333").await.unwrap();
        // Any spelling of the same number finds it; the latest code wins.
        assert_eq!(
            sink.last_code_for("+6281234567890").as_deref(),
            Some("222222")
        );
        assert_eq!(
            sink.last_code_for("081398765432").as_deref(),
            Some("333333")
        );
        assert_eq!(sink.latest.lock().unwrap().len(), 2);
    }
}
