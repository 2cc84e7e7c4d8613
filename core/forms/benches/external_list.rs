//! Criterion benchmark of a large external choice list (issue 11): a 10,000-row CSV
//! (`select_one_from_file`, 100 districts x 100 villages) filtered by the district
//! answer. One "keystroke" is an answer that changes the filter plus the page view of
//! the filtered select (what the shell asks for next). Budget: under 5 ms.
//! Run: `cargo bench -p layanan-forms --bench external_list`.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use layanan_forms::{FixedEnvironment, Form, FormSession, Timestamp};

const ROWS: usize = 10_000;
const DISTRICTS: usize = 100;

fn csv() -> Vec<u8> {
    let mut s = String::from("name,label,kec\n");
    for i in 0..ROWS {
        s.push_str(&format!("d{i},Desa {i},k{}\n", i % DISTRICTS));
    }
    s.into_bytes()
}

/// The XForm pyxform writes for `select_one_from_file desa.csv` with a choice filter;
/// `filter` is the itemset predicate.
fn form_xml(filter: &str) -> String {
    format!(
        r#"<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml">
<h:head><h:title>List</h:title><model>
<instance><data id="list"><kec/><q/><desa/><meta><instanceID/></meta></data></instance>
<instance id="desa" src="jr://file-csv/desa.csv"/>
<bind nodeset="/data/kec" type="string"/><bind nodeset="/data/q" type="string"/>
<bind nodeset="/data/desa" type="string"/>
</model></h:head><h:body>
<input ref="/data/kec"><label>Kecamatan</label></input>
<input ref="/data/q"><label>Cari</label></input>
<select1 ref="/data/desa"><label>Desa</label>
<itemset nodeset="instance('desa')/root/item[{filter}]"><value ref="name"/><label ref="label"/></itemset>
</select1></h:body></h:html>"#
    )
}

fn env() -> Arc<FixedEnvironment> {
    Arc::new(FixedEnvironment::new(
        Timestamp {
            epoch_millis: 1_795_860_000_000,
            offset_minutes: 420,
        },
        1,
    ))
}

fn session(filter: &str) -> FormSession {
    let media = BTreeMap::from([("desa.csv".to_string(), csv())]);
    let form = match Form::parse_with_attachments(&form_xml(filter), &media) {
        Ok(f) => Arc::new(f),
        Err(e) => panic!("bench form: {e}"),
    };
    FormSession::new(form, env())
}

fn keystroke(c: &mut Criterion, name: &str, filter: &str, field: &str, values: &[&str]) {
    let mut s = session(filter);
    let mut n = 0usize;
    c.bench_function(name, |b| {
        b.iter(|| {
            n = n.wrapping_add(1);
            let v = values[n % values.len()];
            if let Err(e) = s.answer(field, v) {
                panic!("{e}");
            }
            let q = s.question_at("/data/desa");
            black_box(q.map(|q| q.choices.len()))
        })
    });
}

fn benches(c: &mut Criterion) {
    let media = BTreeMap::from([("desa.csv".to_string(), csv())]);
    let xml = form_xml("kec = /data/kec");
    c.bench_function("load form + 10,000-row CSV", |b| {
        b.iter(|| Form::parse_with_attachments(black_box(&xml), &media))
    });
    let districts = ["k7", "k42", "k99", "k0"];
    keystroke(
        c,
        "10,000-row list: answer + filtered choices (indexed kec = /data/kec)",
        "kec = /data/kec",
        "/data/kec",
        &districts,
    );
    keystroke(
        c,
        "10,000-row list: answer + filtered choices (scan, string(kec) = /data/kec)",
        "string(kec) = /data/kec",
        "/data/kec",
        &districts,
    );
    keystroke(
        c,
        "10,000-row list: search keystroke (scan, contains(label, /data/q))",
        "contains(label, /data/q)",
        "/data/q",
        &["Desa 12", "Desa 123", "Desa 1234", "Desa 1"],
    );
}

criterion_group!(external, benches);
criterion_main!(external);
