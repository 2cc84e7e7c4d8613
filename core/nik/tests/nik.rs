//! The NIK check against the embedded region list, with fixed "today" dates.

use layanan_nik::{check, check_at, Date, DateProblem, NikError, Sex};

fn today() -> Date {
    Date::new(2026, 12, 2).expect("a real date")
}

fn ok(nik: &str) -> layanan_nik::NikInfo {
    match check_at(nik, today()) {
        Ok(info) => info,
        Err(e) => panic!("expected valid NIK, got {e:?}"),
    }
}

fn err(nik: &str) -> NikError {
    check_at(nik, today()).expect_err("expected an invalid NIK")
}

#[test]
fn a_man_in_depok() {
    let info = ok("3276010101900001");
    assert_eq!(info.sex, Sex::Male);
    assert_eq!(info.birth_date.to_string(), "1990-01-01");
    assert_eq!(
        (info.province.code.as_str(), info.province.name.as_str()),
        ("32", "Jawa Barat")
    );
    assert_eq!(
        (info.regency.code.as_str(), info.regency.name.as_str()),
        ("32.76", "Kota Depok")
    );
    assert_eq!(
        (info.district.code.as_str(), info.district.name.as_str()),
        ("32.76.01", "Pancoran Mas")
    );
    assert_eq!(info.current, None);
}

#[test]
fn a_woman_in_banda_aceh_has_40_added_to_her_day() {
    let info = ok("1171015508850002");
    assert_eq!(info.sex, Sex::Female);
    assert_eq!(info.birth_date.to_string(), "1985-08-15");
    assert_eq!(info.province.name, "Aceh");
    assert_eq!(info.regency.name, "Kota Banda Aceh");
    assert_eq!(info.district.name, "Baiturrahman");
}

#[test]
fn several_provinces_and_typed_separators() {
    let surabaya = ok("35.7801 150372 0123");
    assert_eq!(surabaya.regency.name, "Kota Surabaya");
    assert_eq!(surabaya.district.name, "Karang Pilang");
    assert_eq!(surabaya.birth_date.to_string(), "1972-03-15");
    let denpasar = ok("5171-01-700699-0004");
    assert_eq!(denpasar.province.name, "Bali");
    assert_eq!(denpasar.district.name, "Denpasar Selatan");
    assert_eq!(denpasar.sex, Sex::Female);
    assert_eq!(denpasar.birth_date.to_string(), "1999-06-30");
    let makassar = ok("7371012512050009");
    assert_eq!(makassar.province.name, "Sulawesi Selatan");
    assert_eq!(makassar.birth_date.to_string(), "2005-12-25");
}

#[test]
fn new_papua_provinces_are_accepted() {
    let mimika = ok("9404011003010001");
    assert_eq!(mimika.province.name, "Papua Tengah");
    assert_eq!(mimika.regency.name, "Kabupaten Mimika");
    assert_eq!(mimika.district.name, "Mimika Baru");
    assert_eq!(mimika.current, None);
    let sorong = ok("9671014407800002");
    assert_eq!(sorong.province.name, "Papua Barat Daya");
    assert_eq!(sorong.sex, Sex::Female);
}

#[test]
fn historical_codes_of_the_2022_papua_split_are_accepted() {
    // Merauke was 91.01 (Papua) before Papua Selatan (93) was formed; a woman born on
    // 29 February 2000 (a leap year: divisible by 400).
    let info = ok("9101016902000003");
    assert_eq!(info.sex, Sex::Female);
    assert_eq!(info.birth_date.to_string(), "2000-02-29");
    assert_eq!(
        (info.province.code.as_str(), info.province.name.as_str()),
        ("91", "Papua")
    );
    assert_eq!(
        (info.regency.code.as_str(), info.regency.name.as_str()),
        ("91.01", "Kabupaten Merauke")
    );
    assert_eq!(info.district.code, "91.01.01");
    assert_eq!(info.district.name, "Merauke");
    let current = info.current.expect("renumbered");
    assert_eq!(
        (
            current.province.code.as_str(),
            current.province.name.as_str()
        ),
        ("93", "Papua Selatan")
    );
    assert_eq!(current.regency.code, "93.01");
    assert_eq!(current.district.code, "93.01.01");
    // Kota Sorong was 92.71 (Papua Barat) before Papua Barat Daya (96).
    let sorong = ok("9271010101700001").current.expect("renumbered");
    assert_eq!(
        (sorong.province.name.as_str(), sorong.regency.name.as_str()),
        ("Papua Barat Daya", "Kota Sorong")
    );
    // Unsplit regencies keep their codes: Jayapura (91.03), Manokwari (92.02).
    assert_eq!(ok("9103010101700001").current, None);
    assert_eq!(ok("9202030101700001").regency.name, "Kabupaten Manokwari");
}

#[test]
fn wrong_length() {
    assert_eq!(err("327601010190000"), NikError::WrongLength { digits: 15 });
    assert_eq!(
        err("32760101019000011"),
        NikError::WrongLength { digits: 17 }
    );
    assert_eq!(err(""), NikError::WrongLength { digits: 0 });
    assert_eq!(err(" . - "), NikError::WrongLength { digits: 0 });
}

#[test]
fn non_digits() {
    assert_eq!(err("3276010101900O01"), NikError::NotDigits);
    assert_eq!(err("NIK 3276010101900001"), NikError::NotDigits);
    assert_eq!(err("3276/0101/9000/01"), NikError::NotDigits);
}

