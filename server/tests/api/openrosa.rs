//! OpenRosa 1.0 behaviour: form list, download, manifest, HEAD and POST submission,
//! dedupe on instanceID, split submissions.

use layanan_protocol::{openrosa, ErrorCode, InstanceId, SignedReceipt, SubmissionAccepted};
use reqwest::StatusCode;

use crate::both_backends;
use crate::common::*;

both_backends!(
    form_list_download_and_manifest,
    head_submission_announces_the_size_limit,
    same_submission_twice_is_one_copy_with_one_receipt,
    reused_instance_id_with_other_content_is_a_conflict,
    split_submission_completes_across_posts,
    invalid_or_unknown_submissions_are_refused_with_a_reason,
    attachment_with_same_name_and_other_content_conflicts,
    plain_openrosa_client_gets_xml_and_the_receipt_header,
    concurrent_retries_of_one_submission_store_it_once,
    two_server_processes_on_one_database_store_once_and_share_sessions,
    the_answer_is_lost_after_the_commit_and_the_retry_is_a_duplicate,
    a_submission_split_by_the_shared_planner_fits_the_announced_limit,
    a_retry_stays_a_duplicate_after_the_form_is_withdrawn,
);

async fn form_list_download_and_manifest(backend: Backend) {
    let t = TestServer::start(backend).await;
    let response = t
        .http
        .get(t.url("/formList"))
        .header("X-OpenRosa-Version", "1.0")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[openrosa::VERSION_HEADER], "1.0");
    let list = response.text().await.unwrap();
    assert!(list.contains("<formID>domisili</formID>"), "{list}");
    assert!(list.contains("<version>2024061201</version>"));
    assert!(list.contains("<name>Surat Keterangan Domisili</name>"));
    assert!(list.contains("<hash>md5:"));
    let doc = roxmltree::Document::parse(&list).unwrap();
    let text_of = |tag: &str| {
        doc.descendants()
            .find(|n| n.tag_name().name() == tag)
            .and_then(|n| n.text())
            .unwrap()
            .to_owned()
    };
    let form = t.http.get(text_of("downloadUrl")).send().await.unwrap();
    assert_eq!(form.status(), StatusCode::OK);
    assert_eq!(form.headers()[openrosa::VERSION_HEADER], "1.0");
    assert_eq!(form.text().await.unwrap(), FORM_XML);

    let manifest = t
        .http
        .get(text_of("manifestUrl"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        manifest.contains("<filename>logo.png</filename>"),
        "{manifest}"
    );
    let mdoc = roxmltree::Document::parse(&manifest).unwrap();
    let media_url = mdoc
        .descendants()
        .find(|n| n.tag_name().name() == "downloadUrl")
        .and_then(|n| n.text())
        .unwrap();
    let media = t.http.get(media_url).send().await.unwrap();
    assert_eq!(media.bytes().await.unwrap().as_ref(), b"\x89PNG not really");

    let missing = t.http.get(t.url("/forms/nope")).send().await.unwrap();
    error_body(missing, StatusCode::NOT_FOUND, ErrorCode::UnknownForm).await;
}

