//! Sign-in by phone and one-time code, token expiry, refresh rotation and reuse
//! detection.

use std::time::Duration;

use layanan_protocol::auth::{SignInStarted, TokenPair};
use layanan_protocol::ErrorCode;
use reqwest::StatusCode;

use crate::both_backends;
use crate::common::*;

both_backends!(
    refresh_rotates_and_reuse_revokes_the_whole_family,
    wrong_codes_burn_the_challenge_and_codes_work_once,
    expired_access_token_is_told_apart_from_a_bad_one,
    same_phone_in_any_spelling_is_one_citizen,
    a_refresh_retried_after_a_lost_answer_is_not_theft,
    sign_out_ends_the_session_on_a_shared_phone,
);

async fn start_sign_in(t: &TestServer, phone: &str) -> SignInStarted {
    let response = t
        .http
        .post(t.url("/v1/auth/sign-in"))
        .json(&serde_json::json!({ "phone": phone }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

async fn verify(t: &TestServer, challenge: &str, code: &str) -> reqwest::Response {
    t.http
        .post(t.url("/v1/auth/verify"))
        .json(&serde_json::json!({ "challenge_id": challenge, "code": code }))
        .send()
        .await
        .unwrap()
}

async fn refresh(t: &TestServer, token: &str) -> reqwest::Response {
    t.http
        .post(t.url("/v1/auth/refresh"))
        .json(&serde_json::json!({ "refresh_token": token }))
        .send()
        .await
        .unwrap()
}

async fn refresh_rotates_and_reuse_revokes_the_whole_family(backend: Backend) {
    let t =
        TestServer::start_with(backend, |c| c.limits.refresh_reuse_grace = Duration::ZERO).await;
    let first = t.sign_in("081234567810").await;
    assert_eq!(first.token_type, "Bearer");
    assert_eq!(
        t.get_as(&first.access_token, "/v1/submissions")
            .await
            .status(),
        StatusCode::OK
    );

    let response = refresh(&t, &first.refresh_token).await;
    assert_eq!(response.status(), StatusCode::OK);
    let second: TokenPair = response.json().await.unwrap();
    assert_ne!(second.refresh_token, first.refresh_token);
    assert_ne!(second.access_token, first.access_token);
    assert_eq!(second.citizen_id, first.citizen_id);
    assert_eq!(
        t.get_as(&second.access_token, "/v1/submissions")
            .await
            .status(),
        StatusCode::OK
    );

    // A thief replays the spent refresh token: the whole family dies.
    let reuse = refresh(&t, &first.refresh_token).await;
    error_body(
        reuse,
        StatusCode::UNAUTHORIZED,
        ErrorCode::RefreshTokenReused,
    )
    .await;
    let after = refresh(&t, &second.refresh_token).await;
    error_body(after, StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized).await;
    let revoked = t.get_as(&second.access_token, "/v1/submissions").await;
    error_body(revoked, StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized).await;

    // Signing in again starts a fresh family for the same citizen.
    let again = t.sign_in("081234567810").await;
    assert_eq!(again.citizen_id, first.citizen_id);
}

async fn wrong_codes_burn_the_challenge_and_codes_work_once(backend: Backend) {
    let t = TestServer::start_with(backend, |c| c.limits.otp_max_attempts = 3).await;
    let phone = "081234567811";
    let started = start_sign_in(&t, phone).await;
    assert_eq!(started.code_length, 6);
    let code = t.otp.last_code_for(phone);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..3 {
        let r = verify(&t, &started.challenge_id, wrong).await;
        let body = error_body(r, StatusCode::UNAUTHORIZED, ErrorCode::InvalidCode).await;
        assert!(!body.message.contains(wrong));
    }
    // Even the right code no longer works: guessing is capped.
    let burned = verify(&t, &started.challenge_id, &code).await;
    error_body(burned, StatusCode::GONE, ErrorCode::ChallengeExpired).await;

    let started = start_sign_in(&t, phone).await;
    let code = t.otp.last_code_for(phone);
    assert_eq!(
        verify(&t, &started.challenge_id, &code).await.status(),
        StatusCode::OK
    );
    let replay = verify(&t, &started.challenge_id, &code).await;
    error_body(replay, StatusCode::GONE, ErrorCode::ChallengeExpired).await;

    let bad_phone = t
        .http
        .post(t.url("/v1/auth/sign-in"))
        .json(&serde_json::json!({ "phone": "021-555-1234" }))
        .send()
        .await
        .unwrap();
    let body = error_body(bad_phone, StatusCode::BAD_REQUEST, ErrorCode::InvalidPhone).await;
    assert!(!body.message.contains("555"));
}

async fn expired_access_token_is_told_apart_from_a_bad_one(backend: Backend) {
    let t = TestServer::start_with(backend, |c| {
        c.limits.access_token_ttl = Duration::ZERO;
    })
    .await;
    let pair = t.sign_in("081234567812").await;
    let expired = t.get_as(&pair.access_token, "/v1/submissions").await;
    error_body(expired, StatusCode::UNAUTHORIZED, ErrorCode::TokenExpired).await;
    let bogus = t.get_as("lyn_at_bogus", "/v1/submissions").await;
    error_body(bogus, StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized).await;
    let none = t.http.get(t.url("/v1/status")).send().await.unwrap();
    error_body(none, StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized).await;
    // The refresh token still trades for a working pair.
    let fresh: TokenPair = refresh(&t, &pair.refresh_token).await.json().await.unwrap();
    assert_eq!(fresh.citizen_id, pair.citizen_id);
}

async fn same_phone_in_any_spelling_is_one_citizen(backend: Backend) {
    let t = TestServer::start(backend).await;
    let a = t.sign_in("0812-3456-7813").await;
    let b = t.sign_in("+62 812 3456 7813").await;
    let c = t.sign_in("081234567814").await;
    assert_eq!(a.citizen_id, b.citizen_id);
    assert_ne!(a.citizen_id, c.citizen_id);
    assert!(!a.citizen_id.contains("7813"));
}

async fn a_refresh_retried_after_a_lost_answer_is_not_theft(backend: Backend) {
    let t = TestServer::start(backend).await;
    let first = t.sign_in("081234567815").await;
    // The answer to this rotation is lost on the way to the phone...
    let lost: TokenPair = refresh(&t, &first.refresh_token)
        .await
        .json()
        .await
        .unwrap();
    // ...so the phone retries with the token it still holds, and is not punished.
    let response = refresh(&t, &first.refresh_token).await;
    assert_eq!(response.status(), StatusCode::OK);
    let second: TokenPair = response.json().await.unwrap();
    // The pair that never arrived is dead; the new one works.
    let r = t.get_as(&lost.access_token, "/v1/submissions").await;
    error_body(r, StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized).await;
    let r = refresh(&t, &lost.refresh_token).await;
    error_body(r, StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized).await;
    assert_eq!(
        t.get_as(&second.access_token, "/v1/submissions")
            .await
            .status(),
        StatusCode::OK
    );

    // Once the successor has been used, the old token is theft again.
    let third: TokenPair = refresh(&t, &second.refresh_token)
        .await
        .json()
        .await
        .unwrap();
    let replay = refresh(&t, &first.refresh_token).await;
    error_body(
        replay,
        StatusCode::UNAUTHORIZED,
        ErrorCode::RefreshTokenReused,
    )
    .await;
    let r = t.get_as(&third.access_token, "/v1/submissions").await;
    error_body(r, StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized).await;
}

async fn sign_out_ends_the_session_on_a_shared_phone(backend: Backend) {
    let t = TestServer::start(backend).await;
    let pair = t.sign_in("081234567816").await;
    let out = t
        .http
        .post(t.url("/v1/auth/sign-out"))
        .json(&serde_json::json!({ "refresh_token": pair.refresh_token }))
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let r = t.get_as(&pair.access_token, "/v1/submissions").await;
    error_body(r, StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized).await;
    let r = refresh(&t, &pair.refresh_token).await;
    error_body(r, StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized).await;
    // Signing out twice, or with garbage, answers the same.
    let again = t
        .http
        .post(t.url("/v1/auth/sign-out"))
        .json(&serde_json::json!({ "refresh_token": "nonsense" }))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NO_CONTENT);
    let health = t.http.get(t.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
}
