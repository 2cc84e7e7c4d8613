//! Search and indexing speed (docs/benchmarks.md). Budgets from issue 12: a query on
//! a 2,000-service catalog under 10 ms, indexing the starter catalog (48 services)
//! under 200 ms. The documents are generated from real Indonesian service words so
//! the stemmer and the typo scan do real work.

use criterion::{criterion_group, criterion_main, Criterion};
use layanan_search::{Document, Index};

const WORDS: &[&str] = &[
    "pembuatan",
    "penggantian",
    "perpanjangan",
    "pendaftaran",
    "akta",
    "kelahiran",
    "kematian",
    "perkawinan",
    "kartu",
    "keluarga",
    "penduduk",
    "paspor",
    "izin",
    "usaha",
    "surat",
    "keterangan",
    "domisili",
    "pindah",
    "bantuan",
    "sosial",
    "kesehatan",
    "pengaduan",
    "kehilangan",
    "kepolisian",
    "sekolah",
    "tanah",
    "sertifikat",
    "pajak",
    "nomor",
    "induk",
    "berusaha",
    "desa",
    "kelurahan",
    "kecamatan",
    "persyaratan",
    "fotokopi",
    "formulir",
    "pemohon",
    "anak",
    "orang",
    "tua",
    "dokumen",
    "asli",
];

fn documents(n: usize) -> Vec<Document> {
    // A fixed linear congruential sequence: the same catalog on every run.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut word = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        WORDS[(state >> 33) as usize % WORDS.len()]
    };
    (0..n)
        .map(|i| {
            let mut text = |len: usize| (0..len).map(|_| word()).collect::<Vec<_>>().join(" ");
            Document {
                id: format!("layanan-{i}"),
                fields: vec![
                    (text(5), 5.0),
                    (text(12), 4.0),
                    (text(40), 1.5),
                    (text(30), 0.5),
                ],
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let big = Index::build(&documents(2_000));
    c.bench_function("query, 2,000 services: 'bikin akte kelahiran anak'", |b| {
        b.iter(|| big.search("bikin akte kelahiran anak", 10))
    });
    c.bench_function(
        "query with typos, 2,000 services: 'perpanjngan pasport'",
        |b| b.iter(|| big.search("perpanjngan pasport", 10)),
    );
    let small = documents(48);
    c.bench_function("index 48 services", |b| b.iter(|| Index::build(&small)));
}

criterion_group!(benches, bench);
criterion_main!(benches);
