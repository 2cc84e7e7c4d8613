//! Log hygiene: a whole citizen flow, with every log line captured, never writes a
//! phone number, one-time code, token or answer (OWASP MASVS STORAGE-2; UU PDP).
//! Its own test binary, because capturing needs the process-wide subscriber.

#![allow(clippy::unwrap_used, dead_code)]

#[path = "api/common.rs"]
mod common;

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use common::*;
use layanan_protocol::InstanceId;
use reqwest::StatusCode;

/// A log sink shared with the test.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// The process-wide log capture: a global subscriber, so that no event is lost to
/// per-thread dispatch (this binary holds only this test).
fn capture() -> &'static Captured {
    static CAPTURED: OnceLock<Captured> = OnceLock::new();
    CAPTURED.get_or_init(|| {
        let captured = Captured::default();
        let sink = captured.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || sink.clone())
            .with_ansi(false)
            .init();
        captured
    })
}

/// Runs a whole citizen flow and returns what it logged, with the secrets it used.
async fn flow_with_captured_log(dev_mode: bool) -> (String, Vec<String>) {
    let captured = capture();
    captured.0.lock().unwrap().clear();

    let t = TestServer::start_with(Backend::Sqlite, |c| {
        c.dev_mode = dev_mode;
        if dev_mode {
            c.otp_sender = None;
        }
    })
    .await;
    let phone = "081298765432";
    let started: layanan_protocol::auth::SignInStarted = t
        .http
        .post(t.url("/v1/auth/sign-in"))
        .json(&serde_json::json!({ "phone": phone }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // A malformed request whose parse error would quote the number.
    let malformed = t
        .http
        .post(t.url("/v1/auth/sign-in"))
        .json(&serde_json::json!({ "phone": 81298765432u64 }))
        .send()
        .await
        .unwrap();
    assert!(malformed.status().is_client_error());
    let mut secrets = vec![
        phone.to_owned(),
        "81298765432".to_owned(),
        "Siti Rahayu".to_owned(),
    ];
    if dev_mode {
        return (captured.text(), secrets);
    }
    let code = t.otp.last_code_for(phone);
    let pair: layanan_protocol::auth::TokenPair = t
        .http
        .post(t.url("/v1/auth/verify"))
        .json(&serde_json::json!({ "challenge_id": started.challenge_id, "code": code }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = InstanceId::new_random();
    let r = t
        .submit(
            Some(&pair.access_token),
            &submission_xml(&id, "Siti Rahayu", "k.jpg"),
            &[],
            false,
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let bad = t
        .submit(
            Some(&pair.access_token),
            "<data id='domisili'><nama>Siti Rahayu</nama></data>",
            &[],
            false,
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refreshed = t
        .http
        .post(t.url("/v1/auth/refresh"))
        .json(&serde_json::json!({ "refresh_token": pair.refresh_token }))
        .send()
        .await
        .unwrap();
    assert_eq!(refreshed.status(), StatusCode::OK);
    secrets.extend([code, pair.access_token, pair.refresh_token]);
    (captured.text(), secrets)
}

/// One test, both modes in turn, because they share the process-wide log.
#[tokio::test]
async fn logs_never_contain_phone_numbers_codes_tokens_or_answers() {
    let (log, secrets) = flow_with_captured_log(false).await;
    assert!(
        log.contains("request_id"),
        "requests are traced with their id:\n{log}"
    );
    assert!(log.contains("submission stored"), "{log}");
    for secret in secrets {
        assert!(!log.contains(&secret), "log leaked {secret:?}:\n{log}");
    }

    // Development mode logs the code (that is its point), never the phone.
    let (log, secrets) = flow_with_captured_log(true).await;
    assert!(log.contains("one-time sign-in code"), "{log}");
    for secret in secrets {
        assert!(!log.contains(&secret), "log leaked {secret:?}:\n{log}");
    }
}
