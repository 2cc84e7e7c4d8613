//! Pathologically deep XML must be refused or handled, never overflow the stack.

use std::sync::Arc;

use layanan_forms::{FixedEnvironment, Form, FormSession, LoadError, SessionError, Timestamp};

#[test]
fn deeply_nested_instance_does_not_overflow() {
    let depth = 20_000;
    let mut inner = String::new();
    for _ in 0..depth {
        inner.push_str("<a>");
    }
    for _ in 0..depth {
        inner.push_str("</a>");
    }
    let xml = format!(
        r#"<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"><h:head><h:title>D</h:title><model><instance><data id="d">{inner}</data></instance></model></h:head><h:body/></h:html>"#
    );
    assert!(matches!(Form::parse(&xml), Err(LoadError::Xml(_))));
    let body = format!(
        r#"<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"><h:head><h:title>D</h:title><model><instance><data id="d"><x/></data></instance></model></h:head><h:body>{}{}</h:body></h:html>"#,
        "<group>".repeat(depth),
        "</group>".repeat(depth)
    );
    assert!(matches!(Form::parse(&body), Err(LoadError::Xml(_))));
    // A submission that deep is refused by server-side validation too.
    let ok = r#"<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml"><h:head><h:title>D</h:title><model><instance><data id="d"><x/></data></instance></model></h:head><h:body/></h:html>"#;
    let form = Arc::new(Form::parse(ok).unwrap_or_else(|e| panic!("{e}")));
    let env = Arc::new(FixedEnvironment::new(
        Timestamp {
            epoch_millis: 0,
            offset_minutes: 0,
        },
        1,
    ));
    let sub = format!(
        "<data id=\"d\">{}{}</data>",
        "<x>".repeat(depth),
        "</x>".repeat(depth)
    );
    assert!(matches!(
        FormSession::validate_submission(form, env, &sub),
        Err(SessionError::Submission(_))
    ));
}
