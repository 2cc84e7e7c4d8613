//! Property tests: the XPath parser, the evaluator and the XForm loader never panic,
//! whatever they are given. Forms come from outside the app; a panic would take the
//! app down (or, behind the FFI, abort a whole call).

use std::sync::Arc;

use layanan_forms::instance::{Document, Forest, NodeRef};
use layanan_forms::xpath::{EvalContext, NoLookup, XPath};
use layanan_forms::{FixedEnvironment, Form, FormSession, Timestamp};
use proptest::prelude::*;

const BANSOS: &str = include_str!("../fixtures/handwritten/bansos.xml");

fn env() -> FixedEnvironment {
    FixedEnvironment::new(
        Timestamp {
            epoch_millis: 0,
            offset_minutes: 420,
        },
        3,
    )
}

fn forest() -> Forest {
    let mut d = Document::new();
    let data = d.add_element(0, "data");
    for (k, v) in [("a", "1"), ("b", "x y"), ("c", "2020-01-01"), ("d", "")] {
        let n = d.add_element(data, k);
        d.set_value(n, v);
    }
    let r = d.add_element(data, "r");
    let n = d.add_element(r, "a");
    d.set_value(n, "-3.5");
    let mut f = Forest::new(d);
    let mut s = Document::new();
    let root = s.add_element(0, "root");
    let item = s.add_element(root, "item");
    let name = s.add_element(item, "name");
    s.set_value(name, "1");
    f.add_secondary("list", s);
    f
}

/// Fragments that make syntactically interesting expressions when concatenated.
fn fragment() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "/",
        "//",
        "data",
        "a",
        "b",
        "r",
        "..",
        ".",
        "@id",
        "*",
        "[",
        "]",
        "(",
        ")",
        ",",
        "1",
        "2.5",
        "'s'",
        "\"t\"",
        " + ",
        " - ",
        " * ",
        " div ",
        " mod ",
        " = ",
        " != ",
        " < ",
        " <= ",
        " > ",
        " and ",
        " or ",
        "|",
        "-",
        "count(",
        "sum(",
        "concat(",
        "if(",
        "selected(",
        "substr(",
        "regex(",
        "format-date(",
        "indexed-repeat(",
        "instance('list')",
        "current()",
        "position()",
        "last()",
        "round(",
        "date(",
        "coalesce(",
        "randomize(",
        "jr:choice-name(",
        "digest(",
        "uuid(",
        "ancestor::",
        "following::",
        "preceding-sibling::",
        "node()",
        "text()",
        "$v",
        "today()",
        "pow(",
        "min(",
        "checklist(",
        "area(",
        "distance(",
    ])
    .prop_map(str::to_string)
}

fn expression() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 1..14).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn xpath_compile_never_panics(src in "\\PC{0,60}") {
        let _ = XPath::compile(&src);
    }

    #[test]
    fn xpath_eval_never_panics(src in expression()) {
        if let Ok(x) = XPath::compile(&src) {
            let f = forest();
            let env = env();
            let ctx = EvalContext { forest: &f, env: &env, lookup: &NoLookup };
            for node in [0, 1, 2, 6, 7] {
                let _ = x.eval(&ctx, NodeRef::primary(node));
            }
        }
    }

    #[test]
    fn xml_loading_never_panics(src in "\\PC{0,200}") {
        let _ = Form::parse(&src);
    }

    #[test]
    fn mutated_forms_never_panic(
        edits in prop::collection::vec((0usize..BANSOS.len(), 0usize..6, "\\PC{0,4}"), 1..4)
    ) {
        let mut xml = BANSOS.to_string();
        for (pos, del, ins) in edits {
            let mut p = pos.min(xml.len());
            while !xml.is_char_boundary(p) {
                p -= 1;
            }
            let mut end = (p + del).min(xml.len());
            while !xml.is_char_boundary(end) {
                end -= 1;
            }
            xml.replace_range(p..end, &ins);
        }
        if let Ok(form) = Form::parse(&xml) {
            let mut s = FormSession::new(Arc::new(form), Arc::new(env()));
            let _ = s.answer("/data/nik", "3201014405900001");
            let _ = s.answer("/data/has_members", "yes");
            let _ = s.add_repeat("/data/members");
            let _ = s.current_page();
            let _ = s.next_page();
            let draft = s.export_draft();
            let _ = FormSession::resume(Arc::clone(s.form()), Arc::new(env()), &draft);
            let _ = s.finalize();
        }
    }
}
