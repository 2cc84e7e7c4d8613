//! Life-event plans and suggestions, on the small catalog and on the starter catalog.

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

mod common;

use layanan_catalog::life_events::{self, CompletedService, LifeEventError};
use layanan_catalog::Date;

fn ids(plan: &life_events::Plan<'_>) -> Vec<String> {
    plan.steps.iter().map(|s| s.service.id.clone()).collect()
}

fn done(id: &str, date: &str) -> CompletedService {
    CompletedService {
        service_id: id.into(),
        approved_on: Date::parse(date).unwrap(),
    }
}

#[test]
fn a_producer_step_comes_before_the_step_that_needs_its_document() {
    let catalog = common::small_catalog();
    // Authored KTP first, but the KTP needs the police report: the report goes first.
    let plan = life_events::plan(&catalog, "kehilangan-dokumen").unwrap();
    assert_eq!(ids(&plan), ["surat-kehilangan-polisi", "ktp-el-hilang"]);
    let ktp = &plan.steps[1];
    assert_eq!(
        ktp.after.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["surat-kehilangan-polisi"]
    );
    assert_eq!(ktp.why.en, "The KTP-el is replaced with the police report.");
    // The KK comes from outside the event: a prerequisite, not a step.
    assert_eq!(ktp.documents.len(), 1);
    assert_eq!(ktp.documents[0].service.id, "kk-baru");
    assert_eq!(
        ktp.documents[0].requirement.text.id,
        "Fotokopi Kartu Keluarga"
    );
    assert_eq!(
        life_events::plan(&catalog, "menikah"),
        Err(LifeEventError::UnknownLifeEvent {
            id: "menikah".into()
        })
    );
    assert_eq!(life_events::plans(&catalog).unwrap().len(), 1);
}

#[test]
fn the_starter_life_events_in_order() {
    let Some(catalog) = common::starter() else {
        return;
    };
    let birth = life_events::plan(&catalog, "kelahiran-anak").unwrap();
    assert_eq!(
        ids(&birth),
        [
            "akta-kelahiran",
            "kk-perubahan-data",
            "kia",
            "bpjs-bayi-baru-lahir"
        ]
    );
    let bpjs = &birth.steps[3];
    let after: Vec<&str> = bpjs.after.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(after, ["akta-kelahiran", "kk-perubahan-data"]);
    let marriage = life_events::plan(&catalog, "menikah").unwrap();
    assert_eq!(
        ids(&marriage),
        [
            "surat-keterangan-belum-menikah",
            "pencatatan-nikah-kua",
            "akta-perkawinan",
            "kk-baru",
            "ktp-el-perubahan-data"
        ]
    );
    // Every plan of the starter catalog resolves, each step after what it needs.
    for plan in life_events::plans(&catalog).unwrap() {
        let order = ids(&plan);
        for (i, step) in plan.steps.iter().enumerate() {
            for before in &step.after {
                let at = order.iter().position(|id| *id == before.id).unwrap();
                assert!(
                    at < i,
                    "{}: {} after {}",
                    plan.life_event.id,
                    step.service.id,
                    before.id
                );
            }
        }
    }
}

#[test]
fn after_a_birth_registration_the_next_steps_are_suggested_with_a_reason() {
    let Some(catalog) = common::starter() else {
        return;
    };
    let suggestions = life_events::suggestions(&catalog, &[done("akta-kelahiran", "2026-11-20")]);
    let next: Vec<&str> = suggestions.iter().map(|s| s.service.id.as_str()).collect();
    assert_eq!(next, ["kk-perubahan-data", "kia", "bpjs-bayi-baru-lahir"]);
    let kk = &suggestions[0];
    assert_eq!(kk.life_event.id, "kelahiran-anak");
    assert_eq!(kk.after.id, "akta-kelahiran");
    assert!(kk.waiting_for.is_empty());
    let birth = catalog.service("akta-kelahiran").unwrap();
    assert!(
        kk.because.id.starts_with(&format!(
            "{} sudah disetujui pada 20 November 2026. Dalam \"Kelahiran anak\"",
            birth.title.id
        )),
        "{}",
        kk.because.id
    );
    assert!(
        kk.because
            .en
            .contains("was approved on 20 November 2026. In \"A child is born\""),
        "{}",
        kk.because.en
    );
    assert!(kk
        .because
        .en
        .contains(&catalog.service("kk-perubahan-data").unwrap().title.en));
    // BPJS for the baby needs the KK update first: suggested, but waiting for it.
    let bpjs = &suggestions[2];
    assert_eq!(
        bpjs.waiting_for
            .iter()
            .map(|s| s.id.as_str())
            .collect::<Vec<_>>(),
        ["kk-perubahan-data"]
    );

    // Once the KK update is approved too, it is no longer suggested, nothing waits.
    let later = life_events::suggestions(
        &catalog,
        &[
            done("akta-kelahiran", "2026-11-20"),
            done("kk-perubahan-data", "2026-11-27"),
        ],
    );
    let ids: Vec<&str> = later.iter().map(|s| s.service.id.as_str()).collect();
    assert!(!ids.contains(&"kk-perubahan-data") && !ids.contains(&"akta-kelahiran"));
    assert!(ids.contains(&"kia") && ids.contains(&"bpjs-bayi-baru-lahir"));
    assert!(later
        .iter()
        .all(|s| s.waiting_for.is_empty() || s.life_event.id != "kelahiran-anak"));
    // The most recent approval leads.
    assert_eq!(later[0].after.id, "kk-perubahan-data");
}

#[test]
fn suggestions_skip_unknown_services_and_repeat_nothing() {
    let catalog = common::small_catalog();
    assert!(life_events::suggestions(&catalog, &[]).is_empty());
    assert!(life_events::suggestions(&catalog, &[done("tidak-ada", "2026-01-01")]).is_empty());
    let twice = [
        done("surat-kehilangan-polisi", "2026-01-01"),
        done("surat-kehilangan-polisi", "2026-02-01"),
    ];
    let suggestions = life_events::suggestions(&catalog, &twice);
    assert_eq!(suggestions.len(), 1);
    assert_eq!(suggestions[0].service.id, "ktp-el-hilang");
    assert_eq!(suggestions[0].approved_on.to_string(), "2026-02-01");
    // The last step of an event suggests nothing.
    assert!(life_events::suggestions(&catalog, &[done("ktp-el-hilang", "2026-01-01")]).is_empty());
}
