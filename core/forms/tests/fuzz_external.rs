//! No-panic properties of the attachment parsers (CSV, GeoJSON, XML) and of loading a
//! form with arbitrary attachment bytes: bad files are typed errors, never a crash.

use std::collections::BTreeMap;

use layanan_forms::external::{csv, geojson, read, Format};
use layanan_forms::Form;
use proptest::prelude::*;

const FORM: &str = r#"<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml">
<h:head><h:title>F</h:title><model><instance><data id="f"><a/><b/></data></instance>
<instance id="l" src="jr://file-csv/l.csv"/><instance id="g" src="jr://file/g.geojson"/>
<bind nodeset="/data/b" calculate="pulldata('l', 'label', 'name', /data/a)"/>
</model></h:head><h:body><select1 ref="/data/a"><label>A</label>
<itemset nodeset="instance('l')/root/item[name = /data/a]"><value ref="name"/><label ref="label"/></itemset>
</select1></h:body></h:html>"#;

fn csv_like() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just(",".to_string()),
            Just(";".to_string()),
            Just("\"".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("\u{feff}".to_string()),
            "[a-z0-9 ]{0,5}",
        ],
        0..40,
    )
    .prop_map(|v| v.concat())
}

fn geojson_like() -> impl Strategy<Value = String> {
    let coord = prop_oneof![
        Just("[1,2]".to_string()),
        Just("[[1,2],[3,4]]".to_string()),
        Just("[[[1,2],[3,4],[1,2]]]".to_string()),
        Just("[]".to_string()),
        Just("\"x\"".to_string()),
        Just("null".to_string()),
    ];
    let geom = prop_oneof![
        Just("Point"),
        Just("LineString"),
        Just("Polygon"),
        Just("MultiPoint"),
    ];
    let prop_val = prop_oneof![
        Just("1".to_string()),
        Just("null".to_string()),
        Just("\"v\"".to_string()),
        Just("{\"n\":1}".to_string()),
        Just("[1]".to_string()),
    ];
    proptest::collection::vec((geom, coord, prop_val), 0..4).prop_map(|fs| {
        let features: Vec<String> = fs
            .into_iter()
            .map(|(g, c, p)| {
                format!(
                    r#"{{"type":"Feature","id":{p},"geometry":{{"type":"{g}","coordinates":{c}}},"properties":{{"k":{p}}}}}"#
                )
            })
            .collect();
        format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn csv_never_panics(src in csv_like()) {
        let _ = csv::parse_rows(&src);
        let _ = csv::to_document(src.as_bytes());
    }

    #[test]
    fn csv_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = csv::to_document(&bytes);
    }

    #[test]
    fn geojson_never_panics(src in geojson_like()) {
        let _ = geojson::to_document(src.as_bytes());
    }

    #[test]
    fn geojson_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = geojson::to_document(&bytes);
        let _ = read(&bytes, Format::Xml);
    }

    #[test]
    fn forms_load_with_any_attachments(c in csv_like(), g in geojson_like()) {
        let media = BTreeMap::from([
            ("l.csv".to_string(), c.into_bytes()),
            ("g.geojson".to_string(), g.into_bytes()),
        ]);
        if let Ok(form) = Form::parse_with_attachments(FORM, &media) {
            let env = layanan_forms::FixedEnvironment::new(
                layanan_forms::Timestamp { epoch_millis: 0, offset_minutes: 0 },
                1,
            );
            let mut s = layanan_forms::FormSession::new(
                std::sync::Arc::new(form),
                std::sync::Arc::new(env),
            );
            let _ = s.current_page();
            let _ = s.answer("/data/a", "x");
            let _ = s.value("/data/b");
        }
    }
}

#[test]
fn well_formed_inputs_parse() {
    assert!(csv::to_document(b"name,label\na,A\n").is_ok());
    assert!(geojson::to_document(br#"{"type":"FeatureCollection","features":[]}"#).is_ok());
}
