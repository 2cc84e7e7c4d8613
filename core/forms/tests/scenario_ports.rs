//! Expectations ported from ODK's scenario tests (getodk/web-forms
//! packages/scenario: choice-name.test.ts and repeat.test.ts, ports of JavaRosa's
//! ChoiceNameTest and repeat count tests) plus the self-reference rules of ADR 0003.
//! Forms are written here; only the expectations come from ODK.

use std::sync::Arc;

use layanan_forms::{FixedEnvironment, Form, FormSession, LoadError, Timestamp};

fn env() -> Arc<FixedEnvironment> {
    Arc::new(FixedEnvironment::new(
        Timestamp {
            epoch_millis: 1_795_860_000_000,
            offset_minutes: 420,
        },
        9,
    ))
}

fn load(xml: &str) -> Result<Form, LoadError> {
    Form::parse(xml)
}

fn start(xml: &str) -> FormSession {
    let f = load(xml).unwrap_or_else(|e| panic!("{e}"));
    FormSession::new(Arc::new(f), env())
}

fn answer(s: &mut FormSession, p: &str, v: &str) {
    s.answer(p, v).unwrap_or_else(|e| panic!("{p}: {e}"));
}

fn value(s: &FormSession, p: &str) -> String {
    s.value(p).unwrap_or_else(|| panic!("no {p}")).to_string()
}

const CHOICE_NAMES: &str = r#"<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa">
<h:head><h:title>jr:choice-name</h:title><model>
<itext>
<translation lang="English (en)" default="true()">
<text id="c1"><value>Choice 1</value></text><text id="c2"><value>Choice 2</value></text>
<text id="c3"><value>Choice 3</value></text><text id="c4"><value>Choice 4</value></text>
<text id="c5"><value>Choice 5</value></text><text id="hello"><value>Hello</value></text>
</translation>
<translation lang="French (fr)">
<text id="c1"><value>Choix 1</value></text><text id="c2"><value>Choix 2</value></text>
<text id="c3"><value>Choix 3</value></text><text id="c4"><value>Choix 4</value></text>
<text id="c5"><value>Choix 5</value></text><text id="hello"><value>Bonjour</value></text>
</translation>
</itext>
<instance><data id="choice-name">
<literal_choice_name/><select_one_outside/><select_one_name_outside/><greeting/>
<my-repeat><select_one/><select_one_name/></my-repeat>
</data></instance>
<bind nodeset="/data/literal_choice_name" calculate="jr:choice-name('choice2', '/data/select_one_outside')"/>
<bind nodeset="/data/select_one_name_outside" calculate="jr:choice-name(/data/select_one_outside, '/data/select_one_outside')"/>
<bind nodeset="/data/greeting" calculate="jr:itext('hello')"/>
<bind nodeset="/data/my-repeat/select_one_name" calculate="jr:choice-name(../select_one, '../select_one')"/>
</model></h:head><h:body>
<select1 ref="/data/select_one_outside"><label>Outside</label>
<item><label ref="jr:itext('c1')"/><value>choice1</value></item>
<item><label ref="jr:itext('c2')"/><value>choice2</value></item>
<item><label ref="jr:itext('c3')"/><value>choice3</value></item>
<item><label ref="jr:itext('c4')"/><value>choice4</value></item>
<item><label ref="jr:itext('c5')"/><value>choice5</value></item>
</select1>
<repeat nodeset="/data/my-repeat">
<select1 ref="/data/my-repeat/select_one"><label>Inside</label>
<item><label ref="jr:itext('c1')"/><value>choice1</value></item>
<item><label ref="jr:itext('c4')"/><value>choice4</value></item>
<item><label ref="jr:itext('c5')"/><value>choice5</value></item>
</select1>
</repeat>
</h:body></h:html>"#;

#[test]
fn choice_name_of_a_literal_value_and_outside_a_repeat() {
    let mut s = start(CHOICE_NAMES);
    assert_eq!(value(&s, "/data/literal_choice_name"), "Choice 2");
    answer(&mut s, "/data/select_one_outside", "choice3");
    assert_eq!(value(&s, "/data/select_one_name_outside"), "Choice 3");
}

#[test]
fn choice_name_in_a_repeat() {
    let mut s = start(CHOICE_NAMES);
    answer(&mut s, "/data/my-repeat[1]/select_one", "choice4");
    let p = s
        .add_repeat("/data/my-repeat")
        .unwrap_or_else(|e| panic!("{e}"));
    answer(&mut s, &format!("{p}/select_one"), "choice1");
    let p = s
        .add_repeat("/data/my-repeat")
        .unwrap_or_else(|e| panic!("{e}"));
    answer(&mut s, &format!("{p}/select_one"), "choice5");
    assert_eq!(value(&s, "/data/my-repeat[1]/select_one_name"), "Choice 4");
    assert_eq!(value(&s, "/data/my-repeat[2]/select_one_name"), "Choice 1");
    assert_eq!(value(&s, "/data/my-repeat[3]/select_one_name"), "Choice 5");
}

#[test]
fn choice_name_respects_the_language_and_recomputes_on_a_switch() {
    let mut s = start(CHOICE_NAMES);
    s.set_language("French (fr)")
        .unwrap_or_else(|e| panic!("{e}"));
    answer(&mut s, "/data/select_one_outside", "choice3");
    assert_eq!(value(&s, "/data/select_one_name_outside"), "Choix 3");
    answer(&mut s, "/data/my-repeat[1]/select_one", "choice4");
    assert_eq!(value(&s, "/data/my-repeat[1]/select_one_name"), "Choix 4");
    assert_eq!(value(&s, "/data/greeting"), "Bonjour");
    // Beyond the JavaRosa test (which answers again): the switch alone recomputes,
    // so the submission carries the language the citizen last saw.
    s.set_language("English (en)")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(value(&s, "/data/select_one_name_outside"), "Choice 3");
    assert_eq!(value(&s, "/data/my-repeat[1]/select_one_name"), "Choice 4");
    assert_eq!(value(&s, "/data/literal_choice_name"), "Choice 2");
    assert_eq!(value(&s, "/data/greeting"), "Hello");
    let xml = s.instance_xml();
    assert!(xml.contains("<select_one_name_outside>Choice 3</select_one_name_outside>"));
}

