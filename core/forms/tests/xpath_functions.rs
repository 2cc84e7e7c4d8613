//! The ODK function set, evaluated through the public API against a small instance.

use layanan_forms::instance::{Document, Forest, NodeRef};
use layanan_forms::xpath::{EvalContext, FormLookup, XPath, XPathError};
use layanan_forms::{FixedEnvironment, Timestamp};

struct Labels;

impl FormLookup for Labels {
    fn choice_label(&self, _node: NodeRef, value: &str) -> Option<String> {
        match value {
            "jkt" => Some("Jakarta".into()),
            "bdg" => Some("Bandung".into()),
            _ => None,
        }
    }
}

/// `/data` with some answers and a `members` repeat of three; context is member 2's name.
fn forest() -> (Forest, NodeRef) {
    let mut d = Document::new();
    let data = d.add_element(0, "data");
    for (k, v) in [
        ("name", "  Siti   Aminah "),
        ("age", "34"),
        ("dob", "1990-05-17"),
        ("visits", "a b c"),
        ("city", "bdg"),
        ("empty", ""),
        ("nik", "3201014405900001"),
        ("loc", "-6.2 106.8 0 5"),
        ("trace", "0 0 0 0; 1 0 0 0"),
        (
            "shape",
            "0 0 0 0; 0 0.001 0 0; 0.001 0.001 0 0; 0.001 0 0 0; 0 0 0 0",
        ),
        ("flag", "true"),
        ("seen", "2020-01-02T12:30:00.000+07:00"),
    ] {
        let n = d.add_element(data, k);
        d.set_value(n, v);
    }
    let mut ctx = 0;
    for (i, age) in ["5", "40", "17"].iter().enumerate() {
        let m = d.add_element(data, "members");
        let a = d.add_element(m, "age");
        d.set_value(a, age);
        let n = d.add_element(m, "mname");
        d.set_value(n, &format!("m{}", i + 1));
        if i == 1 {
            ctx = n;
        }
    }
    let mut f = Forest::new(d);
    let mut list = Document::new();
    let root = list.add_element(0, "root");
    for (name, label) in [("jkt", "Jakarta"), ("bdg", "Bandung"), ("bgr", "Bogor")] {
        let item = list.add_element(root, "item");
        let n = list.add_element(item, "name");
        list.set_value(n, name);
        let l = list.add_element(item, "label");
        list.set_value(l, label);
    }
    f.add_secondary("cities", list);
    (f, NodeRef::primary(ctx))
}

fn env() -> FixedEnvironment {
    // 2026-11-28T10:00:00Z, shown in WIB (+07:00).
    FixedEnvironment::new(
        Timestamp {
            epoch_millis: 1_795_860_000_000,
            offset_minutes: 420,
        },
        99,
    )
}

fn eval(src: &str) -> Result<String, XPathError> {
    let (f, ctx) = forest();
    let env = env();
    let e = EvalContext {
        forest: &f,
        env: &env,
        lookup: &Labels,
    };
    XPath::compile(src)?.eval_string(&e, ctx)
}

fn s(src: &str) -> String {
    eval(src).unwrap_or_else(|e| panic!("{src}: {e}"))
}

#[test]
fn logic_and_conditionals() {
    assert_eq!(s("if(/data/age > 17, 'dewasa', 'anak')"), "dewasa");
    assert_eq!(s("if(/data/empty = '', 'kosong', 'isi')"), "kosong");
    assert_eq!(s("coalesce(/data/empty, /data/city)"), "bdg");
    assert_eq!(s("not(true()) or false()"), "false");
    assert_eq!(s("boolean-from-string(/data/flag)"), "true");
    assert_eq!(s("boolean-from-string('yes')"), "false");
    assert_eq!(s("boolean(/data/nothing)"), "false");
}

