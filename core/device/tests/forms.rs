//! Filling a real pyxform form on the device: every change saved into the sealed
//! draft, a kill-and-resume in the middle, files attached to the draft, and the
//! finalized submission in the outbox.

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use std::path::Path;
use std::sync::Arc;

use layanan_device::forms::Form;
use layanan_device::forms::{DeviceEnvironment, FormFiller, FormsError, IssueKind, SessionError};
use layanan_device::{OutboxState, Profile, StaticKeyVault, Store, StoreError};

/// The social-assistance form as pyxform writes it from its XLSForm
/// (core/forms/fixtures/xlsform/bansos_keluarga.md): a household-member repeat, a
/// question relevant only for members with a disability, NIK and age constraints,
/// calculations over the repeat and a required house photo.
const BANSOS: &str = include_str!("../../forms/fixtures/pyxform/bansos_keluarga.xml");
const PENGADUAN: &str = include_str!("../../forms/fixtures/pyxform/pengaduan.xml");

const NIK: &str = "3201014405900001";
const HEAD: &str = "Siti Aminah Wulandari";
const PHOTO: &[u8] = b"FOTO RUMAH KELUARGA SITI AMINAH WULANDARI ";

fn vault() -> StaticKeyVault {
    StaticKeyVault::new([7; 32])
}

fn form(xml: &str) -> Arc<Form> {
    Arc::new(Form::parse(xml).unwrap())
}

fn env() -> Arc<DeviceEnvironment> {
    Arc::new(DeviceEnvironment::new(420).unwrap())
}

fn start(profile: &Arc<Profile>) -> FormFiller {
    FormFiller::start(Arc::clone(profile), form(BANSOS), env(), None).unwrap()
}

/// The sealed draft must hold exactly the session's answers after every change.
fn assert_saved(f: &FormFiller) {
    let draft = f.profile().drafts().load(f.draft_id()).unwrap();
    assert_eq!(draft.answers, f.session().export_draft());
}

fn photo() -> Vec<u8> {
    jpeg(&PHOTO.repeat(5_000)) // about 210 KB: several 64 KiB chunks
}

/// `scan` behind a JPEG header: what the attach-time image check wants to see.
fn jpeg(scan: &[u8]) -> Vec<u8> {
    let mut out = layanan_device::forms::image::jpeg_header(640, 480);
    out.extend_from_slice(scan);
    out
}

