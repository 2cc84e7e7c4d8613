//! Expectations ported from ODK Web Forms' scenario tests
//! (packages/scenario/test/secondary-instances.test.ts, itself a port of JavaRosa's
//! PredicateCachingTest): filters on secondary instances, which the engine answers
//! through value indexes, must give exactly what a plain evaluation gives.
//! The forms are written here; only the expectations come from ODK.

use std::sync::Arc;

use layanan_forms::{FixedEnvironment, Form, FormSession, Timestamp};

fn session(main: &str, secondary: &str, binds: &str, body: &str) -> FormSession {
    let xml = format!(
        r#"<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml">
<h:head><h:title>Some form</h:title><model>
<instance><data id="some-form">{main}</data></instance>
<instance id="instance"><root>{secondary}</root></instance>
{binds}</model></h:head><h:body>{body}</h:body></h:html>"#
    );
    let form = Form::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let env = FixedEnvironment::new(
        Timestamp {
            epoch_millis: 1_795_860_000_000,
            offset_minutes: 420,
        },
        3,
    );
    FormSession::new(Arc::new(form), Arc::new(env))
}

fn item(value: &str, label: &str) -> String {
    format!("<item><value>{value}</value><label>{label}</label></item>")
}

fn calc(path: &str, expr: &str) -> String {
    format!(r#"<bind nodeset="{path}" type="string" calculate="{expr}"/>"#)
}

fn answer(s: &mut FormSession, path: &str, v: &str) {
    s.answer(path, v).unwrap_or_else(|e| panic!("{path}: {e}"));
}

fn value(s: &FormSession, path: &str) -> String {
    s.value(path)
        .unwrap_or_else(|| panic!("no {path}"))
        .to_string()
}

#[test]
fn predicates_on_different_child_names_are_not_confused() {
    let binds = calc(
        "/data/cat",
        "instance('instance')/root/cat[name = /data/input]/age",
    ) + &calc(
        "/data/dog",
        "instance('instance')/root/dog[name = /data/input]/age",
    );
    let mut s = session(
        "<cat/><dog/><input/>",
        "<cat><name>Vinnie</name><age>12</age></cat><dog><name>Vinnie</name><age>9</age></dog>",
        &binds,
        r#"<input ref="/data/input"/>"#,
    );
    answer(&mut s, "/data/input", "Vinnie");
    assert_eq!(value(&s, "/data/cat"), "12");
    assert_eq!(value(&s, "/data/dog"), "9");
}

#[test]
fn eq_works_with_either_side_relative() {
    let binds = calc(
        "/data/ltr",
        "instance('instance')/root/item[value = /data/input]/value",
    ) + &calc(
        "/data/rtl",
        "instance('instance')/root/item[/data/input = value]/value",
    ) + &calc(
        "/data/both",
        "instance('instance')/root/item[value = value]/value",
    );
    let mut s = session(
        "<ltr/><rtl/><both/><input/>",
        &(item("A", "") + &item("B", "")),
        &binds,
        r#"<input ref="/data/input"/>"#,
    );
    assert_eq!(value(&s, "/data/both"), "A");
    answer(&mut s, "/data/input", "A");
    assert_eq!(
        (value(&s, "/data/ltr"), value(&s, "/data/rtl")),
        ("A".into(), "A".into())
    );
    answer(&mut s, "/data/input", "B");
    assert_eq!(
        (value(&s, "/data/ltr"), value(&s, "/data/rtl")),
        ("B".into(), "B".into())
    );
}

#[test]
fn nested_predicates_are_not_confused() {
    let rows = "<item><value>A</value><count>2</count><id>A2</id></item>\
                <item><value>A</value><count>3</count><id>A3</id></item>\
                <item><value>B</value><count>2</count><id>B2</id></item>";
    let binds = calc(
        "/data/calc",
        "instance('instance')/root/item[value = /data/input1][count = '3']/id",
    ) + &calc(
        "/data/calc2",
        "instance('instance')/root/item[value = /data/input2][count = '3']/id",
    );
    let mut s = session(
        "<calc/><calc2/><input1/><input2/>",
        rows,
        &binds,
        r#"<input ref="/data/input1"/><input ref="/data/input2"/>"#,
    );
    answer(&mut s, "/data/input1", "A");
    answer(&mut s, "/data/input2", "B");
    assert_eq!(value(&s, "/data/calc"), "A3");
    assert_eq!(value(&s, "/data/calc2"), "");
}

#[test]
fn similar_cmp_and_eq_expressions_are_not_confused() {
    let binds = calc(
        "/data/c1",
        "instance('instance')/root/item[value &lt; /data/input]/label",
    ) + &calc(
        "/data/c2",
        "instance('instance')/root/item[value = /data/input]/label",
    );
    let mut s = session(
        "<input/><c1/><c2/>",
        &(item("1", "A") + &item("2", "B")),
        &binds,
        r#"<input ref="/data/input"/>"#,
    );
    answer(&mut s, "/data/input", "2");
    assert_eq!(value(&s, "/data/c1"), "A");
    assert_eq!(value(&s, "/data/c2"), "B");
}

#[test]
fn different_eq_expressions_are_not_confused() {
    // The bind to /data/input names no node: ignored with a warning, as in ODK.
    let binds = calc(
        "/data/c1",
        "instance('instance')/root/item[value = /data/input1]/label",
    ) + &calc(
        "/data/c2",
        "instance('instance')/root/item[label = /data/input2]/label",
    ) + r#"<bind nodeset="/data/input" type="string"/>"#
        + &calc(
            "/data/c3",
            "instance('instance')/root/item[value = 'a']/label",
        )
        + &calc(
            "/data/c4",
            "instance('instance')/root/item[value != 'a']/label",
        );
    let mut s = session(
        "<c1/><c2/><c3/><c4/><input1/><input2/>",
        &(item("a", "A") + &item("b", "B")),
        &binds,
        r#"<input ref="/data/input1"/><input ref="/data/input2"/>"#,
    );
    assert_eq!(s.form().warnings().len(), 1);
    answer(&mut s, "/data/input1", "a");
    answer(&mut s, "/data/input2", "B");
    assert_eq!(value(&s, "/data/c1"), "A");
    assert_eq!(value(&s, "/data/c2"), "B");
    assert_eq!(value(&s, "/data/c3"), "A");
    assert_eq!(value(&s, "/data/c4"), "B");
}

#[test]
fn a_numeric_key_compares_as_a_number() {
    // `value = 1` compares numbers (XPath 1.0): "1.0" matches; the index must not
    // turn it into a string comparison.
    let binds = calc("/data/c", "instance('instance')/root/item[value = 1]/label");
    let s = session("<c/>", &item("1.0", "One"), &binds, "");
    assert_eq!(value(&s, "/data/c"), "One");
}

#[test]
fn a_filter_on_a_repeat_stays_up_to_date() {
    let xml = r#"<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml">
<h:head><h:title>Some form</h:title><model>
<instance><data id="some-form"><repeat><name/><age/></repeat><result/></data></instance>
<bind nodeset="/data/repeat/input" type="string"/>
<bind nodeset="/data/result" type="string" calculate="/data/repeat[name = 'John Bell']/age"/>
</model></h:head><h:body><group ref="/data/repeat"><repeat nodeset="/data/repeat">
<input ref="/data/repeat/name"/><input ref="/data/repeat/age"/></repeat></group></h:body></h:html>"#;
    let form = Form::parse(xml).unwrap_or_else(|e| panic!("{e}"));
    let env = FixedEnvironment::new(
        Timestamp {
            epoch_millis: 0,
            offset_minutes: 0,
        },
        1,
    );
    let mut s = FormSession::new(Arc::new(form), Arc::new(env));
    assert_eq!(value(&s, "/data/result"), "");
    answer(&mut s, "/data/repeat[1]/name", "John Bell");
    answer(&mut s, "/data/repeat[1]/age", "70");
    assert_eq!(value(&s, "/data/result"), "70");
}

/// web-forms packages/scenario/test/xpath/functions/pulldata.test.ts.
#[test]
fn pulldata_expectations() {
    let states = r#"<item abbreviation="AK" location="north"><value>Alaska</value></item>
        <item abbreviation="TX" location="south"><value>Texas</value></item>
        <item abbreviation="HI" location="south"><value>Hawaii</value></item>
        <item abbreviation="WY"><value>Wyoming</value></item>"#;
    let cases = [
        ("@location", "north", "/data/loc", "Alaska"),
        ("@location", "west", "/data/loc", ""),
        ("@location", "south", "/data/loc", "Texas"),
        ("@doesnotexist", "nothing", "/data/loc", ""),
        ("@doesnotexist", "", "/data/loc", ""),
        ("@location", "south", "../loc", "Texas"),
        ("value", "Texas", "/data/loc", "Texas"),
    ];
    for (property, input, path, expected) in cases {
        let xml = format!(
            r#"<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml">
<h:head><h:title>pulldata form</h:title><model>
<instance><data id="pulldata"><loc>{input}</loc><state/></data></instance>
<instance id="states"><root>{states}</root></instance>
<bind nodeset="/data/state" type="string" calculate="pulldata('states', 'value', '{property}', {path})"/>
</model></h:head><h:body><input ref="/data/loc"/></h:body></h:html>"#
        );
        let form = Form::parse(&xml).unwrap_or_else(|e| panic!("{e}"));
        let env = FixedEnvironment::new(
            Timestamp {
                epoch_millis: 0,
                offset_minutes: 0,
            },
            1,
        );
        let s = FormSession::new(Arc::new(form), Arc::new(env));
        assert_eq!(value(&s, "/data/state"), expected, "{property} = {input:?}");
    }
    // The attribute as the key of an indexed filter, and as the returned column.
    let binds = calc(
        "/data/c",
        "instance('instance')/root/item[@code = /data/input]/label",
    ) + &calc("/data/d", "pulldata('instance', '@code', 'label', 'B')");
    let mut s = session(
        "<c/><d/><input/>",
        r#"<item code="a"><label>A</label></item><item code="b"><label>B</label></item>"#,
        &binds,
        r#"<input ref="/data/input"/>"#,
    );
    answer(&mut s, "/data/input", "b");
    assert_eq!(value(&s, "/data/c"), "B");
    assert_eq!(value(&s, "/data/d"), "b");
}

/// Scans over 32 items or more evaluate the item-independent parts of a filter once;
/// the results must be those of the plain definition.
#[test]
fn hoisted_filters_on_long_lists_agree_with_xpath() {
    let rows: String = (1..=40)
        .map(|i| item(&i.to_string(), &format!("Desa {i}")))
        .collect();
    let binds = calc(
        "/data/search",
        "count(instance('instance')/root/item[contains(label, /data/q)])",
    ) + &calc(
        "/data/below",
        "count(instance('instance')/root/item[value &lt; /data/n])",
    ) + &calc(
        "/data/missing",
        "count(instance('instance')/root/item[value = /data/nothing])",
    ) + &calc(
        "/data/empty_search",
        "count(instance('instance')/root/item[contains(label, /data/nothing)])",
    ) + &calc(
        "/data/flag",
        "count(instance('instance')/root/item[/data/q and value = 3])",
    );
    let mut s = session(
        "<q/><n/><search/><below/><missing/><empty_search/><flag/>",
        &rows,
        &binds,
        r#"<input ref="/data/q"/><input ref="/data/n"/>"#,
    );
    answer(&mut s, "/data/q", "Desa 1");
    answer(&mut s, "/data/n", "10");
    // "Desa 1", "Desa 10".."Desa 19": 11 labels contain "Desa 1".
    assert_eq!(value(&s, "/data/search"), "11");
    assert_eq!(value(&s, "/data/below"), "9");
    assert_eq!(value(&s, "/data/missing"), "0");
    assert_eq!(value(&s, "/data/empty_search"), "40");
    // `/data/q` as a boolean is a non-empty node-set: true, even though it is hoisted
    // nowhere (only string arguments and comparison operands are).
    assert_eq!(value(&s, "/data/flag"), "1");
    answer(&mut s, "/data/q", "");
    assert_eq!(value(&s, "/data/search"), "40");
}

/// JavaRosa's external-select-xml form: `item[first = '']` offers the items that have
/// no `first` child, because ODK compares an empty node-set as "" (XPath 1.0 would
/// make the comparison false).
#[test]
fn an_empty_node_set_compares_as_the_empty_string() {
    let rows = "<item><name>a</name></item><item><name>b</name></item>\
                <item><name>aa</name><first>a</first></item>";
    let binds = calc(
        "/data/top",
        "count(instance('instance')/root/item[first = ''])",
    ) + &calc(
        "/data/below_a",
        "count(instance('instance')/root/item[first = /data/first])",
    ) + &calc("/data/ne", "/data/missing != 'x'")
        + &calc("/data/eq", "/data/missing = ''");
    let mut s = session(
        "<first/><top/><below_a/><ne/><eq/>",
        rows,
        &binds,
        r#"<input ref="/data/first"/>"#,
    );
    assert_eq!(value(&s, "/data/top"), "2");
    assert_eq!(value(&s, "/data/ne"), "true");
    assert_eq!(value(&s, "/data/eq"), "true");
    answer(&mut s, "/data/first", "a");
    assert_eq!(value(&s, "/data/below_a"), "1");
}
