//! A citizen sees only their own submissions, receipts, statuses and uploads; and
//! personal data never reaches the log.

use std::io::Write;
use std::sync::{Arc, Mutex};

use layanan_protocol::{ErrorCode, InstanceId, StatusFeedPage};
use reqwest::StatusCode;

use crate::both_backends;
use crate::common::*;

both_backends!(citizens_cannot_reach_each_others_submissions);

async fn citizens_cannot_reach_each_others_submissions(backend: Backend) {
    let t = TestServer::start(backend).await;
    let siti = t.sign_in("081234567840").await;
    let budi = t.sign_in("081234567841").await;
    let id = InstanceId::new_random();
    let xml = submission_xml(&id, "Siti", "ktp.jpg");
    let r = t.submit(Some(&siti.access_token), &xml, &[], false).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = t
        .http
        .post(t.url(&format!("/v1/officer/submissions/{}/status", id.as_str())))
        .bearer_auth(OFFICER_TOKEN)
        .json(&serde_json::json!({ "state": "in_review" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    for path in [
        format!("/v1/submissions/{}", id.as_str()),
        format!("/v1/submissions/{}/receipt", id.as_str()),
    ] {
        let r = t.get_as(&budi.access_token, &path).await;
        error_body(r, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
        assert_eq!(
            t.get_as(&siti.access_token, &path).await.status(),
            StatusCode::OK
        );
    }
    let list: Vec<serde_json::Value> = t
        .get_as(&budi.access_token, "/v1/submissions")
        .await
        .json()
        .await
        .unwrap();
    assert!(list.is_empty());
    let feed: StatusFeedPage = t
        .get_as(&budi.access_token, "/v1/status")
        .await
        .json()
        .await
        .unwrap();
    assert!(feed.entries.is_empty());
    let siti_feed: StatusFeedPage = t
        .get_as(&siti.access_token, "/v1/status")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(siti_feed.entries.len(), 2);

    // Budi replays Siti's submission (same instanceID, same content): refused, and he
    // does not get her receipt.
    let replay = t.submit(Some(&budi.access_token), &xml, &[], false).await;
    error_body(replay, StatusCode::CONFLICT, ErrorCode::InstanceIdConflict).await;
    let anonymous = t.submit(None, &xml, &[], false).await;
    error_body(
        anonymous,
        StatusCode::CONFLICT,
        ErrorCode::InstanceIdConflict,
    )
    .await;

    // Nor can he attach files to it, or touch her uploads.
    let steal = t
        .http
        .post(t.url("/v1/uploads"))
        .bearer_auth(&budi.access_token)
        .json(&serde_json::json!({
            "instance_id": id.as_str(), "file_name": "x.jpg", "content_type": "image/jpeg",
            "total_size": 3, "sha256": sha256_hex(b"abc"),
        }))
        .send()
        .await
        .unwrap();
    error_body(steal, StatusCode::CONFLICT, ErrorCode::InstanceIdConflict).await;
    let other_id = InstanceId::new_random();
    let upload: layanan_protocol::upload::UploadState = t
        .http
        .post(t.url("/v1/uploads"))
        .bearer_auth(&siti.access_token)
        .json(&serde_json::json!({
            "instance_id": other_id.as_str(), "file_name": "x.jpg", "content_type": "image/jpeg",
            "total_size": 3, "sha256": sha256_hex(b"abc"),
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let path = format!("/v1/uploads/{}", upload.upload_id);
    let peek = t.get_as(&budi.access_token, &path).await;
    error_body(peek, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    let finish = t
        .http
        .post(t.url(&format!("{path}/complete")))
        .bearer_auth(&budi.access_token)
        .send()
        .await
        .unwrap();
    error_body(finish, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
}

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

/// Runs a whole citizen flow with every log line captured (single-threaded runtime,
/// so the server's tasks log into this test's subscriber).
async fn flow_with_captured_log(dev_mode: bool) -> (String, Vec<String>) {
    let captured = Captured::default();
    let sink = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

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

#[tokio::test(flavor = "current_thread")]
async fn logs_never_contain_phone_numbers_codes_tokens_or_answers() {
    let (log, secrets) = flow_with_captured_log(false).await;
    assert!(
        log.contains("request_id"),
        "requests are traced with their id:\n{log}"
    );
    assert!(log.contains("submission stored"));
    for secret in secrets {
        assert!(!log.contains(&secret), "log leaked {secret:?}:\n{log}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn development_mode_logs_the_code_but_not_the_phone() {
    let (log, secrets) = flow_with_captured_log(true).await;
    assert!(log.contains("one-time sign-in code"), "{log}");
    for secret in secrets {
        assert!(!log.contains(&secret), "log leaked {secret:?}:\n{log}");
    }
}