fn every_file(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            every_file(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn invalid_paths(r: Result<impl std::fmt::Debug, FormsError>) -> Vec<(String, IssueKind)> {
    match r {
        Err(FormsError::Session(SessionError::Invalid(issues))) => {
            issues.into_iter().map(|i| (i.path, i.kind)).collect()
        }
        other => panic!("expected validation issues, got {other:?}"),
    }
}

#[test]
fn fill_kill_resume_and_finalize_into_the_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let (draft_id, instance_id) = {
        let store = Store::open(dir.path()).unwrap();
        let profile = Arc::new(store.create_profile("Ibu", &vault()).unwrap());
        let mut f = start(&profile);
        assert_eq!(profile.drafts().list().unwrap().len(), 1);
        let first = f.profile().drafts().load(f.draft_id()).unwrap();
        assert_eq!(first.form_id, "bansos_keluarga");
        assert_eq!(first.form_version, "2026112801");
        let instance_id = f
            .session()
            .value("/data/meta/instanceID")
            .unwrap()
            .to_owned();
        assert!(instance_id.starts_with("uuid:"), "preloaded from the start");
        assert_eq!(first.answers["/data/meta/instanceID"], instance_id);
        assert_eq!(first.answers["/data/member[1]"], "", "repeat marker");

        // A NIK that breaks the constraint is kept, shown, and stops the page.
        f.answer("/data/head_nik", "12345").unwrap();
        assert_saved(&f);
        let page = f.session().current_page().unwrap();
        assert_eq!(page.questions[0].path, "/data/head_nik");
        assert_eq!(
            page.questions[0].error.as_deref(),
            Some("NIK harus 16 digit")
        );
        assert_eq!(
            invalid_paths(f.next_page()),
            [("/data/head_nik".to_owned(), IssueKind::Constraint)]
        );
        f.set_language("en").unwrap();
        assert_eq!(
            f.session().current_page().unwrap().questions[0]
                .error
                .as_deref(),
            Some("NIK must be 16 digits")
        );
        f.set_language("id").unwrap();
        f.answer("/data/head_nik", NIK).unwrap();
        assert!(f.next_page().unwrap());
        f.answer("/data/head_name", HEAD).unwrap();
        assert_saved(&f);

        // The first member; the disability question appears only after "yes".
        f.answer("/data/member[1]/m_name", "Budi").unwrap();
        f.answer("/data/member[1]/relation", "spouse").unwrap();
        match f.answer("/data/member[1]/m_age", "empat puluh satu") {
            Err(e @ FormsError::InvalidAnswer { .. }) => {
                assert_eq!(
                    e.user_message(),
                    Some((
                        "Isi dengan bilangan bulat.".to_owned(),
                        "Enter a whole number.".to_owned()
                    ))
                );
                assert!(!e.to_string().contains("empat"), "no value in the error");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            f.answer("/data/member[1]/relation", "cousin"),
            Err(FormsError::InvalidAnswer { message, .. })
                if message == "Pilih dari pilihan yang tersedia."
        ));
        f.answer("/data/member[1]/m_age", "41").unwrap();
        assert!(f
            .session()
            .question_at("/data/member[1]/disability")
            .is_some());
        let pages_before = f.session().page_count();
        f.answer("/data/member[1]/disabled", "yes").unwrap();
        assert_eq!(f.session().page_count(), pages_before + 1);
        f.answer("/data/member[1]/disability", "Tunanetra").unwrap();
        assert_saved(&f);

        // A second member: the filler moves to its first question.
        assert_eq!(f.add_repeat("/data/member").unwrap(), "/data/member[2]");
        assert_saved(&f);
        let page = f.session().current_page().unwrap();
        assert_eq!(page.repeat.as_deref(), Some("/data/member[2]"));
        assert_eq!(page.questions[0].path, "/data/member[2]/m_name");
        f.answer("/data/member[2]/m_name", "Ani").unwrap();
        f.answer("/data/member[2]/relation", "child").unwrap();
        f.answer("/data/member[2]/m_age", "9").unwrap();
        f.answer("/data/member[2]/disabled", "no").unwrap();
        assert_eq!(f.session().value("/data/n_members"), Some("2"));
        assert_eq!(f.session().value("/data/n_children"), Some("1"));

        // The house photo, sealed and tied to the draft.
        let info = f
            .attach("/data/house_photo", "rumah.jpg", "image/jpeg", &photo()[..])
            .unwrap();
        assert_eq!(info.draft_id.as_deref(), Some(f.draft_id()));
        assert_eq!(info.size, photo().len() as u64);
        assert_eq!(f.session().value("/data/house_photo"), Some("rumah.jpg"));
        assert_saved(&f);
        (f.draft_id().to_owned(), instance_id)
        // The app is killed here: filler, profile and store are dropped.
    };

    let store = Store::open(dir.path()).unwrap();
    let profile_id = store.list_profiles().unwrap()[0].id.clone();
    let profile = Arc::new(store.unlock_profile(&profile_id, &vault()).unwrap());
    let drafts = profile.drafts().list().unwrap();
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0].id, draft_id);
    let mut f =
        FormFiller::resume(Arc::clone(&profile), &draft_id, form(BANSOS), env(), None).unwrap();
    let s = f.session();
    assert_eq!(s.value("/data/head_nik"), Some(NIK));
    assert_eq!(s.value("/data/member[1]/disability"), Some("Tunanetra"));
    assert_eq!(s.value("/data/member[2]/m_name"), Some("Ani"));
    assert_eq!(s.value("/data/n_members"), Some("2"));
    assert_eq!(s.value("/data/house_photo"), Some("rumah.jpg"));
    assert_eq!(
        s.value("/data/meta/instanceID"),
        Some(instance_id.as_str()),
        "the idempotency key survives the kill"
    );

    // Not finished yet: finalize names what is missing and keeps the draft.
    let missing = invalid_paths(f.finalize());
    assert_eq!(
        missing,
        [
            ("/data/income".to_owned(), IssueKind::Required),
            ("/data/home".to_owned(), IssueKind::Required),
        ]
    );
    assert_eq!(profile.drafts().list().unwrap().len(), 1);

    f.answer("/data/income", "1500000").unwrap();
    f.answer("/data/home", "-6.9175 107.6191 700 5").unwrap();
    assert_saved(&f);
    let (submission, item) = f.finalize().unwrap();
    assert_eq!(submission.instance_id, instance_id);
    assert_eq!(
        submission.instance_name.as_deref(),
        Some(&*format!("Bansos {HEAD}"))
    );
    assert_eq!(submission.attachments, ["rumah.jpg"]);
    let xml = &submission.xml;
    for part in [
        &*format!("<head_nik>{NIK}</head_nik>"),
        "<m_name>Budi</m_name>",
        "<disability>Tunanetra</disability>",
        "<m_name>Ani</m_name>",
        "<n_members>2</n_members>",
        "<house_photo>rumah.jpg</house_photo>",
        &*format!("<instanceID>{instance_id}</instanceID>"),
    ] {
        assert!(xml.contains(part), "{part} missing");
    }
    // Member 2 has no disability question: relevance off leaves it out.
    assert_eq!(xml.matches("<disability>").count(), 1);
    assert_eq!(xml.matches("<disability/>").count(), 0);

    assert_eq!(item.instance_id, instance_id);
    assert_eq!(item.form_id, "bansos_keluarga");
    assert_eq!(item.state, OutboxState::Queued);
    assert_eq!(item.attachment_count, 1);
    assert_eq!(f.finalized_instance_id(), Some(instance_id.as_str()));
    assert_eq!(
        profile.outbox().submission(&instance_id).unwrap(),
        xml.as_bytes()
    );
    assert!(
        profile.drafts().list().unwrap().is_empty(),
        "the draft moved"
    );
    assert!(matches!(
        f.answer("/data/income", "1"),
        Err(FormsError::Finalized)
    ));
    assert!(matches!(f.finalize(), Err(FormsError::Finalized)));
}