fn count_form(initial: &str) -> String {
    format!(
        r#"<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa">
<h:head><h:title>Direct reference count updates</h:title><model>
<instance><data id="count"><rep-count>{initial}</rep-count><rep><quest/></rep></data></instance>
<bind nodeset="/data/rep-count"/><bind nodeset="/data/rep/quest" type="string"/>
</model></h:head><h:body><input ref="/data/rep-count"/>
<repeat nodeset="/data/rep" jr:count="/data/rep-count"><input ref="/data/rep/quest"/></repeat>
</h:body></h:html>"#
    )
}

#[test]
fn count_follows_its_reference_and_a_blank_keeps_the_instances() {
    let mut s = start(&count_form("4"));
    let count = |s: &FormSession| {
        s.repeat_count("/data/rep")
            .unwrap_or_else(|e| panic!("{e}"))
    };
    assert_eq!(count(&s), 4);
    for n in ["7", "2", "11", "0", "3"] {
        answer(&mut s, "/data/rep-count", n);
        assert_eq!(count(&s).to_string(), n);
    }
    answer(&mut s, "/data/rep-count", "");
    assert_eq!(count(&s), 3, "a blank count delays the update (ODK)");
    answer(&mut s, "/data/rep-count", "4");
    assert_eq!(count(&s), 4);
    answer(&mut s, "/data/rep-count", "");
    assert_eq!(count(&s), 4);
}

#[test]
fn count_from_a_constant_and_relative_count() {
    let s = start(&count_form("").replace("jr:count=\"/data/rep-count\"", "jr:count=\"'3'\""));
    assert_eq!(s.repeat_count("/data/rep").ok(), Some(3));
    let rel = count_form("2").replace(
        "jr:count=\"/data/rep-count\"",
        "jr:count=\"current()/../rep-count\"",
    );
    let s = start(&rel);
    assert_eq!(s.repeat_count("/data/rep").ok(), Some(2));
}

fn with_binds(main: &str, binds: &str) -> String {
    format!(
        r#"<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml">
<h:head><h:title>Self</h:title><model><instance><data id="self">{main}</data></instance>
{binds}</model></h:head><h:body/></h:html>"#
    )
}

#[test]
fn self_references_evaluate_with_the_current_value() {
    let s = start(&with_binds(
        "<a>5</a><b/><c>7</c>",
        r#"<bind nodeset="/data/a" type="int" calculate=". + 1"/>
           <bind nodeset="/data/b" calculate="coalesce(., 'kosong')"/>
           <bind nodeset="/data/c" type="int" constraint=". &gt; 10" relevant=". != 0"/>"#,
    ));
    // Evaluated once with the node's own value, not in a loop.
    assert_eq!(value(&s, "/data/a"), "6");
    assert_eq!(value(&s, "/data/b"), "kosong");
    let c = s
        .snapshot()
        .into_iter()
        .find(|n| n.path == "/data/c")
        .unwrap_or_else(|| panic!("c"));
    assert!(c.relevant && c.issue.is_some());
}

#[test]
fn row_numbers_of_sibling_calculates_are_not_a_cycle() {
    let xml = r#"<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml">
<h:head><h:title>Rows</h:title><model><instance><data id="rows">
<repeat><position/><position_2/><other/><concatenated/></repeat></data></instance>
<bind nodeset="/data/repeat/position" calculate="position(..)"/>
<bind nodeset="/data/repeat/position_2" calculate="/data/repeat/position * 2"/>
<bind nodeset="/data/repeat/other" calculate="2 * 2"/>
<bind nodeset="/data/repeat/concatenated" calculate="concat(../position_2, '-', ../other)"/>
</model></h:head><h:body><repeat nodeset="/data/repeat"/></h:body></h:html>"#;
    let mut s = start(xml);
    s.add_repeat("/data/repeat")
        .unwrap_or_else(|e| panic!("{e}"));
    s.add_repeat("/data/repeat")
        .unwrap_or_else(|e| panic!("{e}"));
    // Web Forms' 07-jr-test-add-repeat-calc-multiple-deps expectations.
    assert_eq!(value(&s, "/data/repeat[3]/position"), "3");
    assert_eq!(value(&s, "/data/repeat[3]/concatenated"), "6-4");
    s.remove_repeat("/data/repeat[1]")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(value(&s, "/data/repeat[2]/concatenated"), "4-4");
}

#[test]
fn real_cycles_stay_load_errors() {
    let two = load(&with_binds(
        "<a/><b/>",
        r#"<bind nodeset="/data/a" calculate="/data/b + 1"/>
           <bind nodeset="/data/b" calculate="/data/a + 1"/>"#,
    ));
    assert!(matches!(two, Err(LoadError::Cycle { .. })), "{two:?}");
    let three = load(&with_binds(
        "<a/><b/><c/>",
        r#"<bind nodeset="/data/a" calculate="/data/b + 1"/>
           <bind nodeset="/data/b" calculate="/data/c + 1"/>
           <bind nodeset="/data/c" calculate="/data/a + 1"/>"#,
    ));
    assert!(matches!(three, Err(LoadError::Cycle { .. })), "{three:?}");
}
