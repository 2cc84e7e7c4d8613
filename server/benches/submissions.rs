//! Server benchmark: accepted OpenRosa submissions per second over loopback HTTP, with
//! SQLite and (when LAYANAN_TEST_POSTGRES_URL is set) PostgreSQL.
//!
//! `cargo bench -p layanan-server --bench submissions`
//! `bash server/scripts/with-postgres.sh cargo bench -p layanan-server --bench submissions`
//!
//! The client runs in the same process on the same 2 cores, so the figures are a
//! floor for the server alone. Every request is a real multipart POST (anonymous, as
//! ODK Collect sends it), validated by the forms engine and committed durably
//! (SQLite `synchronous=FULL`; PostgreSQL with fsync as configured) before its 201.

#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::sync::Arc;
use std::time::Instant;

use layanan_protocol::InstanceId;
use layanan_server::{ServerConfig, StorageConfig};

const FORM: &str = r#"<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa">
<h:head><h:title>Bench</h:title><model>
<instance><data id="bench" version="1"><nama/><nik/><alamat/><foto/><meta><instanceID/></meta></data></instance>
<bind nodeset="/data/nama" type="string" required="true()"/>
<bind nodeset="/data/nik" type="string" constraint="regex(., '^[0-9]{16}$')"/>
<bind nodeset="/data/alamat" type="string"/>
<bind nodeset="/data/foto" type="binary"/>
<bind nodeset="/data/meta/instanceID" type="string" readonly="true()" jr:preload="uid"/>
</model></h:head>
<h:body><input ref="/data/nama"><label>Nama</label></input><input ref="/data/nik"><label>NIK</label></input>
<input ref="/data/alamat"><label>Alamat</label></input><upload ref="/data/foto" mediatype="image/*"><label>Foto</label></upload></h:body>
</h:html>"#;

const BOUNDARY: &str = "bench-boundary-1";
const CONCURRENCY: usize = 16;

fn body(id: &InstanceId, photo: &[u8]) -> Vec<u8> {
    let xml = format!(
        "<data id=\"bench\" version=\"1\"><nama>Siti Rahayu</nama><nik>3201014506900001</nik><alamat>Jl. Merdeka 1, Bandung</alamat><foto>foto.jpg</foto><meta><instanceID>{id}</instanceID></meta></data>"
    );
    let mut b = format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"xml_submission_file\"; filename=\"s.xml\"\r\nContent-Type: text/xml\r\n\r\n{xml}\r\n").into_bytes();
    if !photo.is_empty() {
        b.extend_from_slice(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"foto.jpg\"; filename=\"foto.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").as_bytes());
        b.extend_from_slice(photo);
        b.extend_from_slice(b"\r\n");
    }
    b.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    b
}

async fn run(storage: StorageConfig, label: &str, count: usize, photo_bytes: usize) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("forms")).unwrap();
    std::fs::write(dir.path().join("forms/bench.xml"), FORM).unwrap();
    let mut config = ServerConfig::new(dir.path());
    config.storage = storage;
    config.dev_mode = true;
    config.limits.requests_per_minute = u32::MAX;
    let server = layanan_server::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let url = format!("{}/submission", server.base_url());
    let http = reqwest::Client::new();
    // Distinct photo per submission, as in real life (content-addressed blobs would
    // otherwise dedupe them).
    let photo = Arc::new(vec![0x5au8; photo_bytes]);
    let started = Instant::now();
    let mut workers = Vec::new();
    for w in 0..CONCURRENCY {
        let (http, url, photo) = (http.clone(), url.clone(), photo.clone());
        workers.push(tokio::spawn(async move {
            let mut accepted = 0usize;
            for i in (w..count).step_by(CONCURRENCY) {
                let mut own = photo.as_ref().clone();
                if let Some(first) = own.first_mut() {
                    *first = (i % 251) as u8;
                }
                if let Some(last) = own.last_mut() {
                    *last = (i / 251 % 251) as u8;
                }
                let r = http
                    .post(&url)
                    .header(
                        "Content-Type",
                        format!("multipart/form-data; boundary={BOUNDARY}"),
                    )
                    .body(body(&InstanceId::new_random(), &own))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), reqwest::StatusCode::CREATED);
                accepted += 1;
            }
            accepted
        }));
    }
    let mut accepted = 0;
    for w in workers {
        accepted += w.await.unwrap();
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{label:<44} {accepted:>6} accepted in {secs:>6.2} s = {:>7.0} submissions/s",
        accepted as f64 / secs
    );
    server.shutdown().await.unwrap();
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not supported.
    let count: usize = std::env::var("LAYANAN_BENCH_SUBMISSIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut backends = vec![("sqlite", StorageConfig::Sqlite)];
        if let Ok(url) = std::env::var("LAYANAN_TEST_POSTGRES_URL") {
            backends.push((
                "postgres",
                StorageConfig::Postgres {
                    url,
                    schema: Some(format!("bench_{}", uuid::Uuid::new_v4().simple())),
                },
            ));
        } else {
            println!("postgres: skipped (LAYANAN_TEST_POSTGRES_URL not set)");
        }
        for (name, storage) in backends {
            for (what, photo) in [("xml only", 0), ("xml + 100 KB photo", 100 * 1024)] {
                let storage = match &storage {
                    StorageConfig::Postgres { url, .. } => StorageConfig::Postgres {
                        url: url.clone(),
                        schema: Some(format!("bench_{}", uuid::Uuid::new_v4().simple())),
                    },
                    other => other.clone(),
                };
                run(
                    storage,
                    &format!("{name}, {what}, {CONCURRENCY} clients"),
                    count,
                    photo,
                )
                .await;
            }
        }
    });
}
