//! Offline answers: the quoted fields of the record a question is about, the nearest
//! office, and "I don't know" with the closest services.

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

mod common;

use layanan_catalog::answer::{self, Answer, Intent, Near, Part, Question};
use layanan_catalog::{Catalog, Charge, GeoPoint, Lang};

fn ask<'c>(
    catalog: &'c Catalog,
    text: &str,
    candidates: &[&str],
    near: Option<&Near>,
) -> Answer<'c> {
    let candidates: Vec<String> = candidates.iter().map(|s| (*s).to_owned()).collect();
    answer::answer(
        catalog,
        Question {
            text,
            candidates: &candidates,
            near,
        },
    )
}

#[test]
fn requirements_are_quoted_with_the_services_that_produce_them_and_the_sources() {
    let catalog = common::small_catalog();
    let found = ask(
        &catalog,
        "apa syarat bikin KTP kalau hilang?",
        &["ktp-el-hilang", "kk-baru"],
        None,
    );
    let Answer::Service(found) = found else {
        panic!("{found:?}")
    };
    assert_eq!(found.service.id, "ktp-el-hilang");
    assert_eq!(found.intents, [Intent::Requirements]);
    let [Part::Requirements(list)] = found.parts.as_slice() else {
        panic!("{:?}", found.parts)
    };
    assert_eq!(list.len(), 2);
    assert_eq!(
        list[0].requirement.text.id,
        "Surat keterangan kehilangan dari kepolisian"
    );
    assert_eq!(list[0].produced_by.unwrap().id, "surat-kehilangan-polisi");
    assert_eq!(list[1].produced_by.unwrap().id, "kk-baru");
    assert_eq!(found.sources, found.service.sources.as_slice());

    let text = answer::render(&Answer::Service(found.clone()), &catalog, Lang::Id);
    assert!(text.contains("Persyaratan:\n1. Surat keterangan kehilangan dari kepolisian (dari layanan Surat Keterangan Kehilangan)"), "{text}");
    assert!(text.contains("Sumber:\n- Disdukcapil Kota Bandung: persyaratan penggantian KTP-el hilang (https://disdukcapil.bandung.go.id/layanan/ktp-hilang), diakses 30 November 2026"), "{text}");
    assert!(
        text.contains("Catatan layanan ktp-el-hilang versi 3, diubah 30 November 2026"),
        "{text}"
    );
    let en = answer::render(&Answer::Service(found), &catalog, Lang::En);
    assert!(en.contains("Requirements:\n1. Police report of the loss (from the service Police report of a loss)"), "{en}");
    assert!(
        en.contains("Service record ktp-el-hilang version 3, changed 30 November 2026"),
        "{en}"
    );
}

#[test]
fn fee_time_legal_basis_and_how_to_apply() {
    let catalog = common::small_catalog();
    let Answer::Service(found) = ask(
        &catalog,
        "brp biayanya dan berapa lama ktp hilang",
        &["ktp-el-hilang"],
        None,
    ) else {
        panic!()
    };
    assert_eq!(found.intents, [Intent::Fee, Intent::Time]);
    let [Part::Fee(fee), Part::Time { sla_working_days }] = found.parts.as_slice() else {
        panic!("{:?}", found.parts)
    };
    assert_eq!(fee.charge, Charge::Free);
    assert_eq!(*sla_working_days, Some(14));
    let text = answer::render(&Answer::Service(found.clone()), &catalog, Lang::Id);
    assert!(
        text.contains("Biaya: Gratis (Tidak dipungut biaya (UU 24/2013 Pasal 79A))"),
        "{text}"
    );
    assert!(text.contains("Perkiraan waktu: 14 hari kerja"), "{text}");

    let Answer::Service(police) = ask(
        &catalog,
        "berapa lama dan bayar berapa surat kehilangan",
        &["surat-kehilangan-polisi"],
        None,
    ) else {
        panic!()
    };
    let text = answer::render(&Answer::Service(police), &catalog, Lang::En);
    assert!(text.contains("Fee: Rp10,000"), "{text}");
    assert!(
        text.contains("Expected time: this service's record does not state it."),
        "{text}"
    );

    let Answer::Service(found) = ask(&catalog, "dasar hukum ktp hilang", &["ktp-el-hilang"], None)
    else {
        panic!()
    };
    assert!(
        matches!(found.parts.as_slice(), [Part::LegalBasis(list)] if list[0].title == "Undang-Undang Nomor 24 Tahun 2013")
    );

    let Answer::Service(found) = ask(
        &catalog,
        "gmn caranya ganti ktp yg hilang",
        &["ktp-el-hilang"],
        None,
    ) else {
        panic!()
    };
    let [Part::HowToApply {
        form_id, channels, ..
    }] = found.parts.as_slice()
    else {
        panic!("{:?}", found.parts)
    };
    assert_eq!(*form_id, Some("ktp_el_hilang"));
    assert_eq!(channels.len(), 3);
    let text = answer::render(&Answer::Service(found.clone()), &catalog, Lang::Id);
    assert!(text.contains("- Daring: formulir di aplikasi ini\n- Datang ke: Disdukcapil Kota Bandung\n- Situs: https://dukcapil.kemendagri.go.id"), "{text}");

    // Nothing asked: an overview.
    let Answer::Service(found) = ask(&catalog, "ktp hilang", &["ktp-el-hilang"], None) else {
        panic!()
    };
    assert!(matches!(found.parts.as_slice(), [Part::Overview { .. }]));
}