#[test]
fn strings() {
    assert_eq!(s("concat('a', 1, true())"), "a1true");
    assert_eq!(s("concat(../../members/mname)"), "m1m2m3");
    assert_eq!(s("join(', ', ../../members/mname)"), "m1, m2, m3");
    assert_eq!(s("normalize-space(/data/name)"), "Siti Aminah");
    assert_eq!(s("string-length(/data/nik)"), "16");
    assert_eq!(s("string-length()"), "2");
    assert_eq!(s("substr(/data/nik, 6, 12)"), "440590");
    assert_eq!(s("substring(/data/nik, 1, 2)"), "32");
    assert_eq!(s("substring-before('a-b-c', '-')"), "a");
    assert_eq!(s("substring-after('a-b-c', '-')"), "b-c");
    assert_eq!(s("contains(/data/name, 'Siti')"), "true");
    assert_eq!(s("starts-with(/data/nik, '32')"), "true");
    assert_eq!(s("ends-with(/data/nik, '01')"), "true");
    assert_eq!(s("translate('abc', 'abc', 'AB')"), "AB");
    assert_eq!(s("regex(/data/nik, '^[0-9]{16}$')"), "true");
    assert_eq!(s("regex('12a', '^[0-9]+$')"), "false");
    assert!(eval("regex('x', '[')").is_err());
    assert_eq!(s("base64-decode('SGFsbw==')"), "Halo");
    assert_eq!(s("string(1 div 0)"), "Infinity");
}

#[test]
fn numbers() {
    assert_eq!(s("number('12.5') * 2"), "25");
    assert_eq!(s("int(-3.7)"), "-3");
    assert_eq!(s("round(2.5)"), "3");
    assert_eq!(s("round(-2.5)"), "-2");
    assert_eq!(s("round(3.14159, 2)"), "3.14");
    assert_eq!(s("pow(2, 10)"), "1024");
    assert_eq!(s("abs(-4)"), "4");
    assert_eq!(s("min(../../members/age)"), "5");
    assert_eq!(s("max(../../members/age, 50)"), "50");
    assert_eq!(s("max(/data/empty, 3)"), "NaN");
    assert_eq!(s("sum(../../members/age)"), "62");
    assert_eq!(s("count(../../members[age >= 17])"), "2");
    assert_eq!(s("count-non-empty(/data/*)"), "14");
    assert_eq!(s("floor(2.7) + ceiling(2.1)"), "5");
    assert_eq!(s("round(log10(1000))"), "3");
    assert_eq!(s("round(sqrt(16) + exp(0) + pi() - pi())"), "5");
    assert_eq!(s("number('abc')"), "NaN");
}

#[test]
fn selects() {
    assert_eq!(s("selected(/data/visits, 'b')"), "true");
    assert_eq!(s("selected(/data/visits, ' c ')"), "true");
    assert_eq!(s("selected(/data/visits, 'd')"), "false");
    assert_eq!(s("count-selected(/data/visits)"), "3");
    assert_eq!(s("selected-at(/data/visits, 1)"), "b");
    assert_eq!(s("selected-at(/data/visits, 9)"), "");
    assert_eq!(s("jr:choice-name(/data/city, '/data/city')"), "Bandung");
    assert_eq!(s("jr:choice-name('zzz', '/data/city')"), "");
    assert_eq!(
        s("checklist(2, -1, true(), 'yes' = 'yes', false())"),
        "true"
    );
    assert_eq!(s("checklist(-1, 1, true(), true())"), "false");
    assert_eq!(
        s("weighted-checklist(5, -1, true(), 3, false(), 10, 1, 2)"),
        "true"
    );
}

#[test]
fn positions_and_repeats() {
    assert_eq!(s("position(..)"), "2");
    assert_eq!(
        s("indexed-repeat(/data/members/mname, /data/members, 3)"),
        "m3"
    );
    assert_eq!(
        s("indexed-repeat(/data/members/age, /data/members, 1)"),
        "5"
    );
    assert_eq!(s("indexed-repeat(/data/members/age, /data/members, 7)"), "");
    assert_eq!(s("../../members[3]/mname"), "m3");
    assert_eq!(
        s("instance('cities')/root/item[name = /data/city]/label"),
        "Bandung"
    );
    assert_eq!(s("count(instance('cities')/root/item)"), "3");
    assert_eq!(s("name(current()/..)"), "members");
    assert_eq!(s("once('x')"), "m2");
}

