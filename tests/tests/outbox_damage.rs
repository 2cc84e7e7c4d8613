//! A photo damaged on the phone after it was finalized (a battery that died
//! mid-write, a storage card, a cleaner app) wedges only its own item, with a reason
//! the citizen can act on; the rest of the queue is delivered; re-attaching the photo
//! taken again sends the item, exactly once, byte for byte.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use layanan_device::sync::{SyncConfig, SyncEngine};
use layanan_device::{OutboxErrorCode, OutboxState};
use layanan_tests::e2e::{self, Backend, Device, E2eServer};

const PHONE: &str = "+6281200000042";
const PHOTO: usize = 150_000;

#[derive(Clone, Copy, Debug)]
enum Damage {
    Truncate,
    FlipByte,
    Delete,
}

fn damage(device: &Device, attachment_id: &str, how: Damage) {
    let file = device
        .dir
        .path()
        .join("attachments")
        .join(device.profile.id())
        .join(format!("{attachment_id}.lya"));
    match how {
        Damage::Truncate => {
            let raw = std::fs::read(&file).unwrap();
            std::fs::write(&file, &raw[..raw.len() * 2 / 3]).unwrap();
        }
        Damage::FlipByte => {
            let mut raw = std::fs::read(&file).unwrap();
            let at = raw.len() / 2;
            raw[at] ^= 0x20;
            std::fs::write(&file, &raw).unwrap();
        }
        Damage::Delete => std::fs::remove_file(&file).unwrap(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_photo_wedges_its_item_only_and_is_sent_after_reattach() {
    let server = E2eServer::start(Backend::Sqlite, |_| {}).await.unwrap();
    let device = Device::create().unwrap();
    let tokens = server.sign_in(PHONE).await.unwrap();
    device.save_session(&server.base_url(), &tokens).unwrap();
    let mut planned = Vec::new();
    for i in 0..6u64 {
        planned.push(
            e2e::enqueue(
                &device.profile,
                e2e::FORM_ID,
                &format!("Warga {i}"),
                &[(100 + i, PHOTO)],
            )
            .unwrap(),
        );
    }
    let damaged = [
        (1, Damage::Truncate),
        (3, Damage::FlipByte),
        (5, Damage::Delete),
    ];
    for (i, how) in damaged {
        let atts = device
            .profile
            .outbox()
            .attachments(&planned[i].instance_id)
            .unwrap();
        damage(&device, &atts[0].attachment_id, how);
    }
    let engine = SyncEngine::new(
        Arc::clone(&device.profile),
        &server.base_url(),
        server.agency_key().clone(),
        SyncConfig::default(),
    )
    .unwrap();

    // One run: the three good items go, the three damaged ones wedge; the run is
    // not stopped by them and says what each needs.
    let report = engine
        .sync_now(std::time::Duration::from_secs(120), None)
        .await
        .unwrap();
    assert_eq!((report.sent, report.wedged), (3, 3), "{report:?}");
    assert_eq!(report.stopped, None);
    assert_eq!(report.waiting.due_now, 0);
    assert_eq!(report.waiting.wedged.len(), 3);
    for (i, how) in damaged {
        let item = device
            .profile
            .outbox()
            .item(&planned[i].instance_id)
            .unwrap();
        assert_eq!(item.state, OutboxState::Wedged, "{how:?}");
        let error = item.error.unwrap();
        assert_eq!(error.code, OutboxErrorCode::AttachmentDamaged, "{how:?}");
        assert_eq!(error.file_name.as_deref(), Some(e2e::PHOTO_NAMES[0]));
        assert_eq!(error.question.as_deref(), Some("/data/foto_ktp"));
        assert!(
            error.message_en.contains("Retake the photo"),
            "{}",
            error.message_en
        );
        assert!(
            error.message.contains("Ambil ulang foto"),
            "{}",
            error.message
        );
        assert!(report
            .waiting
            .wedged
            .iter()
            .any(|w| w.instance_id == planned[i].instance_id && w.error == error));
    }
    for i in [0, 2, 4] {
        let item = device
            .profile
            .outbox()
            .item(&planned[i].instance_id)
            .unwrap();
        assert_eq!(item.state, OutboxState::Sent);
    }
    let token = server.sign_in(PHONE).await.unwrap().access_token;
    assert_eq!(server.citizen_submissions(&token).await.unwrap().len(), 3);
    // A second run leaves them wedged: only the citizen can help.
    let again = engine
        .sync_now(std::time::Duration::from_secs(60), None)
        .await
        .unwrap();
    assert_eq!(
        (again.sent, again.wedged, again.waiting.wedged.len()),
        (0, 0, 3)
    );

    // The citizen retakes each photo; the items go.
    for (i, _) in damaged {
        let new_seed = 900 + i as u64;
        let retaken = e2e::photo_bytes(new_seed, PHOTO);
        let item = device
            .profile
            .outbox()
            .reattach(
                &planned[i].instance_id,
                e2e::PHOTO_NAMES[0],
                "image/jpeg",
                &retaken[..],
            )
            .unwrap();
        assert_eq!(item.state, OutboxState::Queued);
        planned[i]
            .photos
            .insert(e2e::PHOTO_NAMES[0].to_owned(), (new_seed, PHOTO));
    }
    let totals = e2e::sync_until_settled(&engine, &device.profile, 10)
        .await
        .unwrap();
    assert_eq!((totals.sent, totals.wedged), (3, 0));
    let evidence = e2e::verify_delivered(&server, &token, &device.profile, &planned)
        .await
        .unwrap();
    assert_eq!(evidence.on_server, 6);
    assert_eq!(evidence.attachments_checked, 6);
}