#[test]
fn the_nearest_office_by_position_or_region() {
    let catalog = common::small_catalog();
    let kebumen = Near::Point(GeoPoint {
        lat: -7.67,
        lon: 109.66,
    });
    let Answer::AgencyOffices { agency, offices } = ask(
        &catalog,
        "di mana kantor Disdukcapil terdekat?",
        &["ktp-el-hilang"],
        Some(&kebumen),
    ) else {
        panic!()
    };
    assert_eq!(agency.id, "disdukcapil");
    assert_eq!(offices.nearest.unwrap().id, "disdukcapil-kab-kebumen");
    assert_eq!(offices.offices.len(), 2);
    assert!(offices.offices[0].distance_km.unwrap() < 2.0);
    assert!(offices.offices[1].distance_km.unwrap() > 200.0);
    let text = answer::render(
        &Answer::AgencyOffices {
            agency,
            offices: offices.clone(),
        },
        &catalog,
        Lang::Id,
    );
    assert!(text.starts_with("Kantor Dinas Kependudukan dan Pencatatan Sipil (Disdukcapil)\n- Disdukcapil Kabupaten Kebumen, Jl. H.M. Sarbini No. 21, Kebumen (terdekat), 0.9 km. Jam layanan: Senin-Jumat 07.30-12.00"), "{text}");

    let bandung = Near::Region("32.73".into());
    let Answer::AgencyOffices { offices, .. } =
        ask(&catalog, "dmn kantor dukcapil", &[], Some(&bandung))
    else {
        panic!()
    };
    assert_eq!(offices.nearest.unwrap().id, "disdukcapil-kota-bandung");
    let west_java = Near::Region("32.04".into());
    let Answer::AgencyOffices { offices, .. } =
        ask(&catalog, "alamat disdukcapil", &[], Some(&west_java))
    else {
        panic!()
    };
    assert_eq!(
        offices.nearest.unwrap().id,
        "disdukcapil-kota-bandung",
        "same province"
    );
    let papua = Near::Region("91.01".into());
    let Answer::AgencyOffices { offices, .. } =
        ask(&catalog, "alamat disdukcapil", &[], Some(&papua))
    else {
        panic!()
    };
    assert_eq!(offices.nearest, None, "no office nearby is named nearest");

    // A service's own offices: those its office channel lists.
    let Answer::Service(found) = ask(
        &catalog,
        "ktp hilang urus di mana",
        &["ktp-el-hilang"],
        Some(&kebumen),
    ) else {
        panic!()
    };
    let [Part::Offices(list)] = found.parts.as_slice() else {
        panic!("{:?}", found.parts)
    };
    assert_eq!(list.offices.len(), 1);
    assert_eq!(list.nearest.unwrap().id, "disdukcapil-kota-bandung");
    // "Any office of the agency": every office of it the catalog knows.
    let Answer::Service(found) = ask(&catalog, "kk baru di mana", &["kk-baru"], None) else {
        panic!()
    };
    let [Part::Offices(list)] = found.parts.as_slice() else {
        panic!()
    };
    assert!(list.any_office_of_agency);
    assert_eq!(list.offices.len(), 2);
    assert_eq!(list.nearest, None);
}

#[test]
fn unknown_when_nothing_fits() {
    let catalog = common::small_catalog();
    assert_eq!(
        ask(&catalog, "bagaimana cara terbang ke bulan", &[], None),
        Answer::Unknown { closest: vec![] }
    );
    assert_eq!(
        ask(&catalog, "syarat ktp hilang", &["tidak-ada"], None),
        Answer::Unknown { closest: vec![] }
    );
    // The question asks only ("berapa biayanya?"): which service cannot be told.
    let Answer::Unknown { closest } = ask(
        &catalog,
        "berapa biayanya?",
        &[
            "kk-baru",
            "ktp-el-hilang",
            "surat-kehilangan-polisi",
            "kk-baru",
        ],
        None,
    ) else {
        panic!()
    };
    assert_eq!(
        closest.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["kk-baru", "ktp-el-hilang", "surat-kehilangan-polisi"]
    );
    let text = answer::render(&Answer::Unknown { closest }, &catalog, Lang::Id);
    assert!(
        text.starts_with("Maaf, saya tidak tahu layanan mana yang dimaksud."),
        "{text}"
    );
    assert!(text.contains("- Kartu Keluarga Baru (kk-baru)"));
    let none = answer::render(&Answer::Unknown { closest: vec![] }, &catalog, Lang::En);
    assert_eq!(
        none,
        "Sorry, no service in the catalog matches this question.\n"
    );
}

