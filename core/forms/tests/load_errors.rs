//! Malformed and broken forms: every problem is a typed error naming where it is.

use layanan_forms::xpath::XPathError;
use layanan_forms::{Form, LoadError};

/// A minimal XForm around the given binds, instance body and controls.
fn xform(instance: &str, binds: &str, body: &str) -> String {
    format!(
        r#"<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa">
  <h:head><h:title>T</h:title>
    <model>
      <instance><data id="t">{instance}<meta><instanceID/></meta></data></instance>
      {binds}
    </model>
  </h:head>
  <h:body>{body}</h:body>
</h:html>"#
    )
}

fn load(instance: &str, binds: &str, body: &str) -> Result<Form, LoadError> {
    Form::parse(&xform(instance, binds, body))
}

#[test]
fn a_minimal_form_loads() {
    let f = load(
        "<a/>",
        r#"<bind nodeset="/data/a" type="int"/>"#,
        r#"<input ref="/data/a"/>"#,
    );
    assert!(f.is_ok(), "{f:?}");
}

#[test]
fn malformed_xml() {
    for bad in [
        "",
        "<h:html>",
        "<a><b></a>",
        "not xml at all",
        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"boom\">]><x>&e;</x>",
    ] {
        assert!(matches!(Form::parse(bad), Err(LoadError::Xml(_))), "{bad}");
    }
}

#[test]
fn missing_structure() {
    let cases = [
        r#"<h:html xmlns:h="http://www.w3.org/1999/xhtml"><h:body/></h:html>"#,
        r#"<h:html xmlns:h="http://www.w3.org/1999/xhtml"><h:head/></h:html>"#,
        r#"<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"><h:head><model/></h:head></h:html>"#,
        r#"<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"><h:head><model><instance/></model></h:head></h:html>"#,
        r#"<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"><h:head><model><instance><data/></instance><instance><x/></instance></model></h:head></h:html>"#,
    ];
    for c in cases {
        assert!(
            matches!(Form::parse(c), Err(LoadError::Structure(_))),
            "{c}"
        );
    }
}

