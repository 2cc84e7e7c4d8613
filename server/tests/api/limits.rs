//! Limits and errors: 413 that states the limit, 429 with Retry-After, compressed
//! requests, structured errors with request ids.

use std::io::Write;

use layanan_protocol::{ErrorCode, InstanceId};
use reqwest::StatusCode;

use crate::both_backends;
use crate::common::*;

both_backends!(
    oversized_submission_gets_a_413_that_states_the_limit,
    compressed_bodies_are_limited_after_decompression_too,
    gzip_and_zstd_requests_are_accepted,
    too_many_requests_get_429_with_retry_after,
    too_many_codes_for_one_phone_get_429,
    behind_a_proxy_each_client_address_has_its_own_budget,
    answers_are_compressed_when_asked,
);

async fn oversized_submission_gets_a_413_that_states_the_limit(backend: Backend) {
    let t = TestServer::start_with(backend, |c| c.limits.submission_bytes = 64 * 1024).await;
    let id = InstanceId::new_random();
    let big = vec![0u8; 100 * 1024];
    let r = t
        .submit(
            None,
            &submission_xml(&id, "Siti", "a.jpg"),
            &[("a.jpg", &big)],
            false,
        )
        .await;
    let body = error_body(r, StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge).await;
    assert_eq!(body.limit_bytes, Some(64 * 1024));
    assert!(body.message.contains("65536") && body.message_en.contains("65536"));

    // Streamed without a declared length, the limit still holds and still says so:
    // the server reads the rest and discards it, so the answer is not lost to a reset.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = multipart(
        &submission_xml(&id, "Siti", "a.jpg"),
        &[("a.jpg", &big)],
        false,
    )
    .chunks(8192)
    .map(|c| Ok(c.to_vec()))
    .collect();
    let sent = t
        .http
        .post(t.url("/submission"))
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(reqwest::Body::wrap_stream(futures_stream(chunks)))
        .send()
        .await;
    let body = error_body(
        sent.unwrap(),
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::PayloadTooLarge,
    )
    .await;
    assert_eq!(body.limit_bytes, Some(64 * 1024));

    // Nothing was stored: a smaller retry of the same instance is a fresh 201.
    let r = t
        .submit(None, &submission_xml(&id, "Siti", "a.jpg"), &[], false)
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
}

/// A stream of chunks without a known length (so the body goes out chunked).
fn futures_stream(
    chunks: Vec<Result<Vec<u8>, std::io::Error>>,
) -> impl futures_core::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    tokio_stream::iter(chunks)
}

