//! The terminal shell as a person meets it: commands, exit codes, one-line errors.

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use std::process::{Command, Output};

fn layanan(dir: &std::path::Path, passphrase: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_layanan"));
    cmd.arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("LAYANAN_PASSPHRASE")
        .env_remove("LAYANAN_PROFILE");
    if let Some(p) = passphrase {
        cmd.env("LAYANAN_PASSPHRASE", p);
    }
    cmd.output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn profiles_lifecycle_and_actionable_errors() {
    let dir = tempfile::tempdir().unwrap();
    let created = layanan(
        dir.path(),
        Some("rahasia desa"),
        &["profiles", "create", "Pak RT"],
    );
    assert!(created.status.success(), "{}", stderr(&created));
    let id = stdout(&created).trim().to_owned();
    assert_eq!(id.len(), 36);

    let listed = layanan(dir.path(), None, &["profiles", "list"]);
    assert!(stdout(&listed).starts_with(&format!("{id}\tPak RT\t")));
    let listed = layanan(dir.path(), None, &["--json", "profiles", "list"]);
    let json: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(json[0]["id"], id.as_str());
    assert_eq!(json[0]["label"], "Pak RT");

    let wrong = layanan(dir.path(), Some("rahasia kota"), &["profiles", "unlock"]);
    assert_eq!(wrong.status.code(), Some(3));
    assert_eq!(
        stderr(&wrong),
        "layanan: wrong passphrase for this profile\n"
    );

    let missing = layanan(dir.path(), None, &["profiles", "unlock"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("LAYANAN_PASSPHRASE"));

    let right = layanan(dir.path(), Some("rahasia desa"), &["profiles", "unlock"]);
    assert!(right.status.success());
    assert_eq!(
        stdout(&right),
        format!("unlocked {id} (0 drafts, 0 in the outbox)\n")
    );

    let outbox = layanan(dir.path(), Some("rahasia desa"), &["--json", "outbox"]);
    assert_eq!(stdout(&outbox).trim(), "[]");

    let unsigned = layanan(dir.path(), Some("rahasia desa"), &["sync"]);
    assert_eq!(unsigned.status.code(), Some(1));
    assert!(stderr(&unsigned).contains("layanan signin"));

    let removed = layanan(
        dir.path(),
        Some("rahasia desa"),
        &["profiles", "remove", &id],
    );
    assert!(removed.status.success());
    let listed = layanan(dir.path(), None, &["profiles", "list"]);
    assert!(listed.stdout.is_empty());
    let none = layanan(dir.path(), Some("x"), &["drafts"]);
    assert_eq!(
        stderr(&none),
        "layanan: no profile yet: run `layanan profiles create LABEL`\n"
    );
}

#[test]
fn an_unreachable_server_is_one_line_and_exit_4() {
    let dir = tempfile::tempdir().unwrap();
    let created = layanan(dir.path(), Some("p"), &["profiles", "create", "Saya"]);
    assert!(created.status.success());
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let out = layanan(
        dir.path(),
        Some("p"),
        &[
            "signin",
            "--server",
            &format!("http://{dead}"),
            "--phone",
            "081234567890",
            "--code",
            "123456",
        ],
    );
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot reach the server"));
}

#[test]
fn a_damaged_store_is_one_line_and_nonzero() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("layanan.db"),
        b"not a database at all".repeat(100),
    )
    .unwrap();
    let out = layanan(dir.path(), None, &["profiles", "list"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out).lines().count(), 1);
    assert!(stderr(&out).contains("damaged"));
}

/// The README's first command: the whole journey, checked through its JSON summary.
#[test]
fn demo_runs_to_the_end_with_nothing_lost_or_duplicated() {
    let dir = tempfile::tempdir().unwrap();
    let out = layanan(dir.path(), None, &["--json", "demo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["items"], 3);
    assert_eq!(summary["delivered"], 3);
    assert_eq!(summary["lost"], 0);
    assert_eq!(summary["duplicated"], 0);
    assert_eq!(summary["receipts_verified"], 3);
    assert_eq!(summary["plain_text_leaks"], 0);
    assert!(summary["dropped_connections"].as_u64().unwrap() >= 1);
    assert!(summary["bytes_on_wire_up"].as_u64().unwrap() > 300_000);
    let timelines = summary["timelines"].as_array().unwrap();
    assert_eq!(timelines[0]["agency_state"], "approved");
    assert_eq!(timelines[1]["agency_state"], "needs_fix");
}

#[test]
fn a_captive_portal_is_not_a_form_list_and_exit_5() {
    let dir = tempfile::tempdir().unwrap();
    let created = layanan(dir.path(), Some("p"), &["profiles", "create", "Saya"]);
    assert!(created.status.success());
    // A public Wi-Fi's login page: 200 to every request, HTML, no OpenRosa header.
    let portal = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = portal.local_addr().unwrap();
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        for conn in portal.incoming().flatten().take(4) {
            let mut conn = conn;
            let mut buf = [0u8; 4096];
            let _ = conn.read(&mut buf);
            let page = "<html><body>Masuk Wi-Fi Desa</body></html>";
            let _ = write!(
                conn,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                page.len()
            );
        }
    });
    std::fs::write(
        dir.path().join("cli-server.json"),
        format!(
            r#"{{"server_url":"http://{addr}","agency_key_hex":"{}"}}"#,
            "ab".repeat(32)
        ),
    )
    .unwrap();
    let out = layanan(dir.path(), Some("p"), &["forms", "--update"]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("not an OpenRosa"), "{}", stderr(&out));
}
