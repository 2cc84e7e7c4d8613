//! Form structures real ODK forms use (issue 11), each on a small form of our own:
//! namespaced meta with the instance id from session start, nested repeats that both
//! carry `jr:template`, `current()` in body refs, relative body refs, a dateTime in a
//! date node, and a GeoJSON list for `select_one_from_map`.

use std::collections::BTreeMap;
use std::sync::Arc;

use layanan_forms::{FixedEnvironment, Form, FormSession, Timestamp};

fn env() -> Arc<FixedEnvironment> {
    Arc::new(FixedEnvironment::new(
        Timestamp {
            epoch_millis: 1_795_860_000_000,
            offset_minutes: 420,
        },
        2,
    ))
}

fn start(xml: &str) -> FormSession {
    let f = Form::parse(xml).unwrap_or_else(|e| panic!("{e}"));
    FormSession::new(Arc::new(f), env())
}

fn html(ns: &str, main: &str, model: &str, body: &str) -> String {
    format!(
        r#"<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa" {ns}>
<h:head><h:title>T</h:title><model><instance>{main}</instance>{model}</model></h:head>
<h:body>{body}</h:body></h:html>"#
    )
}

#[test]
fn namespaced_meta_gets_its_instance_id_at_start() {
    // JavaRosa's meta-namespace-form: meta under a custom prefix of the OpenRosa
    // namespace, binds to nodes that do not exist (ignored with warnings).
    let xml = html(
        r#"xmlns:orx2="http://openrosa.org/xforms""#,
        "<data id=\"m\"><orx2:meta><orx2:audit/></orx2:meta></data>",
        r#"<bind nodeset="/data/orx2:meta/orx2:audit"/><bind nodeset="/data/meta/audit2"/>"#,
        "",
    );
    let mut s = start(&xml);
    assert_eq!(s.form().warnings().len(), 1);
    let id = s
        .value("/data/orx2:meta/orx2:instanceID")
        .unwrap_or_default()
        .to_string();
    assert!(id.starts_with("uuid:"), "{id:?}");
    assert_eq!(s.instance_id(), Some(id.as_str()));
    let sub = s.finalize().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        sub.instance_id, id,
        "the id of the draft is the id submitted"
    );
    assert!(
        sub.xml
            .contains("xmlns:orx2=\"http://openrosa.org/xforms\""),
        "{}",
        sub.xml
    );
    assert!(sub
        .xml
        .contains(&format!("<orx2:instanceID>{id}</orx2:instanceID>")));
}

#[test]
fn a_form_without_meta_gets_one_with_the_declared_prefix() {
    let xml = html(
        r#"xmlns:orx="http://openrosa.org/xforms""#,
        "<data id=\"m\"><a/></data>",
        "",
        r#"<input ref="/data/a"/>"#,
    );
    let s = start(&xml);
    assert!(s
        .value("/data/orx:meta/orx:instanceID")
        .is_some_and(|v| v.starts_with("uuid:")));
    let plain = start(&html("", "<data id=\"m\"><a/></data>", "", ""));
    assert!(plain
        .value("/data/meta/instanceID")
        .is_some_and(|v| !v.is_empty()));
}

#[test]
fn nested_repeats_that_both_carry_jr_template() {
    let xml = html(
        "",
        r#"<data id="n"><g1 jr:template=""><g2 jr:template=""><numeric/><text/></g2></g1></data>"#,
        r#"<bind nodeset="/data/g1/g2/numeric" type="int"/>"#,
        r#"<group><repeat nodeset="/data/g1"><group><repeat nodeset="/data/g1/g2">
           <input ref="/data/g1/g2/numeric"/><input ref="/data/g1/g2/text"/></repeat></group></repeat></group>"#,
    );
    let mut s = start(&xml);
    assert_eq!(s.repeat_count("/data/g1").ok(), Some(0));
    let g1 = s.add_repeat("/data/g1").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.repeat_count(&format!("{g1}/g2")).ok(), Some(0));
    let g2 = s
        .add_repeat(&format!("{g1}/g2"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(g2, "/data/g1[1]/g2[1]");
    s.answer(&format!("{g2}/numeric"), "7")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.value("/data/g1[1]/g2[1]/numeric"), Some("7"));
}

#[test]
fn current_and_relative_refs_in_the_body() {
    let xml = html(
        "",
        "<data id=\"c\"><name/><my_group><name/></my_group></data>",
        "",
        r#"<input ref="name"/><group ref="/data/my_group"><repeat nodeset="/data/my_group">
           <input ref="current()/name"/></repeat></group>"#,
    );
    let mut s = start(&xml);
    s.answer("/data/name", "A")
        .unwrap_or_else(|e| panic!("{e}"));
    s.answer("/data/my_group[1]/name", "B")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(s.question_at("/data/my_group[1]/name").is_some());
    assert_eq!(s.value("/data/my_group[1]/name"), Some("B"));
}

#[test]
fn a_datetime_default_in_a_date_node_keeps_the_date() {
    let xml = html(
        "",
        "<data id=\"d\"><d>2025-12-21T23:30:05</d></data>",
        r#"<bind nodeset="/data/d" type="date"/>"#,
        r#"<input ref="/data/d"/>"#,
    );
    assert_eq!(start(&xml).value("/data/d"), Some("2025-12-21"));
}

#[test]
fn geojson_features_as_choices() {
    let xml = html(
        "",
        "<data id=\"g\"><site/><where/></data>",
        r#"<instance id="sites" src="jr://file/sites.geojson"/>
           <bind nodeset="/data/where" calculate="instance('sites')/root/item[id = /data/site]/geometry"/>"#,
        r#"<select1 ref="/data/site" appearance="map"><label>Site</label>
           <itemset nodeset="instance('sites')/root/item"><value ref="id"/><label ref="name"/></itemset></select1>"#,
    );
    let geo = br#"{"type":"FeatureCollection","features":[
        {"type":"Feature","id":"s1","geometry":{"type":"Point","coordinates":[107.61,-6.91]},"properties":{"name":"Balai desa"}},
        {"type":"Feature","id":"s2","geometry":{"type":"Point","coordinates":[107.62,-6.92]},"properties":{"name":"Puskesmas"}}]}"#;
    let media = BTreeMap::from([("sites.geojson".to_string(), geo.to_vec())]);
    let f = Form::parse_with_attachments(&xml, &media).unwrap_or_else(|e| panic!("{e}"));
    let mut s = FormSession::new(Arc::new(f), env());
    let q = s.question_at("/data/site").unwrap_or_else(|| panic!("q"));
    let labels: Vec<_> = q.choices.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["Balai desa", "Puskesmas"]);
    s.answer("/data/site", "s2")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.value("/data/where"), Some("-6.92 107.62 0 0"));
}
