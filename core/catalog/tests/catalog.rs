//! Building a catalog from records (the server's generated catalogs, the phone's
//! stored copy): checked like a bundle, every problem returned.

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

mod common;

use layanan_catalog::{Catalog, Problem, RecordKind};

#[test]
fn records_round_trip_and_restore_keeps_the_sequence() {
    let catalog = common::small_catalog();
    let records = catalog.to_records();
    let json = serde_json::to_string(&records).unwrap();
    let back = serde_json::from_str(&json).unwrap();
    let restored = Catalog::restore(42, back).unwrap();
    assert_eq!(restored.sequence(), 42);
    assert_eq!(restored.to_records(), records);
    assert_eq!(Catalog::new().sequence(), 0);
    assert!(Catalog::new().is_empty());
    assert_eq!(restored.offices_of("disdukcapil").count(), 2);
    let kk = restored.service("kk-baru").unwrap();
    assert_eq!(
        restored.offices_for(kk).len(),
        2,
        "any office of the agency"
    );
}

#[test]
fn duplicates_and_broken_references_are_all_returned() {
    let mut records = common::small_catalog().to_records();
    records.agencies.push(records.agencies[0].clone());
    records
        .offices
        .retain(|o| o.id != "disdukcapil-kota-bandung");
    records.services.iter_mut().for_each(|s| s.version = 0);
    let broken = Catalog::from_records(records).unwrap_err();
    assert!(broken.iter().any(|b| b.kind == RecordKind::Agency
        && b.problem
            == Problem::Duplicate {
                id: "disdukcapil".into()
            }));
    let lost = broken
        .iter()
        .find(|b| b.id == "ktp-el-hilang" && b.field == "channels[1].offices[0]")
        .unwrap();
    assert_eq!(lost.to_string(), "service \"ktp-el-hilang\": channels[1].offices[0]: unknown office \"disdukcapil-kota-bandung\"");
    assert_eq!(broken.iter().filter(|b| b.field == "version").count(), 3);
}

#[test]
fn a_large_generated_catalog_is_consistent() {
    let catalog = common::generated(2_000, 1);
    assert_eq!(catalog.services().len(), 2_000);
    assert!(layanan_catalog::integrity::check(&catalog).is_empty());
}