#[test]
fn dates() {
    assert_eq!(s("today()"), "2026-11-28");
    assert_eq!(s("now()"), "2026-11-28T17:00:00.000+07:00");
    assert_eq!(s("date(0)"), "1970-01-01");
    // A dateTime keeps its time part (JavaRosa's calculate-now test).
    assert_eq!(
        s("date('2020-01-02T10:00:00+07:00')"),
        "2020-01-02T10:00:00.000+07:00"
    );
    assert_eq!(
        s("format-date-time(date('2018-01-01T10:20:30.400'), '%Y-%m-%dT%H:%M:%S.%3')"),
        "2018-01-01T10:20:30.400"
    );
    assert_eq!(s("date('2018-01-01')"), "2018-01-01");
    assert_eq!(s("date(/data/dob + 1)"), "1990-05-18");
    assert_eq!(s("int((today() - /data/dob) div 365.25)"), "36");
    assert_eq!(s("/data/dob < today()"), "true");
    assert_eq!(
        s("format-date(/data/dob, '%d/%m/%Y %b %e %a')"),
        "17/05/1990 May 17 Thu"
    );
    assert_eq!(s("format-date-time(/data/seen, '%H:%M')"), "12:30");
    assert_eq!(s("format-date(/data/empty, '%Y')"), "");
    assert_eq!(s("decimal-date-time('1970-01-02T00:00:00Z')"), "1");
    assert_eq!(s("decimal-time('12:00:00')"), "0.5");
    assert_eq!(s("date-time(1.5)"), "1970-01-02T12:00:00.000+07:00");
}

#[test]
fn randomness_digest_geo() {
    let u = s("uuid()");
    assert_eq!(u.len(), 36);
    assert_eq!(s("uuid()"), u, "same seed, same first uuid");
    assert_eq!(s("string-length(uuid(12))"), "12");
    let r: f64 = s("random()").parse().unwrap_or(-1.0);
    assert!((0.0..1.0).contains(&r));
    let a = s("join(' ', randomize(instance('cities')/root/item/name, 7))");
    assert_eq!(
        a,
        s("join(' ', randomize(instance('cities')/root/item/name, 7))")
    );
    let mut parts: Vec<&str> = a.split(' ').collect();
    parts.sort();
    assert_eq!(parts, vec!["bdg", "bgr", "jkt"]);
    assert_eq!(
        s("digest('abc', 'SHA-1', 'hex')"),
        "a9993e364706816aba3e25717850c26c9cd0d89d"
    );
    assert_eq!(s("round(distance(/data/trace))"), "111319");
    assert_eq!(s("round(area(/data/shape) div 100)"), "124");
    assert_eq!(s("round(distance(/data/loc, '-6.2 106.9') div 1000)"), "11");
}

#[test]
fn runtime_errors_are_errors_not_panics() {
    assert!(matches!(eval("$x"), Err(XPathError::Eval(_))));
    assert!(matches!(eval("(1)/a"), Err(XPathError::Eval(_))));
    assert!(matches!(eval("1 | 2"), Err(XPathError::Eval(_))));
    assert!(matches!(
        eval("digest('a', 'NOPE')"),
        Err(XPathError::Eval(_))
    ));
    // pulldata() from a list the form does not have is blank, as in JavaRosa.
    assert_eq!(s("pulldata('a', 'b', 'c', 'd')"), "");
}

/// Aggregates over an empty node-set, as JavaRosa's XPathFuncExpr defines them: the
/// sum is 0 (never "-0"), min and max are NaN, counts are 0.
#[test]
fn aggregates_on_empty_node_sets_follow_javarosa() {
    assert_eq!(s("sum(/data/nothing)"), "0");
    assert_eq!(s("sum(/data/nothing) + 1"), "1");
    assert_eq!(s("min(/data/nothing)"), "NaN");
    assert_eq!(s("max(/data/nothing)"), "NaN");
    assert_eq!(s("count(/data/nothing)"), "0");
    assert_eq!(s("count-non-empty(/data/nothing)"), "0");
}

#[test]
fn geofence_and_enclosed_area() {
    let shape = "'0 0 0 0; 0 1 0 0; 1 1 0 0; 1 0 0 0; 0 0 0 0'";
    assert_eq!(s(&format!("geofence('0.5 0.5 0 0', {shape})")), "true");
    assert_eq!(s(&format!("geofence('2 2 0 0', {shape})")), "false");
    assert_eq!(
        s(&format!("enclosed-area({shape})")),
        s(&format!("area({shape})"))
    );
}