#[test]
fn draft_answers_and_files_are_sealed_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let profile = Arc::new(store.create_profile("Ibu", &vault()).unwrap());
    let mut f = start(&profile);
    f.answer("/data/head_nik", NIK).unwrap();
    f.answer("/data/head_name", HEAD).unwrap();
    f.answer("/data/member[1]/m_name", "Budi Santoso Wirawan")
        .unwrap();
    f.attach("/data/house_photo", "rumah.jpg", "image/jpeg", &photo()[..])
        .unwrap();

    // The row itself: one sealed value, not JSON, naming neither answers nor paths.
    let conn = rusqlite::Connection::open(dir.path().join("layanan.db")).unwrap();
    let sealed: Vec<u8> = conn
        .query_row(
            "SELECT answers FROM drafts WHERE id = ?1",
            [f.draft_id()],
            |r| r.get(0),
        )
        .unwrap();
    assert!(serde_json::from_slice::<serde_json::Value>(&sealed).is_err());
    for plain in [NIK, HEAD, "head_nik", "/data/member[1]"] {
        assert!(!contains(&sealed, plain.as_bytes()), "{plain} in the row");
    }
    // And no file of the store (database, WAL, attachment chunks) holds them.
    let mut files = Vec::new();
    every_file(dir.path(), &mut files);
    assert!(files.iter().any(|f| f.to_string_lossy().ends_with("-wal")));
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        for secret in [NIK, HEAD, "Budi Santoso Wirawan", "FOTO RUMAH KELUARGA"] {
            assert!(
                !contains(&bytes, secret.as_bytes()),
                "{secret:?} found in {}",
                file.display()
            );
        }
    }
}

