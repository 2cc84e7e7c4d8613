//! Sealed-store benchmarks. Results and the machine they ran on: docs/benchmarks.md.
//!
//! - `draft_save`: the autosave after one answer, through the sealed store, against a
//!   plain rusqlite upsert of the same answers on the same kind of connection (WAL,
//!   synchronous=NORMAL). Budget: sealed within 1.3x of plain.
//!   `plain_rusqlite_update_with_guard` is the plain update plus what store
//!   integrity adds to an autosave (its generation written into the draft row and a
//!   `pwrite` of the guard file); `..._with_store_meta_bump` what it adds to any
//!   other write (a `store_meta` update in the same transaction: one more page).
//! - `checkpoint`: a save followed by a deliberate `TRUNCATE` checkpoint (what
//!   finalize, the end of a sync run and the background hook pay).
//! - `profile_open`: opening the store and unlocking a profile that holds 10,000
//!   drafts, with a hardware-like vault (no KDF). Budget: under 50 ms.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use layanan_device::{Answers, StaticKeyVault, Store};
use rusqlite::{params, Connection};

fn realistic_answers(seed: usize) -> Answers {
    // A KTP-el replacement form: ~40 answers, ~2 KB of JSON.
    let mut a = Answers::new();
    a.insert(
        "/data/nama_lengkap".into(),
        "Siti Nurhaliza binti Abdullah".into(),
    );
    a.insert(
        "/data/nik".into(),
        format!("32010124{:08}", seed % 100_000_000),
    );
    a.insert(
        "/data/alamat".into(),
        "Jl. Merdeka No. 17, RT 003/RW 005, Kel. Sukamaju".into(),
    );
    a.insert("/data/tanggal_lahir".into(), "1990-01-24".into());
    for i in 0..36 {
        a.insert(
            format!("/data/bagian_{}/pertanyaan_{i}", i / 6),
            format!("jawaban nomor {i} untuk formulir"),
        );
    }
    a
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn draft_save(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path().join("sealed")).expect("open store");
    let vault = StaticKeyVault::new([9; 32]);
    let profile = store.create_profile("Bench", &vault).expect("profile");
    let answers = realistic_answers(1);
    let draft = profile
        .drafts()
        .create("ktp_el", "2026.1", &answers)
        .expect("draft");

    // The baseline: the same schema, indexes and pragmas as the store, the same
    // answers as JSON, written by an upsert without sealing. The difference between
    // the two is what sealing costs.
    let plain = Connection::open(dir.path().join("plain.db")).expect("plain db");
    plain
        .execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;
             PRAGMA secure_delete = ON;",
        )
        .expect("plain pragmas");
    plain
        .execute_batch(layanan_device::testing::CREATE)
        .expect("plain schema");
    plain
        .execute(
            "INSERT INTO profiles (id, label, created_at, state) VALUES (?1, 'Bench', 0, 'active')",
            [profile.id()],
        )
        .expect("plain profile");
    // Every save changes one answer, as typing does: SQLite skips writing a cell
    // whose bytes did not change, so rewriting identical bytes would flatter the
    // plain baseline (sealed bytes always change: the nonce is fresh).
    let typing = |answers: &mut Answers, i: &mut u64| {
        *i += 1;
        answers.insert(
            "/data/alamat".into(),
            format!("Jl. Merdeka No. {i}, RT 003/RW 005"),
        );
    };
    let mut group = c.benchmark_group("draft_save");
    let (mut sealed_answers, mut i) = (answers.clone(), 0u64);
    group.bench_function("sealed_store", |b| {
        b.iter(|| {
            typing(&mut sealed_answers, &mut i);
            profile
                .drafts()
                .save(&draft.id, &sealed_answers)
                .expect("save")
        })
    });
    let (mut plain_answers, mut j) = (answers.clone(), 0u64);
    group.bench_function("plain_rusqlite_upsert", |b| {
        b.iter(|| {
            typing(&mut plain_answers, &mut j);
            let bytes = serde_json::to_vec(&plain_answers).expect("json");
            plain
                .prepare_cached(
                    "INSERT INTO drafts (id, profile_id, form_id, form_version, created_at, updated_at, answers)
                     VALUES (?1, ?2, 'ktp_el', '2026.1', 0, ?3, ?4)
                     ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at, answers = excluded.answers",
                )
                .expect("prepare")
                .execute(params![draft.id, profile.id(), now_ms(), bytes])
                .expect("upsert")
        })
    });
    // The same statement the store runs, without sealing.
    group.bench_function("plain_rusqlite_update", |b| {
        b.iter(|| {
            typing(&mut plain_answers, &mut j);
            let bytes = serde_json::to_vec(&plain_answers).expect("json");
            plain
                .prepare_cached(
                    "UPDATE drafts SET answers = ?1, updated_at = ?2 WHERE id = ?3 AND profile_id = ?4",
                )
                .expect("prepare")
                .execute(params![bytes, now_ms(), draft.id, profile.id()])
                .expect("update")
        })
    });
    // The same update, plus what store integrity adds to an autosave: the
    // generation in the draft row (`drafts.generation`) and a 64-byte pwrite of the
    // guard file; and, for every other write, a bump of `store_meta` (one more page).
    let guard = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .read(true)
        .write(true)
        .open(dir.path().join("plain.guard"))
        .expect("guard file");
    let mut generation = 0i64;
    let mirror = |generation: i64| {
        let mut slot = [0u8; 128];
        slot[..8].copy_from_slice(&generation.to_be_bytes());
        std::os::unix::fs::FileExt::write_all_at(&guard, &slot, 64).expect("mirror");
    };
    group.bench_function("plain_rusqlite_update_with_guard", |b| {
        b.iter(|| {
            typing(&mut plain_answers, &mut j);
            let bytes = serde_json::to_vec(&plain_answers).expect("json");
            generation += 1;
            plain
                .prepare_cached(
                    "UPDATE drafts SET answers = ?1, updated_at = ?2, generation = ?5
                     WHERE id = ?3 AND profile_id = ?4",
                )
                .expect("prepare")
                .execute(params![bytes, now_ms(), draft.id, profile.id(), generation])
                .expect("update");
            mirror(generation);
        })
    });
    group.bench_function("plain_rusqlite_update_with_store_meta_bump", |b| {
        b.iter(|| {
            typing(&mut plain_answers, &mut j);
            let bytes = serde_json::to_vec(&plain_answers).expect("json");
            let tx = plain.unchecked_transaction().expect("begin");
            tx.prepare_cached(
                "UPDATE drafts SET answers = ?1, updated_at = ?2 WHERE id = ?3 AND profile_id = ?4",
            )
            .expect("prepare")
            .execute(params![bytes, now_ms(), draft.id, profile.id()])
            .expect("update");
            let g: i64 = tx
                .prepare_cached(
                    "UPDATE store_meta SET generation = generation + 1 WHERE id = 1 RETURNING generation",
                )
                .expect("prepare")
                .query_row([], |r| r.get(0))
                .expect("bump");
            tx.commit().expect("commit");
            mirror(g);
        })
    });
    group.finish();

    let mut group = c.benchmark_group("checkpoint");
    group.bench_function("save_then_checkpoint", |b| {
        b.iter(|| {
            typing(&mut sealed_answers, &mut i);
            profile
                .drafts()
                .save(&draft.id, &sealed_answers)
                .expect("save");
            store.checkpoint().expect("checkpoint")
        })
    });
    group.finish();
}

fn profile_open(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let vault = StaticKeyVault::new([5; 32]);
    let profile_id = {
        let store = Store::open(dir.path()).expect("open store");
        let profile = store.create_profile("Bench", &vault).expect("profile");
        for i in 0..10_000 {
            profile
                .drafts()
                .create("ktp_el", "2026.1", &realistic_answers(i))
                .expect("draft");
        }
        profile.id().to_owned()
    };
    let mut group = c.benchmark_group("profile_open");
    group.bench_function("open_store_and_unlock_10k_drafts", |b| {
        b.iter_batched(
            || (),
            |()| {
                let store = Store::open(dir.path()).expect("open");
                store.unlock_profile(&profile_id, &vault).expect("unlock")
            },
            BatchSize::PerIteration,
        )
    });
    let store = Store::open(dir.path()).expect("open");
    group.bench_function("unlock_10k_drafts", |b| {
        b.iter(|| store.unlock_profile(&profile_id, &vault).expect("unlock"))
    });
    group.finish();
}

criterion_group!(benches, draft_save, profile_open);
criterion_main!(benches);
