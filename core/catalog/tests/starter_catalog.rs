//! The starter catalog the reference server publishes (`server/catalog/`) keeps every
//! rule of the authoring format.

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

mod common;

use layanan_catalog::authoring;

#[test]
fn the_starter_catalog_validates() {
    let Some(dir) = common::starter_dir() else {
        return;
    };
    let catalog = match authoring::load(&dir) {
        Ok(catalog) => catalog,
        Err(errors) => panic!("server/catalog/ does not validate:\n{errors}"),
    };
    assert!(
        catalog.services().len() >= 40,
        "{}",
        catalog.services().len()
    );
    assert!(catalog.life_events().len() >= 6);
    assert_eq!(catalog.sequence(), 0);
    let lost = catalog.service("ktp-el-hilang").expect("ktp-el-hilang");
    assert_eq!(lost.agency, "disdukcapil");
    assert_eq!(
        lost.requirements[0].produced_by.as_deref(),
        Some("surat-kehilangan-polisi")
    );
}