async fn compressed_bodies_are_limited_after_decompression_too(backend: Backend) {
    let t = TestServer::start_with(backend, |c| c.limits.upload_chunk_bytes = 16 * 1024).await;
    let citizen = t.sign_in("081234567850").await;
    let upload: layanan_protocol::upload::UploadState = t
        .http
        .post(t.url("/v1/uploads"))
        .bearer_auth(&citizen.access_token)
        .json(&serde_json::json!({
            "instance_id": InstanceId::new_random().as_str(), "file_name": "a.jpg",
            "content_type": "image/jpeg", "total_size": 1_000_000,
            "sha256": sha256_hex(b"whatever"),
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // 1 MB of zeros gzips to about 1 KB: small on the wire, a bomb once inflated.
    let zeros = vec![0u8; 1_000_000];
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&zeros).unwrap();
    let wire = gz.finish().unwrap();
    assert!(wire.len() < 16 * 1024);
    let r = t
        .http
        .patch(t.url(&format!("/v1/uploads/{}", upload.upload_id)))
        .bearer_auth(&citizen.access_token)
        .header("Content-Encoding", "gzip")
        .header(layanan_protocol::upload::OFFSET_HEADER, "0")
        .header(
            layanan_protocol::upload::CHUNK_SHA256_HEADER,
            sha256_hex(&zeros),
        )
        .body(wire)
        .send()
        .await
        .unwrap();
    let body = error_body(r, StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge).await;
    assert_eq!(body.limit_bytes, Some(16 * 1024));
}

async fn gzip_and_zstd_requests_are_accepted(backend: Backend) {
    let t = TestServer::start(backend).await;
    for encoding in ["gzip", "zstd"] {
        let id = InstanceId::new_random();
        let plain = multipart(
            &submission_xml(&id, "Siti", "a.jpg"),
            &[("a.jpg", &[9u8; 4096])],
            false,
        );
        let wire = match encoding {
            "gzip" => {
                let mut gz =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                gz.write_all(&plain).unwrap();
                gz.finish().unwrap()
            }
            _ => zstd::encode_all(&plain[..], 3).unwrap(),
        };
        assert!(wire.len() < plain.len());
        let r = t
            .http
            .post(t.url("/submission"))
            .header(
                "Content-Type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .header("Content-Encoding", encoding)
            .body(wire)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "{encoding}");
    }
    let r = t
        .http
        .post(t.url("/submission"))
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header("Content-Encoding", "br")
        .body(vec![1u8, 2, 3])
        .send()
        .await
        .unwrap();
    error_body(
        r,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorCode::UnsupportedMediaType,
    )
    .await;

    let r = t.http.get(t.url("/no/such/path")).send().await.unwrap();
    error_body(r, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    let r = t.http.delete(t.url("/formList")).send().await.unwrap();
    error_body(
        r,
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::MethodNotAllowed,
    )
    .await;
    let r = t
        .http
        .post(t.url("/v1/auth/sign-in"))
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    error_body(r, StatusCode::BAD_REQUEST, ErrorCode::BadRequest).await;
}

async fn too_many_requests_get_429_with_retry_after(backend: Backend) {
    let t = TestServer::start_with(backend, |c| c.limits.requests_per_minute = 5).await;
    for _ in 0..5 {
        let r = t.http.get(t.url("/formList")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
    let r = t.http.get(t.url("/formList")).send().await.unwrap();
    let retry_after: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after));
    let body = error_body(r, StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited).await;
    assert_eq!(body.retry_after_secs, Some(retry_after));
}

async fn too_many_codes_for_one_phone_get_429(backend: Backend) {
    let t = TestServer::start_with(backend, |c| c.limits.sign_ins_per_hour = 2).await;
    let send = |phone: &'static str| {
        t.http
            .post(t.url("/v1/auth/sign-in"))
            .json(&serde_json::json!({ "phone": phone }))
            .send()
    };
    assert_eq!(
        send("081234567851").await.unwrap().status(),
        StatusCode::CREATED
    );
    assert_eq!(
        send("+6281234567851").await.unwrap().status(),
        StatusCode::CREATED
    );
    let r = send("0812-3456-7851").await.unwrap();
    assert!(r.headers().contains_key("retry-after"));
    let body = error_body(r, StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited).await;
    assert!(!body.message.contains("7851"));
    assert_eq!(
        send("081234567852").await.unwrap().status(),
        StatusCode::CREATED
    );
}

async fn behind_a_proxy_each_client_address_has_its_own_budget(backend: Backend) {
    let t = TestServer::start_with(backend, |c| {
        c.limits.requests_per_minute = 2;
        c.trust_forwarded_for = true;
    })
    .await;
    let get = |xff: &'static str| {
        t.http
            .get(t.url("/formList"))
            .header("X-Forwarded-For", xff)
            .send()
    };
    for _ in 0..2 {
        assert_eq!(
            get("10.0.0.1, 203.0.113.7").await.unwrap().status(),
            StatusCode::OK
        );
    }
    let limited = get("10.0.0.9, 203.0.113.7").await.unwrap();
    assert_eq!(
        limited.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "keyed on the last hop"
    );
    assert_eq!(get("203.0.113.8").await.unwrap().status(), StatusCode::OK);
}

async fn answers_are_compressed_when_asked(backend: Backend) {
    let t = TestServer::start(backend).await;
    let plain = t.http.get(t.url("/formList")).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    let plain = plain.bytes().await.unwrap();
    let zipped = t
        .http
        .get(t.url("/formList"))
        .header("Accept-Encoding", "zstd")
        .send()
        .await
        .unwrap();
    assert_eq!(zipped.headers()["content-encoding"], "zstd");
    let wire = zipped.bytes().await.unwrap();
    assert!(wire.len() < plain.len());
    assert_eq!(zstd::decode_all(&wire[..]).unwrap(), plain.to_vec());

    // Error bodies too, and they still decode to the structured error.
    let refused = t
        .http
        .get(t.url("/v1/status"))
        .header("Accept-Encoding", "zstd")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let encoding = refused.headers().get("content-encoding").cloned();
    let wire = refused.bytes().await.unwrap();
    let json = match encoding {
        Some(e) if e == "zstd" => zstd::decode_all(&wire[..]).unwrap(),
        _ => wire.to_vec(),
    };
    let body: layanan_protocol::ErrorBody = serde_json::from_slice(&json).unwrap();
    assert_eq!(body.code, ErrorCode::Unauthorized);
}
