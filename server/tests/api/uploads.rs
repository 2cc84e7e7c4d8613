//! Resumable attachment upload: a 2 MB photo survives a link that drops at 1.9 MB.

use layanan_protocol::upload::{self, UploadState};
use layanan_protocol::{ErrorCode, InstanceId, SubmissionAccepted, SubmissionSummary};
use reqwest::StatusCode;
use tokio::io::AsyncWriteExt;

use crate::both_backends;
use crate::common::*;

both_backends!(
    two_megabyte_photo_survives_a_drop_at_1_9_mb,
    bad_chunks_and_wrong_offsets_are_refused_without_damage,
    whole_file_digest_mismatch_resets_the_upload,
    abandoned_uploads_expire_and_finished_ones_stay,
    one_citizen_cannot_hold_unlimited_open_uploads,
    a_cut_append_with_block_digests_keeps_what_arrived,
);

/// Deterministic pseudo-random bytes (a photo stand-in that does not compress).
fn photo(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

async fn create(
    t: &TestServer,
    token: &str,
    id: &InstanceId,
    name: &str,
    bytes: &[u8],
) -> UploadState {
    let response = t
        .http
        .post(t.url("/v1/uploads"))
        .bearer_auth(token)
        .json(&serde_json::json!({
            "instance_id": id.as_str(),
            "file_name": name,
            "content_type": "image/jpeg",
            "total_size": bytes.len(),
            "sha256": sha256_hex(bytes),
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()[upload::OFFSET_HEADER], "0");
    response.json().await.unwrap()
}

async fn append(
    t: &TestServer,
    token: &str,
    upload_id: &str,
    offset: usize,
    chunk: &[u8],
) -> reqwest::Response {
    t.http
        .patch(t.url(&format!("/v1/uploads/{upload_id}")))
        .bearer_auth(token)
        .header(upload::OFFSET_HEADER, offset.to_string())
        .header(upload::CHUNK_SHA256_HEADER, sha256_hex(chunk))
        .header("Content-Type", upload::CHUNK_CONTENT_TYPE)
        .body(chunk.to_vec())
        .send()
        .await
        .unwrap()
}

async fn server_offset(t: &TestServer, token: &str, upload_id: &str) -> u64 {
    let response = t
        .http
        .head(t.url(&format!("/v1/uploads/{upload_id}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.headers()[upload::OFFSET_HEADER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

async fn complete(t: &TestServer, token: &str, upload_id: &str) -> reqwest::Response {
    t.http
        .post(t.url(&format!("/v1/uploads/{upload_id}/complete")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

async fn two_megabyte_photo_survives_a_drop_at_1_9_mb(backend: Backend) {
    let t = TestServer::start(backend).await;
    let citizen = t.sign_in("081234567820").await;
    let token = citizen.access_token.as_str();
    let id = InstanceId::new_random();
    let bytes = photo(2 * 1024 * 1024);
    let state = create(&t, token, &id, "ktp.jpg", &bytes).await;
    assert_eq!(state.total_size, bytes.len() as u64);
    let chunk = 256 * 1024;

    // 1.75 MiB goes through.
    let mut offset = 0;
    while offset + chunk < bytes.len() {
        let r = append(
            &t,
            token,
            &state.upload_id,
            offset,
            &bytes[offset..offset + chunk],
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK);
        offset += chunk;
        assert_eq!(
            r.headers()[upload::OFFSET_HEADER],
            offset.to_string().as_str()
        );
    }

    // The last chunk: the link dies after ~1.9 MB in total.
    let last = &bytes[offset..];
    let mut stream = tokio::net::TcpStream::connect(t.server.addr())
        .await
        .unwrap();
    let head = format!(
        "PATCH /v1/uploads/{} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\n{}: {offset}\r\n{}: {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\r\n",
        state.upload_id,
        t.server.addr(),
        upload::OFFSET_HEADER,
        upload::CHUNK_SHA256_HEADER,
        sha256_hex(last),
        upload::CHUNK_CONTENT_TYPE,
        last.len(),
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&last[..150 * 1024]).await.unwrap();
    stream.flush().await.unwrap();
    drop(stream);

    // The device reconnects, asks where to resume, and finishes from there.
    let resume = server_offset(&t, token, &state.upload_id).await;
    assert_eq!(
        resume, offset as u64,
        "nothing of the broken chunk was kept"
    );
    let r = append(&t, token, &state.upload_id, offset, last).await;
    assert_eq!(r.status(), StatusCode::OK);
    let done = complete(&t, token, &state.upload_id).await;
    assert_eq!(done.status(), StatusCode::OK);
    let done: UploadState = done.json().await.unwrap();
    assert!(done.complete);
    // Completing twice (a lost response) answers the same.
    assert_eq!(
        complete(&t, token, &state.upload_id).await.status(),
        StatusCode::OK
    );

    // Then the small XML goes through OpenRosa, without the photo in it.
    let xml = submission_xml(&id, "Siti", "ktp.jpg");
    let sent = t.submit(Some(token), &xml, &[], false).await;
    assert_eq!(sent.status(), StatusCode::CREATED);
    let accepted: SubmissionAccepted = sent.json().await.unwrap();
    t.key().verify(&accepted.receipt).unwrap();
    let detail: SubmissionSummary = t
        .get_as(token, &format!("/v1/submissions/{}", id.as_str()))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail.attachments, vec!["ktp.jpg"]);

    // What the server holds is byte-for-byte the photo.
    let stored = t.dir.path().join("blobs/sha256").join(sha256_hex(&bytes));
    assert_eq!(std::fs::read(stored).unwrap(), bytes);
}

async fn bad_chunks_and_wrong_offsets_are_refused_without_damage(backend: Backend) {
    let t = TestServer::start(backend).await;
    let citizen = t.sign_in("081234567821").await;
    let token = citizen.access_token.as_str();
    let id = InstanceId::new_random();
    let bytes = photo(10_000);
    let state = create(&t, token, &id, "a.jpg", &bytes).await;

    let ok = append(&t, token, &state.upload_id, 0, &bytes[..4000]).await;
    assert_eq!(ok.status(), StatusCode::OK);

    // A chunk corrupted in transit: its checksum does not match.
    let corrupt = t
        .http
        .patch(t.url(&format!("/v1/uploads/{}", state.upload_id)))
        .bearer_auth(token)
        .header(upload::OFFSET_HEADER, "4000")
        .header(upload::CHUNK_SHA256_HEADER, sha256_hex(&bytes[4000..8000]))
        .body(vec![0u8; 4000])
        .send()
        .await
        .unwrap();
    error_body(
        corrupt,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::ChecksumMismatch,
    )
    .await;

    // A retry of an already stored chunk: told where the server stands.
    let stale = append(&t, token, &state.upload_id, 0, &bytes[..4000]).await;
    assert_eq!(stale.headers()[upload::OFFSET_HEADER], "4000");
    error_body(stale, StatusCode::CONFLICT, ErrorCode::UploadOffsetMismatch).await;

    let early = complete(&t, token, &state.upload_id).await;
    error_body(early, StatusCode::CONFLICT, ErrorCode::UploadIncomplete).await;

    let beyond = append(&t, token, &state.upload_id, 4000, &photo(7000)).await;
    error_body(beyond, StatusCode::BAD_REQUEST, ErrorCode::BadRequest).await;

    assert_eq!(
        append(&t, token, &state.upload_id, 4000, &bytes[4000..])
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        complete(&t, token, &state.upload_id).await.status(),
        StatusCode::OK
    );
}

async fn whole_file_digest_mismatch_resets_the_upload(backend: Backend) {
    let t = TestServer::start(backend).await;
    let citizen = t.sign_in("081234567822").await;
    let token = citizen.access_token.as_str();
    let id = InstanceId::new_random();
    let declared = photo(5000);
    let state = create(&t, token, &id, "a.jpg", &declared).await;
    // Every chunk matches its own checksum, but the file is not the declared one.
    let other = vec![1u8; 5000];
    assert_eq!(
        append(&t, token, &state.upload_id, 0, &other)
            .await
            .status(),
        StatusCode::OK
    );
    let r = complete(&t, token, &state.upload_id).await;
    error_body(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::ChecksumMismatch,
    )
    .await;
    assert_eq!(server_offset(&t, token, &state.upload_id).await, 0);
    assert_eq!(
        append(&t, token, &state.upload_id, 0, &declared)
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        complete(&t, token, &state.upload_id).await.status(),
        StatusCode::OK
    );
}

async fn abandoned_uploads_expire_and_finished_ones_stay(backend: Backend) {
    let t =
        TestServer::start_with(backend, |c| c.limits.upload_ttl = std::time::Duration::ZERO).await;
    let citizen = t.sign_in("081234567823").await;
    let token = citizen.access_token.as_str();
    let bytes = photo(3000);
    let done = create(&t, token, &InstanceId::new_random(), "a.jpg", &bytes).await;
    assert_eq!(
        append(&t, token, &done.upload_id, 0, &bytes).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        complete(&t, token, &done.upload_id).await.status(),
        StatusCode::OK
    );
    let abandoned = create(&t, token, &InstanceId::new_random(), "b.jpg", &bytes).await;
    assert_eq!(
        append(&t, token, &abandoned.upload_id, 0, &bytes[..1000])
            .await
            .status(),
        StatusCode::OK
    );
    let staged = t
        .dir
        .path()
        .join("blobs/uploads")
        .join(&abandoned.upload_id);
    assert!(staged.is_file());

    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    assert_eq!(t.server.run_maintenance().await.unwrap(), 1);
    assert!(!staged.exists());
    let gone = t
        .get_as(token, &format!("/v1/uploads/{}", abandoned.upload_id))
        .await;
    error_body(gone, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    let kept: UploadState = t
        .get_as(token, &format!("/v1/uploads/{}", done.upload_id))
        .await
        .json()
        .await
        .unwrap();
    assert!(kept.complete);
}

async fn one_citizen_cannot_hold_unlimited_open_uploads(backend: Backend) {
    let t = TestServer::start_with(backend, |c| c.limits.max_open_uploads_per_citizen = 2).await;
    let citizen = t.sign_in("081234567824").await;
    let token = citizen.access_token.as_str();
    let bytes = photo(100);
    let first = create(&t, token, &InstanceId::new_random(), "a.jpg", &bytes).await;
    create(&t, token, &InstanceId::new_random(), "b.jpg", &bytes).await;
    let third = t
        .http
        .post(t.url("/v1/uploads"))
        .bearer_auth(token)
        .json(&serde_json::json!({
            "instance_id": InstanceId::new_random().as_str(), "file_name": "c.jpg",
            "content_type": "image/jpeg", "total_size": 100, "sha256": sha256_hex(&bytes),
        }))
        .send()
        .await
        .unwrap();
    assert!(third.headers().contains_key("retry-after"));
    error_body(third, StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited).await;
    // Finishing one frees a place; other citizens are not affected.
    assert_eq!(
        append(&t, token, &first.upload_id, 0, &bytes)
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        complete(&t, token, &first.upload_id).await.status(),
        StatusCode::OK
    );
    create(&t, token, &InstanceId::new_random(), "c.jpg", &bytes).await;
    let other = t.sign_in("081234567825").await;
    create(
        &t,
        &other.access_token,
        &InstanceId::new_random(),
        "a.jpg",
        &bytes,
    )
    .await;
}

/// Waits until the server's offset is `want` (the cut request's bytes are committed by
/// the server as soon as it sees the connection gone, not before this call).
async fn offset_becomes(t: &TestServer, token: &str, upload_id: &str, want: u64) -> u64 {
    let mut now = server_offset(t, token, upload_id).await;
    for _ in 0..100 {
        if now == want {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        now = server_offset(t, token, upload_id).await;
    }
    now
}

async fn a_cut_append_with_block_digests_keeps_what_arrived(backend: Backend) {
    let t = TestServer::start(backend).await;
    let citizen = t.sign_in("081234567829").await;
    let token = citizen.access_token.as_str();
    let id = InstanceId::new_random();
    let bytes = photo(290_000);
    let state = create(&t, token, &id, "ktp.jpg", &bytes).await;
    let block = 16 * 1024;

    // The whole photo in one append, asking to complete; the signal goes after
    // 100,000 bytes: six whole blocks arrived.
    let blocks = upload::BlockDigests::of(&bytes, block as u64);
    let mut stream = tokio::net::TcpStream::connect(t.server.addr())
        .await
        .unwrap();
    let head = format!(
        "PATCH /v1/uploads/{} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\n{}: 0\r\n{}: {}\r\n{}: ?1\r\nContent-Type: {}\r\nContent-Length: {}\r\n\r\n",
        state.upload_id,
        t.server.addr(),
        upload::OFFSET_HEADER,
        upload::BLOCK_SHA256_HEADER,
        blocks.to_header(),
        upload::COMPLETE_HEADER,
        upload::CHUNK_CONTENT_TYPE,
        bytes.len(),
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&bytes[..100_000]).await.unwrap();
    stream.flush().await.unwrap();
    drop(stream);
    let kept = offset_becomes(&t, token, &state.upload_id, 6 * block as u64).await;
    assert_eq!(kept, 6 * block as u64, "the verified blocks were kept");

    // The phone resumes there; the last append completes the upload itself.
    let rest = &bytes[6 * block..];
    let r = t
        .http
        .patch(t.url(&format!("/v1/uploads/{}", state.upload_id)))
        .bearer_auth(token)
        .header(upload::OFFSET_HEADER, (6 * block).to_string())
        .header(
            upload::BLOCK_SHA256_HEADER,
            upload::BlockDigests::of(rest, block as u64).to_header(),
        )
        .header(upload::COMPLETE_HEADER, "?1")
        .header("Content-Type", upload::CHUNK_CONTENT_TYPE)
        .body(rest.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let done: UploadState = r.json().await.unwrap();
    assert!(done.complete, "completed by its last append");
    assert_eq!(done.offset, bytes.len() as u64);

    let xml = submission_xml(&id, "Siti", "ktp.jpg");
    let sent = t.submit(Some(token), &xml, &[], false).await;
    assert_eq!(sent.status(), StatusCode::CREATED);
    let accepted: SubmissionAccepted = sent.json().await.unwrap();
    assert!(accepted.complete);
}
