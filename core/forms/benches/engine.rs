//! Criterion benchmarks of the figures issue 3 budgets: loading a 1,000-question form
//! with 300 relevance and 100 calculate expressions, and one answer that triggers
//! recomputation (budget: under 1 ms). Run: `cargo bench -p layanan-forms`.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use layanan_forms::{FixedEnvironment, Form, FormSession, Timestamp};

mod generate;

fn env() -> Arc<FixedEnvironment> {
    Arc::new(FixedEnvironment::new(
        Timestamp {
            epoch_millis: 1_795_860_000_000,
            offset_minutes: 420,
        },
        1,
    ))
}

fn benches(c: &mut Criterion) {
    let xml = generate::big_form(1000, 300, 100);
    c.bench_function("load 1000q/300rel/100calc", |b| {
        b.iter(|| Form::parse(black_box(&xml)))
    });
    let form = match Form::parse(&xml) {
        Ok(f) => Arc::new(f),
        Err(e) => panic!("generated form: {e}"),
    };
    c.bench_function("new session 1000q", |b| {
        b.iter(|| FormSession::new(Arc::clone(&form), env()))
    });
    let mut s = FormSession::new(Arc::clone(&form), env());
    let mut n = 0u32;
    c.bench_function("answer q0 (300 relevance + 100 chained calculates)", |b| {
        b.iter(|| {
            n = n.wrapping_add(1);
            s.answer("/data/q0", if n % 2 == 0 { "60" } else { "7" })
        })
    });
    c.bench_function("answer q999 (nothing depends on it)", |b| {
        b.iter(|| {
            n = n.wrapping_add(1);
            s.answer("/data/q999", if n % 2 == 0 { "1" } else { "2" })
        })
    });
    c.bench_function("current page 1000q", |b| b.iter(|| s.current_page()));
    c.bench_function("validate all 1000q", |b| b.iter(|| s.validate_all()));
}

criterion_group!(engine, benches);
criterion_main!(engine);