#[test]
fn removing_a_repeat_instance_rewrites_the_whole_map() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let profile = Arc::new(store.create_profile("Ibu", &vault()).unwrap());
    let mut f = start(&profile);
    f.answer("/data/member[1]/m_name", "Budi").unwrap();
    f.add_repeat("/data/member").unwrap();
    f.answer("/data/member[2]/m_name", "Ani").unwrap();
    f.add_repeat("/data/member").unwrap();
    f.answer("/data/member[3]/m_name", "Citra").unwrap();
    f.remove_repeat("/data/member[1]").unwrap();
    assert_saved(&f);
    let answers = profile.drafts().load(f.draft_id()).unwrap().answers;
    assert_eq!(answers["/data/member[1]/m_name"], "Ani");
    assert_eq!(answers["/data/member[2]/m_name"], "Citra");
    assert!(answers.keys().all(|k| !k.starts_with("/data/member[3]")));
    let resumed =
        FormFiller::resume(profile, f.draft_id(), form(BANSOS), env(), Some("en")).unwrap();
    assert_eq!(resumed.session().value("/data/n_members"), Some("2"));
}

#[test]
fn attachments_are_checked_replaced_and_pruned() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let profile = Arc::new(store.create_profile("Ibu", &vault()).unwrap());
    let mut f = start(&profile);
    let draft = f.draft_id().to_owned();
    assert!(matches!(
        f.attach("/data/head_name", "x.jpg", "image/jpeg", &b"x"[..]),
        Err(FormsError::NotAFileQuestion(p)) if p == "/data/head_name"
    ));
    assert!(matches!(
        f.attach("/data/house_photo", "x.pdf", "application/pdf", &b"x"[..]),
        Err(FormsError::MediaTypeRefused { .. })
    ));
    assert!(matches!(
        f.attach("/data/nothing", "x.jpg", "image/jpeg", &b"x"[..]),
        Err(FormsError::Session(SessionError::UnknownPath(_)))
    ));
    // Random bytes named .jpg, and a JPEG cut before its dimensions, are no photo.
    let random: Vec<u8> = (0..50_000u32).map(|i| (i * 7919 % 251) as u8).collect();
    let refused = f.attach("/data/house_photo", "x.jpg", "image/jpeg", &random[..]);
    assert!(
        matches!(&refused, Err(FormsError::NotAnImage { path, .. }) if path == "/data/house_photo"),
        "{refused:?}"
    );
    let (id, en) = refused.unwrap_err().user_message().unwrap();
    assert!(id.contains("Ambil ulang") && en.contains("take the photo again"));
    let cut = &jpeg(b"")[..24];
    assert!(matches!(
        f.attach("/data/house_photo", "x.jpg", "image/jpeg", cut),
        Err(FormsError::NotAnImage { .. })
    ));
    assert_eq!(f.session().value("/data/house_photo"), Some(""));
    assert!(profile.attachments().list(Some(&draft)).unwrap().is_empty());

    // A second photo replaces the first; the same name again replaces the older copy.
    f.attach(
        "/data/house_photo",
        "a.jpg",
        "image/jpeg",
        &jpeg(b"first")[..],
    )
    .unwrap();
    f.attach(
        "/data/house_photo",
        "b.jpg",
        "image/jpeg",
        &jpeg(b"second")[..],
    )
    .unwrap();
    let file = dir.path().join("b.jpg");
    std::fs::write(&file, jpeg(b"third")).unwrap();
    let third = f
        .attach_from_path("/data/house_photo", "b.jpg", "image/png", &file)
        .unwrap();
    let listed = profile.attachments().list(Some(&draft)).unwrap();
    assert_eq!(listed, vec![third.clone()]);

    // A file the form no longer names is dropped at finalize; the named one goes along.
    profile
        .attachments()
        .add(Some(&draft), "stray.jpg", "image/jpeg", &b"stray"[..])
        .unwrap();
    f.answer("/data/head_nik", NIK).unwrap();
    f.answer("/data/head_name", HEAD).unwrap();
    for (k, v) in [
        ("m_name", "Budi"),
        ("relation", "spouse"),
        ("m_age", "41"),
        ("disabled", "no"),
    ] {
        f.answer(&format!("/data/member[1]/{k}"), v).unwrap();
    }
    f.answer("/data/income", "900000").unwrap();
    f.answer("/data/home", "-6.2 106.8 10 3").unwrap();
    let (_, item) = f.finalize().unwrap();
    assert_eq!(item.attachment_count, 1);
    let sent = profile.outbox().attachments(&item.instance_id).unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].attachment_id, third.id);
    assert!(profile.attachments().list(None).unwrap().len() == 1);
}