async fn head_submission_announces_the_size_limit(backend: Backend) {
    let t = TestServer::start_with(backend, |c| c.limits.submission_bytes = 123_456).await;
    let response = t.http.head(t.url("/submission")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(response.headers()[openrosa::VERSION_HEADER], "1.0");
    assert_eq!(
        response.headers()[openrosa::ACCEPT_CONTENT_LENGTH_HEADER],
        "123456"
    );
}

async fn same_submission_twice_is_one_copy_with_one_receipt(backend: Backend) {
    let t = TestServer::start(backend).await;
    let citizen = t.sign_in("081234567801").await;
    let id = InstanceId::new_random();
    let xml = submission_xml(&id, "Siti Rahayu", "ktp.jpg");
    let photo = vec![7u8; 10_000];

    let first = t
        .submit(
            Some(&citizen.access_token),
            &xml,
            &[("ktp.jpg", &photo)],
            false,
        )
        .await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: SubmissionAccepted = first.json().await.unwrap();
    assert!(!first.duplicate && first.complete);
    let receipt = &first.receipt.receipt;
    assert_eq!(receipt.instance_id, id.as_str());
    assert_eq!(receipt.form_id, "domisili");
    assert_eq!(receipt.form_version, "2024061201");
    assert!(first.receipt.covers(id.as_str(), xml.as_bytes()));
    // The device verifies offline with the key it pinned, or fetched once.
    let published: layanan_protocol::AgencyPublicKey = t
        .http
        .get(t.url("/v1/agency-key"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(&published, t.key());
    published.verify(&first.receipt).unwrap();

    // The response was "lost": the device sends the same thing again.
    let again = t
        .submit(
            Some(&citizen.access_token),
            &xml,
            &[("ktp.jpg", &photo)],
            false,
        )
        .await;
    assert_eq!(again.status(), StatusCode::ACCEPTED);
    let again: SubmissionAccepted = again.json().await.unwrap();
    assert!(again.duplicate);
    assert_eq!(again.receipt, first.receipt);

    let list: Vec<layanan_protocol::SubmissionSummary> = t
        .get_as(&citizen.access_token, "/v1/submissions")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    let stored: SignedReceipt = t
        .get_as(
            &citizen.access_token,
            &format!("/v1/submissions/{}/receipt", id.as_str()),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stored, first.receipt);
}

async fn reused_instance_id_with_other_content_is_a_conflict(backend: Backend) {
    let t = TestServer::start(backend).await;
    let id = InstanceId::new_random();
    let created = t
        .submit(None, &submission_xml(&id, "Siti", "a.jpg"), &[], false)
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let conflict = t
        .submit(None, &submission_xml(&id, "Budi", "a.jpg"), &[], false)
        .await;
    let body = error_body(
        conflict,
        StatusCode::CONFLICT,
        ErrorCode::InstanceIdConflict,
    )
    .await;
    assert!(!body.message.contains("Budi") && !body.message_en.contains("Budi"));
}

async fn split_submission_completes_across_posts(backend: Backend) {
    let t = TestServer::start(backend).await;
    let citizen = t.sign_in("081234567802").await;
    let token = Some(citizen.access_token.as_str());
    let id = InstanceId::new_random();
    let xml = submission_xml(&id, "Siti", "a.jpg");

    let part1 = t
        .submit(token, &xml, &[("a.jpg", b"first photo")], true)
        .await;
    assert_eq!(part1.status(), StatusCode::CREATED);
    let part1: SubmissionAccepted = part1.json().await.unwrap();
    assert!(!part1.complete);

    let part2 = t
        .submit(token, &xml, &[("b.jpg", b"second photo")], false)
        .await;
    assert_eq!(part2.status(), StatusCode::CREATED);
    let part2: SubmissionAccepted = part2.json().await.unwrap();
    assert!(part2.complete && !part2.duplicate);
    assert_eq!(part2.receipt, part1.receipt);

    let retry = t
        .submit(token, &xml, &[("b.jpg", b"second photo")], false)
        .await;
    assert_eq!(retry.status(), StatusCode::ACCEPTED);

    let detail: layanan_protocol::SubmissionSummary = t
        .get_as(
            &citizen.access_token,
            &format!("/v1/submissions/{}", id.as_str()),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(detail.complete);
    assert_eq!(detail.attachments, vec!["a.jpg", "b.jpg"]);
}

async fn invalid_or_unknown_submissions_are_refused_with_a_reason(backend: Backend) {
    let t = TestServer::start(backend).await;
    let broken = t
        .submit(None, "<data id=\"domisili\"><nama>Siti</data>", &[], false)
        .await;
    let body = error_body(
        broken,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::InvalidSubmission,
    )
    .await;
    assert!(body.message_en.contains("well-formed"), "{body:?}");
    assert!(!body.message.contains("Siti"));

    let no_id = t
        .submit(
            None,
            "<data id=\"domisili\"><nama>Siti</nama></data>",
            &[],
            false,
        )
        .await;
    let body = error_body(
        no_id,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::InvalidSubmission,
    )
    .await;
    assert!(body.message_en.contains("instanceID"), "{body:?}");

    // The forms engine refuses what the phone would: a required answer is missing.
    let empty_name = t
        .submit(
            None,
            &submission_xml(&InstanceId::new_random(), "", "a.jpg"),
            &[],
            false,
        )
        .await;
    let body = error_body(
        empty_name,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::InvalidSubmission,
    )
    .await;
    assert_eq!(body.fields.len(), 1, "{body:?}");
    assert_eq!(body.fields[0].path, "/data/nama");
    assert_eq!(body.fields[0].kind, "required");

    let other_form = submission_xml(&InstanceId::new_random(), "Siti", "a.jpg")
        .replace("id=\"domisili\"", "id=\"tidak_ada\"");
    let unknown = t.submit(None, &other_form, &[], false).await;
    error_body(unknown, StatusCode::NOT_FOUND, ErrorCode::UnknownForm).await;

    let no_xml = t
        .http
        .post(t.url("/submission"))
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(encode_parts(&[Part {
            name: "a.jpg",
            file_name: Some("a.jpg"),
            content_type: "image/jpeg",
            bytes: b"x",
        }]))
        .send()
        .await
        .unwrap();
    error_body(no_xml, StatusCode::BAD_REQUEST, ErrorCode::BadRequest).await;
}

async fn attachment_with_same_name_and_other_content_conflicts(backend: Backend) {
    let t = TestServer::start(backend).await;
    let id = InstanceId::new_random();
    let xml = submission_xml(&id, "Siti", "a.jpg");
    let first = t.submit(None, &xml, &[("a.jpg", b"one")], true).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let second = t.submit(None, &xml, &[("a.jpg", b"two")], false).await;
    error_body(second, StatusCode::CONFLICT, ErrorCode::AttachmentConflict).await;
}

async fn plain_openrosa_client_gets_xml_and_the_receipt_header(backend: Backend) {
    let t = TestServer::start(backend).await;
    let id = InstanceId::new_random();
    let response = t
        .http
        .post(t.url("/submission"))
        .header("X-OpenRosa-Version", "1.0")
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(multipart(&submission_xml(&id, "Siti", "a.jpg"), &[], false))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()[openrosa::VERSION_HEADER], "1.0");
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/xml"));
    let receipt = SignedReceipt::from_header_value(
        response.headers()[openrosa::RECEIPT_HEADER]
            .to_str()
            .unwrap(),
    )
    .unwrap();
    t.key().verify(&receipt).unwrap();
    let body = response.text().await.unwrap();
    assert!(body.contains("OpenRosaResponse") && body.contains("submit_success"));
}

async fn concurrent_retries_of_one_submission_store_it_once(backend: Backend) {
    let t = std::sync::Arc::new(TestServer::start(backend).await);
    let citizen = t.sign_in("081234567803").await;
    let id = InstanceId::new_random();
    let xml = submission_xml(&id, "Siti", "a.jpg");
    let mut tasks = Vec::new();
    for _ in 0..12 {
        let (t, xml, token) = (t.clone(), xml.clone(), citizen.access_token.clone());
        tasks.push(tokio::spawn(async move {
            let r = t
                .submit(Some(&token), &xml, &[("a.jpg", b"photo")], false)
                .await;
            let status = r.status();
            let body: SubmissionAccepted = r.json().await.unwrap();
            (status, body.receipt)
        }));
    }
    let mut created = 0;
    let mut receipts = Vec::new();
    for task in tasks {
        let (status, receipt) = task.await.unwrap();
        assert!(openrosa::is_accepted_status(status.as_u16()), "{status}");
        if status == StatusCode::CREATED {
            created += 1;
        }
        receipts.push(receipt);
    }
    assert_eq!(created, 1, "exactly one request stored it");
    assert!(
        receipts.windows(2).all(|w| w[0] == w[1]),
        "one receipt for all"
    );
    let list: Vec<layanan_protocol::SubmissionSummary> = t
        .get_as(&citizen.access_token, "/v1/submissions")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    let feed: layanan_protocol::StatusFeedPage = t
        .get_as(&citizen.access_token, "/v1/status")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(feed.entries.len(), 1, "one received entry");
}

async fn two_server_processes_on_one_database_store_once_and_share_sessions(backend: Backend) {
    let t = TestServer::start(backend).await;
    let peer = t.peer().await;
    assert_eq!(
        peer.agency_public_key(),
        t.key(),
        "processes share the agency key"
    );
    // Signed in through one process, the token works on the other.
    let citizen = t.sign_in("081234567804").await;
    let id = InstanceId::new_random();
    let xml = submission_xml(&id, "Siti", "a.jpg");
    let mut tasks = Vec::new();
    for i in 0..8 {
        let url = if i % 2 == 0 {
            t.url("/submission")
        } else {
            format!("{}/submission", peer.base_url())
        };
        let (http, xml, token) = (t.http.clone(), xml.clone(), citizen.access_token.clone());
        tasks.push(tokio::spawn(async move {
            let r = http
                .post(url)
                .bearer_auth(token)
                .header("Accept", "application/json")
                .header(
                    "Content-Type",
                    format!("multipart/form-data; boundary={BOUNDARY}"),
                )
                .body(multipart(&xml, &[("a.jpg", b"photo")], false))
                .send()
                .await
                .unwrap();
            let status = r.status();
            (
                status,
                r.json::<SubmissionAccepted>().await.unwrap().receipt,
            )
        }));
    }
    let mut created = 0;
    let mut receipts = Vec::new();
    for task in tasks {
        let (status, receipt) = task.await.unwrap();
        assert!(openrosa::is_accepted_status(status.as_u16()));
        created += usize::from(status == StatusCode::CREATED);
        receipts.push(receipt);
    }
    assert_eq!(created, 1);
    assert!(receipts.windows(2).all(|w| w[0] == w[1]));
    t.key().verify(&receipts[0]).unwrap();

    // The officer works on one process; the citizen reads the feed from the other.
    let r = t
        .http
        .post(format!(
            "{}/v1/officer/submissions/{}/status",
            peer.base_url(),
            id.as_str()
        ))
        .bearer_auth(OFFICER_TOKEN)
        .json(&serde_json::json!({ "state": "in_review" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let feed: layanan_protocol::StatusFeedPage = t
        .get_as(&citizen.access_token, "/v1/status")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(feed.entries.len(), 2);
    peer.shutdown().await.unwrap();
}

async fn the_answer_is_lost_after_the_commit_and_the_retry_is_a_duplicate(backend: Backend) {
    use tokio::io::AsyncWriteExt;

    let t = TestServer::start(backend).await;
    let citizen = t.sign_in("081234567805").await;
    let id = InstanceId::new_random();
    let xml = submission_xml(&id, "Siti", "a.jpg");
    let body = multipart(&xml, &[("a.jpg", b"photo")], false);
    // The whole request goes out; the link dies before a byte of the answer comes back.
    let mut stream = tokio::net::TcpStream::connect(t.server.addr())
        .await
        .unwrap();
    let head = format!(
        "POST /submission HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {}\r\n\r\n",
        t.server.addr(),
        citizen.access_token,
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body).await.unwrap();
    stream.flush().await.unwrap();
    let receipt_path = format!("/v1/submissions/{}/receipt", id.as_str());
    let mut stored = None;
    for _ in 0..200 {
        let r = t.get_as(&citizen.access_token, &receipt_path).await;
        if r.status() == StatusCode::OK {
            stored = Some(r.json::<SignedReceipt>().await.unwrap());
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    drop(stream);
    let stored = stored.expect("the server committed");

    // The phone never saw the 201 and sends again: one copy, the same receipt.
    let retry = t
        .submit(
            Some(&citizen.access_token),
            &xml,
            &[("a.jpg", b"photo")],
            false,
        )
        .await;
    assert_eq!(retry.status(), StatusCode::ACCEPTED);
    let retry: SubmissionAccepted = retry.json().await.unwrap();
    assert!(retry.duplicate);
    assert_eq!(retry.receipt, stored);
    let list: Vec<layanan_protocol::SubmissionSummary> = t
        .get_as(&citizen.access_token, "/v1/submissions")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
}

async fn a_submission_split_by_the_shared_planner_fits_the_announced_limit(backend: Backend) {
    use layanan_protocol::multipart::{self, AttachmentSize, Part};

    let t = TestServer::start_with(backend, |c| c.limits.submission_bytes = 20_000).await;
    let head = t.http.head(t.url("/submission")).send().await.unwrap();
    let limit: u64 = head.headers()[openrosa::ACCEPT_CONTENT_LENGTH_HEADER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let id = InstanceId::new_random();
    let xml = submission_xml(&id, "Siti", "a.jpg");
    let photos: Vec<(String, Vec<u8>)> = (0..4)
        .map(|i| (format!("p{i}.jpg"), vec![i as u8; 8000]))
        .collect();
    let sizes: Vec<AttachmentSize<'_>> = photos
        .iter()
        .map(|(name, bytes)| AttachmentSize {
            file_name: name,
            content_type: "image/jpeg",
            len: bytes.len(),
        })
        .collect();
    let boundary = multipart::boundary_for(id.as_str());
    let plan = multipart::plan_posts(&boundary, xml.len(), &sizes, limit).unwrap();
    assert!(plan.len() >= 2, "{plan:?}");
    let mut receipts = Vec::new();
    for (n, post) in plan.iter().enumerate() {
        let mut parts = vec![Part {
            name: openrosa::XML_SUBMISSION_FILE,
            file_name: Some("submission.xml"),
            content_type: "text/xml",
            bytes: xml.as_bytes(),
        }];
        for &i in post {
            parts.push(Part {
                name: &photos[i].0,
                file_name: Some(&photos[i].0),
                content_type: "image/jpeg",
                bytes: &photos[i].1,
            });
        }
        if n + 1 < plan.len() {
            parts.push(multipart::incomplete_part());
        }
        let body = multipart::encode(&boundary, &parts);
        assert!(body.len() as u64 <= limit);
        let r = t
            .http
            .post(t.url("/submission"))
            .header("Accept", "application/json")
            .header("Content-Type", multipart::content_type(&boundary))
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "post {n}");
        let accepted: SubmissionAccepted = r.json().await.unwrap();
        assert_eq!(accepted.complete, n + 1 == plan.len());
        receipts.push(accepted.receipt);
    }
    assert!(receipts.windows(2).all(|w| w[0] == w[1]));
    let detail: layanan_protocol::SubmissionSummary = t
        .http
        .get(t.url(&format!("/v1/officer/submissions/{}", id.as_str())))
        .bearer_auth(OFFICER_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(detail.complete);
    assert_eq!(
        detail.attachments,
        vec!["p0.jpg", "p1.jpg", "p2.jpg", "p3.jpg"]
    );
}

async fn a_retry_stays_a_duplicate_after_the_form_is_withdrawn(backend: Backend) {
    let t = TestServer::start(backend).await;
    let id = InstanceId::new_random();
    let xml = submission_xml(&id, "Siti", "a.jpg");
    assert_eq!(
        t.submit(None, &xml, &[], false).await.status(),
        StatusCode::CREATED
    );
    // The agency withdraws the form while the phone still waits for its answer.
    std::fs::remove_file(t.dir.path().join("forms/domisili.xml")).unwrap();
    let retry = t.submit(None, &xml, &[], false).await;
    assert_eq!(
        retry.status(),
        StatusCode::ACCEPTED,
        "delivered stays delivered"
    );
    // A new submission of the withdrawn form is refused.
    let other = submission_xml(&InstanceId::new_random(), "Siti", "a.jpg");
    let refused = t.submit(None, &other, &[], false).await;
    error_body(refused, StatusCode::NOT_FOUND, ErrorCode::UnknownForm).await;
}
