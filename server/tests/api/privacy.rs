//! A citizen sees only their own submissions, receipts, statuses and uploads; and
//! personal data never reaches the log.

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