#[test]
fn unknown_function_names_bind_and_expression() {
    let err = load(
        "<a/><b/>",
        r#"<bind nodeset="/data/a"/><bind nodeset="/data/b" calculate="concat(/data/a, frobnicate(1))"/>"#,
        "",
    );
    match err {
        Err(LoadError::BindExpression {
            bind,
            attribute,
            expression,
            source,
        }) => {
            assert_eq!(bind, "/data/b");
            assert_eq!(attribute, "calculate");
            assert_eq!(expression, "concat(/data/a, frobnicate(1))");
            assert_eq!(
                *source,
                XPathError::UnknownFunction {
                    name: "frobnicate".into(),
                    pos: 16
                }
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn syntax_error_and_arity_are_typed() {
    match load(
        "<a/>",
        r#"<bind nodeset="/data/a" relevant="/data/a = "/>"#,
        "",
    ) {
        Err(LoadError::BindExpression {
            attribute, source, ..
        }) => {
            assert_eq!(attribute, "relevant");
            assert!(
                matches!(*source, XPathError::Syntax { pos: 10, .. }),
                "{source:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    match load(
        "<a/>",
        r#"<bind nodeset="/data/a" constraint="selected(.)"/>"#,
        "",
    ) {
        Err(LoadError::BindExpression { source, .. }) => {
            assert!(
                matches!(*source, XPathError::Arity { found: 1, .. }),
                "{source:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    let e = load(
        "<a/>",
        r#"<bind nodeset="/data/a" constraint="selected(.)"/>"#,
        "",
    )
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(e.contains("/data/a") && e.contains("selected(.)"), "{e}");
}

#[test]
fn body_expressions_are_checked() {
    let err = load(
        "<a/>",
        "",
        r#"<select1 ref="/data/a"><itemset nodeset="instance('x')/root/item[nope(1)]"><value ref="name"/><label ref="label"/></itemset></select1>"#,
    );
    match err {
        Err(LoadError::BodyExpression { location, .. }) => assert_eq!(location, "/data/a"),
        other => panic!("{other:?}"),
    }
    let err = load(
        "<a/>",
        "",
        r#"<input ref="/data/a"><label>Hi <output value="1 +"/></label></input>"#,
    );
    assert!(
        matches!(err, Err(LoadError::BodyExpression { .. })),
        "{err:?}"
    );
}

#[test]
fn unknown_nodes() {
    // A bind to a missing node is ignored with a warning, as ODK ignores it.
    let form = load("<a/>", r#"<bind nodeset="/data/zz" type="int"/>"#, "")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        form.warnings(),
        &[layanan_forms::LoadWarning::MissingNode {
            nodeset: "/data/zz".into()
        }]
    );
    assert!(form.def.bind("/data/zz").is_none());
    assert_eq!(
        load("<a/>", "", r#"<input ref="/data/nope"/>"#).err(),
        Some(LoadError::UnknownNode("/data/nope".into()))
    );
    assert_eq!(
        load(
            "<a/>",
            "",
            r#"<group ref="/data/g"><input ref="/data/a"/></group>"#
        )
        .err(),
        Some(LoadError::UnknownNode("/data/g".into()))
    );
}

#[test]
fn calculation_cycles_name_the_nodes() {
    let err = load(
        "<a/><b/><c/>",
        r#"<bind nodeset="/data/a" calculate="/data/c + 1"/>
           <bind nodeset="/data/b" calculate="/data/a * 2"/>
           <bind nodeset="/data/c" calculate="/data/b - 1"/>"#,
        "",
    );
    match err {
        Err(LoadError::Cycle { nodes }) => {
            assert_eq!(nodes.len(), 4, "{nodes:?}");
            assert_eq!(nodes.first(), nodes.last());
            for n in ["/data/a", "/data/b", "/data/c"] {
                assert!(nodes.iter().any(|x| x == n), "{nodes:?}");
            }
        }
        other => panic!("{other:?}"),
    }
    // A calculation reading its own node is not a cycle (ADR 0003); two nodes that
    // read each other are.
    let self_ref = load("<a/>", r#"<bind nodeset="/data/a" calculate=". + 1"/>"#, "");
    assert!(self_ref.is_ok(), "{self_ref:?}");
    let pair = load(
        "<a/><b/>",
        r#"<bind nodeset="/data/a" calculate="/data/b"/>
           <bind nodeset="/data/b" calculate="coalesce(/data/a, .)"/>"#,
        "",
    );
    assert!(matches!(pair, Err(LoadError::Cycle { .. })), "{pair:?}");
    // A constraint or relevance on itself is not a cycle.
    let fine = load(
        "<a/><b/>",
        r#"<bind nodeset="/data/a" constraint=". &gt; 1" relevant="/data/b != ''"/>
           <bind nodeset="/data/b" calculate="/data/a"/>"#,
        "",
    );
    assert!(fine.is_ok(), "{fine:?}");
}

#[test]
fn a_malformed_range_bound_is_refused() {
    // JavaRosa's XFormParserTest: "-2.0.1" is not a number.
    let err = load(
        "<r/>",
        r#"<bind nodeset="/data/r" type="decimal"/>"#,
        r#"<range ref="/data/r" start="-2.0.1" end="2.0" step="0.5"><label>R</label></range>"#,
    );
    assert!(
        matches!(&err, Err(LoadError::Structure(m)) if m.contains("start")),
        "{err:?}"
    );
    let fine = load(
        "<r/>",
        r#"<bind nodeset="/data/r" type="int"/>"#,
        r#"<range ref="/data/r" start="-6" end="4" step="2"><label>R</label></range>"#,
    );
    assert!(fine.is_ok(), "{fine:?}");
}

#[test]
fn unknown_action_events_are_refused() {
    // JavaRosa's MultipleEventsTest / OdkNewRepeatEventTest, as ported by Web Forms.
    let err = load(
        "<a/>",
        r#"<setvalue event="odk-inftance-first-load my-fake-event" ref="/data/a">x</setvalue>"#,
        "",
    );
    assert!(
        matches!(&err, Err(LoadError::Structure(m))
            if m.contains("unsupported events: odk-inftance-first-load, my-fake-event")),
        "{err:?}"
    );
    let err = load(
        "<a/>",
        r#"<setvalue event="odk-new-repeat" ref="/data/a">x</setvalue>"#,
        "",
    );
    assert!(matches!(err, Err(LoadError::Structure(_))), "{err:?}");
    let fine = load(
        "<a/>",
        r#"<setvalue event="odk-instance-load" ref="/data/a">x</setvalue>"#,
        "",
    );
    assert!(fine.is_ok(), "{fine:?}");
}