#[test]
fn the_issues_questions_on_the_starter_catalog() {
    let Some(catalog) = common::starter() else {
        return;
    };
    let Answer::Service(found) = ask(
        &catalog,
        "apa syarat bikin KTP kalau hilang?",
        &["ktp-el-hilang", "ktp-el-rusak"],
        None,
    ) else {
        panic!()
    };
    let [Part::Requirements(list)] = found.parts.as_slice() else {
        panic!()
    };
    assert_eq!(list[0].produced_by.unwrap().id, "surat-kehilangan-polisi");

    let Answer::Service(found) = ask(
        &catalog,
        "berapa biaya paspor?",
        &["paspor-baru", "paspor-hilang"],
        None,
    ) else {
        panic!()
    };
    let [Part::Fee(fee)] = found.parts.as_slice() else {
        panic!()
    };
    assert_eq!(fee.charge, Charge::Idr(350_000));
    let text = answer::render(&Answer::Service(found.clone()), &catalog, Lang::Id);
    assert!(
        text.contains("Biaya: Rp350.000 (Paspor biasa 5 tahun Rp350.000;"),
        "{text}"
    );
    assert!(
        text.contains("karawang.imigrasi.go.id"),
        "sources quoted: {text}"
    );

    let here = Near::Region("33.05".into());
    let Answer::AgencyOffices { agency, offices } = ask(
        &catalog,
        "di mana kantor Disdukcapil terdekat?",
        &["ktp-el-baru"],
        Some(&here),
    ) else {
        panic!()
    };
    assert_eq!(agency.id, "disdukcapil");
    assert_eq!(offices.nearest.unwrap().id, "disdukcapil-kab-kebumen");
    let text = answer::render(
        &Answer::AgencyOffices { agency, offices },
        &catalog,
        Lang::En,
    );
    assert!(
        text.contains("Jl. H.M. Sarbini No. 21, Kebumen, Jawa Tengah (nearest)"),
        "{text}"
    );

    // Slang and typos in the asking words.
    for (question, id, intent) in [
        ("syarat2 bikin skck", "skck-baru", Intent::Requirements),
        ("brp lama bikin paspor", "paspor-baru", Intent::Time),
        (
            "persyaratn akta kelahiran",
            "akta-kelahiran",
            Intent::Requirements,
        ),
        ("how much is a passport", "paspor-baru", Intent::Fee),
        (
            "what do I need for a family card",
            "kk-baru",
            Intent::Requirements,
        ),
    ] {
        let Answer::Service(found) = ask(&catalog, question, &[id], None) else {
            panic!("{question}")
        };
        assert_eq!(found.service.id, id, "{question}");
        assert_eq!(found.intents, [intent], "{question}");
    }
}

#[test]
fn arbitrary_questions_never_panic() {
    let catalog = common::small_catalog();
    let ids = ["ktp-el-hilang".to_owned()];
    let near = Near::Point(GeoPoint {
        lat: f64::NAN,
        lon: 1e308,
    });
    for text in [
        "",
        " ",
        "???",
        "2222",
        "syarat2222",
        "ñ̃ ÿ 🙂 ktp",
        "di",
        "di mana",
        "a-b-c",
        "\u{0}\u{7f}",
        &"x".repeat(10_000),
    ] {
        for lang in [Lang::Id, Lang::En] {
            let a = answer::answer(
                &catalog,
                Question {
                    text,
                    candidates: &ids,
                    near: Some(&near),
                },
            );
            assert!(!answer::render(&a, &catalog, lang).is_empty());
        }
    }
}

/// Every hand-written relevance query names a service: given the service it means as
/// the top candidate, the answer is about that service, not "I don't know".
#[test]
fn the_relevance_queries_are_answered_about_the_service_they_mean() {
    let Some(catalog) = common::starter() else {
        return;
    };
    let queries = include_str!("relevance/queries.tsv");
    let (mut total, mut unknown) = (0, Vec::new());
    for line in queries
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let Some((query, expected)) = line.split_once('\t') else {
            continue;
        };
        let id = expected.split(',').next().unwrap_or_default().trim();
        total += 1;
        match ask(&catalog, query, &[id], None) {
            Answer::Service(found) => assert_eq!(found.service.id, id),
            Answer::AgencyOffices { .. } => {}
            Answer::Unknown { .. } => unknown.push(query),
        }
    }
    eprintln!(
        "{} of {total} relevance queries answered about their service; unknown: {unknown:?}",
        total - unknown.len()
    );
    assert!(total >= 150);
    assert!(unknown.is_empty(), "{unknown:?}");
}