#[test]
fn unknown_regions() {
    assert_eq!(
        err("9976010101900001"),
        NikError::UnknownProvince { code: "99".into() }
    );
    assert_eq!(
        err("0076010101900001"),
        NikError::UnknownProvince { code: "00".into() }
    );
    assert_eq!(
        err("3299010101900001"),
        NikError::UnknownRegency {
            code: "32.99".into()
        }
    );
    assert_eq!(
        err("3200010101900001"),
        NikError::UnknownRegency {
            code: "32.00".into()
        }
    );
    assert_eq!(
        err("3276990101900001"),
        NikError::UnknownDistrict {
            code: "32.76.99".into()
        }
    );
    // A historical code whose district never existed is reported under the NIK's code.
    assert_eq!(
        err("9101990101900001"),
        NikError::UnknownDistrict {
            code: "91.01.99".into()
        }
    );
    // A new code that was never used: 93.99.
    assert_eq!(
        err("9399010101900001"),
        NikError::UnknownRegency {
            code: "93.99".into()
        }
    );
}

#[test]
fn impossible_dates() {
    let date = |problem| NikError::ImpossibleDate { problem };
    // 31 April.
    assert_eq!(err("3276013104900001"), date(DateProblem::NoSuchDay));
    // 29 February 2023 (not a leap year) for a man and for a woman.
    assert_eq!(err("3276012902230001"), date(DateProblem::NoSuchDay));
    assert_eq!(err("3276016902230001"), date(DateProblem::NoSuchDay));
    // Day 72 for a woman would be the 32nd.
    assert_eq!(err("3276017201900001"), date(DateProblem::Day));
    // 00 and 32-40 are neither a man's nor a woman's day.
    assert_eq!(err("3276010001900001"), date(DateProblem::Day));
    assert_eq!(err("3276013201900001"), date(DateProblem::Day));
    assert_eq!(err("3276014001900001"), date(DateProblem::Day));
    assert_eq!(err("3276010113900001"), date(DateProblem::Month));
    assert_eq!(err("3276010100900001"), date(DateProblem::Month));
}

#[test]
fn leap_days() {
    let man = ok("3276012902240001");
    assert_eq!(
        (man.sex, man.birth_date.to_string()),
        (Sex::Male, "2024-02-29".to_string())
    );
    let woman = ok("3276016902240001");
    assert_eq!(
        (woman.sex, woman.birth_date.to_string()),
        (Sex::Female, "2024-02-29".to_string())
    );
    // 1996 was a leap year too.
    assert_eq!(ok("3276012902960001").birth_date.to_string(), "1996-02-29");
}

#[test]
fn the_century_is_the_latest_not_after_today() {
    assert_eq!(ok("3276010101200001").birth_date.to_string(), "2020-01-01");
    assert_eq!(ok("3276010101300001").birth_date.to_string(), "1930-01-01");
    // Today itself is allowed; tomorrow in 2026 means 1926.
    assert_eq!(ok("3276010212260001").birth_date.to_string(), "2026-12-02");
    assert_eq!(ok("3276010312260001").birth_date.to_string(), "1926-12-03");
    // With "today" in 1950, a 60 is in the future in both centuries.
    let early = Date::new(1950, 1, 1).expect("a real date");
    assert_eq!(
        check_at("3276010101600001", early),
        Err(NikError::ImpossibleDate {
            problem: DateProblem::Future
        })
    );
    // The clock-based check agrees on a date long past.
    assert_eq!(
        check("3276010101900001").map(|i| i.birth_date.to_string()),
        Ok("1990-01-01".into())
    );
}

#[test]
fn serial_zero() {
    assert_eq!(err("3276010101900000"), NikError::SerialZero);
    assert_eq!(ok("3276010101909999").sex, Sex::Male);
}

#[test]
fn problems_are_reported_in_order() {
    // Unknown province wins over an impossible date and a zero serial.
    assert!(matches!(
        err("9900003299000000"),
        NikError::UnknownProvince { .. }
    ));
    // An impossible date wins over a zero serial.
    assert!(matches!(
        err("3276013104900000"),
        NikError::ImpossibleDate { .. }
    ));
}

#[test]
fn messages_say_what_is_wrong_in_both_languages_without_the_nik() {
    let cases = [
        ("3276O10101900001", "angka", "digits"),
        ("32760101019", "11 angka", "has 11"),
        ("9976010101900001", "provinsi 99", "Province code 99"),
        ("3299010101900001", "32.99", "32.99"),
        ("3276990101900001", "32.76.99", "32.76.99"),
        ("3276013104900001", "tidak ada di bulan", "no such day"),
        ("3276017201900001", "41-71", "41-71"),
        ("3276010101900000", "0000", "0000"),
    ];
    for (nik, id, en) in cases {
        let e = err(nik);
        let (message_id, message_en) = (e.message_id(), e.message_en());
        assert!(message_id.contains(id), "{message_id}");
        assert!(message_en.contains(en), "{message_en}");
        assert!(
            message_id.contains("Periksa") || message_id.contains("Cocokkan"),
            "{message_id}"
        );
        assert!(
            message_en.contains("Check") || message_en.contains("Compare"),
            "{message_en}"
        );
        for text in [message_id, message_en, e.to_string(), format!("{e:?}")] {
            assert!(!text.contains(nik), "{text} leaks the NIK");
        }
    }
}
