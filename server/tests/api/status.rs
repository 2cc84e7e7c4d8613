//! Status feed with a cursor, and the officer endpoint that moves submissions.

use layanan_protocol::{ErrorCode, InstanceId, StatusEntry, StatusFeedPage, SubmissionState};
use reqwest::StatusCode;

use crate::both_backends;
use crate::common::*;

both_backends!(
    officer_moves_a_submission_and_the_citizen_pulls_it_by_cursor,
    only_the_officer_token_moves_states_and_only_allowed_moves,
    feed_pages_say_when_more_is_waiting,
    officers_list_and_read_what_citizens_sent,
);

async fn officer(
    t: &TestServer,
    token: &str,
    id: &InstanceId,
    state: &str,
    note: Option<&str>,
) -> reqwest::Response {
    t.http
        .post(t.url(&format!("/v1/officer/submissions/{}/status", id.as_str())))
        .bearer_auth(token)
        .json(&serde_json::json!({ "state": state, "note": note }))
        .send()
        .await
        .unwrap()
}

async fn feed(t: &TestServer, token: &str, cursor: Option<&str>) -> StatusFeedPage {
    let mut path = "/v1/status".to_owned();
    if let Some(c) = cursor {
        path.push_str(&format!("?cursor={c}"));
    }
    let r = t.get_as(token, &path).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

async fn officer_moves_a_submission_and_the_citizen_pulls_it_by_cursor(backend: Backend) {
    let t = TestServer::start(backend).await;
    let citizen = t.sign_in("081234567830").await;
    let token = citizen.access_token.as_str();
    let (a, b) = (InstanceId::new_random(), InstanceId::new_random());
    for id in [&a, &b] {
        let r = t
            .submit(
                Some(token),
                &submission_xml(id, "Siti", "x.jpg"),
                &[],
                false,
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let page = feed(&t, token, None).await;
    assert_eq!(page.entries.len(), 2);
    assert!(page
        .entries
        .iter()
        .all(|e| e.state == SubmissionState::Received));
    assert_eq!(page.entries[0].form_id, "domisili");
    assert!(!page.has_more);

    // Nothing new: the same cursor comes back with nothing.
    let empty = feed(&t, token, Some(&page.next_cursor)).await;
    assert!(empty.entries.is_empty());
    assert_eq!(empty.next_cursor, page.next_cursor);

    let r = officer(&t, OFFICER_TOKEN, &a, "in_review", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    let note = "Foto KTP buram, mohon unggah ulang.";
    let r = officer(&t, OFFICER_TOKEN, &a, "needs_fix", Some(note)).await;
    let entry: StatusEntry = r.json().await.unwrap();
    assert_eq!(entry.state, SubmissionState::NeedsFix);

    let next = feed(&t, token, Some(&page.next_cursor)).await;
    let states: Vec<_> = next.entries.iter().map(|e| e.state).collect();
    assert_eq!(
        states,
        vec![SubmissionState::InReview, SubmissionState::NeedsFix]
    );
    assert!(next.entries.iter().all(|e| e.instance_id == a.as_str()));
    assert_eq!(next.entries[1].note.as_deref(), Some(note));

    for (state, expect) in [("in_review", StatusCode::OK), ("approved", StatusCode::OK)] {
        assert_eq!(
            officer(&t, OFFICER_TOKEN, &a, state, None).await.status(),
            expect
        );
    }
    let detail: layanan_protocol::SubmissionSummary = t
        .get_as(token, &format!("/v1/submissions/{}", a.as_str()))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail.state, SubmissionState::Approved);
    let rejected = officer(
        &t,
        OFFICER_TOKEN,
        &b,
        "rejected",
        Some("Bukan wilayah kami."),
    )
    .await;
    assert_eq!(rejected.status(), StatusCode::OK);
    let last = feed(&t, token, Some(&next.next_cursor)).await;
    let states: Vec<_> = last.entries.iter().map(|e| e.state).collect();
    assert_eq!(
        states,
        vec![
            SubmissionState::InReview,
            SubmissionState::Approved,
            SubmissionState::Rejected
        ]
    );
}

async fn only_the_officer_token_moves_states_and_only_allowed_moves(backend: Backend) {
    let t = TestServer::start(backend).await;
    let citizen = t.sign_in("081234567831").await;
    let id = InstanceId::new_random();
    t.submit(
        Some(&citizen.access_token),
        &submission_xml(&id, "Siti", "x.jpg"),
        &[],
        false,
    )
    .await;

    let as_citizen = officer(&t, &citizen.access_token, &id, "approved", None).await;
    error_body(as_citizen, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
    let no_token = t
        .http
        .post(t.url(&format!("/v1/officer/submissions/{}/status", id.as_str())))
        .json(&serde_json::json!({ "state": "approved" }))
        .send()
        .await
        .unwrap();
    error_body(no_token, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;

    let skip = officer(&t, OFFICER_TOKEN, &id, "approved", None).await;
    error_body(skip, StatusCode::CONFLICT, ErrorCode::InvalidTransition).await;
    let unknown = officer(
        &t,
        OFFICER_TOKEN,
        &InstanceId::new_random(),
        "in_review",
        None,
    )
    .await;
    error_body(unknown, StatusCode::NOT_FOUND, ErrorCode::NotFound).await;
    let bad_state = officer(&t, OFFICER_TOKEN, &id, "lost", None).await;
    assert!(bad_state.status().is_client_error());
    assert_eq!(bad_state.headers()["content-type"], "application/json");

    assert_eq!(
        officer(&t, OFFICER_TOKEN, &id, "rejected", None)
            .await
            .status(),
        StatusCode::OK
    );
    // Final means final.
    let undo = officer(&t, OFFICER_TOKEN, &id, "in_review", None).await;
    error_body(undo, StatusCode::CONFLICT, ErrorCode::InvalidTransition).await;
}

async fn feed_pages_say_when_more_is_waiting(backend: Backend) {
    let t = TestServer::start_with(backend, |c| c.limits.status_page_size = 2).await;
    let citizen = t.sign_in("081234567832").await;
    let token = citizen.access_token.as_str();
    for _ in 0..5 {
        let id = InstanceId::new_random();
        t.submit(
            Some(token),
            &submission_xml(&id, "Siti", "x.jpg"),
            &[],
            false,
        )
        .await;
    }
    let mut cursor: Option<String> = None;
    let mut seen = Vec::new();
    loop {
        let page = feed(&t, token, cursor.as_deref()).await;
        assert!(page.entries.len() <= 2);
        seen.extend(page.entries.iter().map(|e| e.instance_id.clone()));
        cursor = Some(page.next_cursor);
        if !page.has_more {
            break;
        }
    }
    assert_eq!(seen.len(), 5);
    let bad = t.get_as(token, "/v1/status?cursor=zzz").await;
    error_body(bad, StatusCode::BAD_REQUEST, ErrorCode::BadRequest).await;
}

async fn officers_list_and_read_what_citizens_sent(backend: Backend) {
    let t = TestServer::start(backend).await;
    let citizen = t.sign_in("081234567833").await;
    let (a, b) = (InstanceId::new_random(), InstanceId::new_random());
    let xml_a = submission_xml(&a, "Siti", "ktp.jpg");
    let photo = vec![42u8; 3000];
    t.submit(
        Some(&citizen.access_token),
        &xml_a,
        &[("ktp.jpg", &photo)],
        false,
    )
    .await;
    t.submit(None, &submission_xml(&b, "Budi", "x.jpg"), &[], false)
        .await;
    assert_eq!(
        officer(&t, OFFICER_TOKEN, &b, "in_review", None)
            .await
            .status(),
        StatusCode::OK
    );

    let get =
        |path: String, token: &'static str| t.http.get(t.url(&path)).bearer_auth(token).send();
    let all: Vec<layanan_protocol::SubmissionSummary> =
        get("/v1/officer/submissions".into(), OFFICER_TOKEN)
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert_eq!(all.len(), 2);
    let received: Vec<layanan_protocol::SubmissionSummary> = get(
        "/v1/officer/submissions?state=received".into(),
        OFFICER_TOKEN,
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].instance_id, a.as_str());

    let detail: layanan_protocol::SubmissionSummary = get(
        format!("/v1/officer/submissions/{}", a.as_str()),
        OFFICER_TOKEN,
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(detail.attachments, vec!["ktp.jpg"]);
    let xml = get(
        format!("/v1/officer/submissions/{}/xml", a.as_str()),
        OFFICER_TOKEN,
    )
    .await
    .unwrap()
    .text()
    .await
    .unwrap();
    assert_eq!(xml, xml_a);
    let bytes = get(
        format!("/v1/officer/submissions/{}/attachments/ktp.jpg", a.as_str()),
        OFFICER_TOKEN,
    )
    .await
    .unwrap()
    .bytes()
    .await
    .unwrap();
    assert_eq!(bytes.as_ref(), photo.as_slice());

    let leaked = t
        .get_as(
            &citizen.access_token,
            &format!("/v1/officer/submissions/{}/xml", a.as_str()),
        )
        .await;
    error_body(leaked, StatusCode::FORBIDDEN, ErrorCode::Forbidden).await;
}