#[test]
fn a_missing_file_stops_finalize() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let profile = Arc::new(store.create_profile("Ibu", &vault()).unwrap());
    // The complaint form: photo optional, location required, relevance on reporter.
    let mut f = FormFiller::start(Arc::clone(&profile), form(PENGADUAN), env(), None).unwrap();
    f.answer("/data/anonymous", "yes").unwrap();
    f.answer("/data/category", "road").unwrap();
    f.answer(
        "/data/description",
        "Jalan berlubang di depan sekolah dasar",
    )
    .unwrap();
    f.answer("/data/location", "-7.25 112.75 5 4").unwrap();
    let today = f.session().value("/data/today").unwrap().to_owned();
    f.answer("/data/incident", &today).unwrap();
    // Answered with a file name but never attached (e.g. the copy failed).
    f.answer("/data/photo", "hilang.jpg").unwrap();
    assert!(matches!(
        f.finalize(),
        Err(FormsError::MissingAttachment(p)) if p == "/data/photo"
    ));
    f.clear("/data/photo").unwrap();
    let (submission, item) = f.finalize().unwrap();
    assert!(submission.attachments.is_empty());
    assert_eq!(item.attachment_count, 0);
    assert!(
        !submission.xml.contains("<reporter"),
        "skipped question left out"
    );
}

#[test]
fn resume_refuses_another_form_unknown_drafts_and_languages() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let profile = Arc::new(store.create_profile("Ibu", &vault()).unwrap());
    let f = start(&profile);
    assert!(matches!(
        FormFiller::resume(Arc::clone(&profile), f.draft_id(), form(PENGADUAN), env(), None),
        Err(FormsError::FormMismatch { draft_form, form, .. })
            if draft_form == "bansos_keluarga" && form == "pengaduan"
    ));
    assert!(matches!(
        FormFiller::resume(
            Arc::clone(&profile),
            "no-such-draft",
            form(BANSOS),
            env(),
            None
        ),
        Err(FormsError::Store(StoreError::DraftNotFound(_)))
    ));
    // A device language the form lacks keeps the form's default; asking for it
    // explicitly is an error.
    let mut other =
        FormFiller::start(Arc::clone(&profile), form(BANSOS), env(), Some("fr")).unwrap();
    assert_eq!(other.session().language(), Some("Bahasa Indonesia (id)"));
    assert!(matches!(
        other.set_language("fr"),
        Err(FormsError::UnknownLanguage(l)) if l == "fr"
    ));
    let english = FormFiller::start(profile, form(BANSOS), env(), Some("EN")).unwrap();
    assert_eq!(english.session().language(), Some("English (en)"));
}

#[test]
fn a_refused_answer_stays_marked_invalid_and_is_never_finalized() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let profile = Arc::new(store.create_profile("Ibu", &vault()).unwrap());
    let mut f = start(&profile);
    // The rule says a NIK has 16 digits: the engine's message is on the question.
    f.answer("/data/head_nik", "3201").unwrap();
    let error = f.session().question_at("/data/head_nik").unwrap().error;
    assert!(
        error.is_some_and(|e| e.contains("16")),
        "the rule's message"
    );
    let draft_id = f.draft_id().to_owned();
    drop(f);

    // Killed and resumed: still marked, and finalize refuses it; nothing reaches the
    // outbox.
    let mut f =
        FormFiller::resume(Arc::clone(&profile), &draft_id, form(BANSOS), env(), None).unwrap();
    assert!(f
        .session()
        .question_at("/data/head_nik")
        .unwrap()
        .error
        .is_some());
    let refused = invalid_paths(f.finalize());
    assert!(
        refused
            .iter()
            .any(|(p, k)| p == "/data/head_nik" && *k == IssueKind::Constraint),
        "{refused:?}"
    );
    assert!(profile.outbox().list().unwrap().is_empty());
    assert!(profile.drafts().load(&draft_id).is_ok());
}
