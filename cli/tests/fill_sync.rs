//! `layanan fill` driven through piped input for a real form (a rule broken and
//! fixed, a household repeat, a skip, a photo), then `layanan sync` to the real server,
//! which holds the submission; plus the errors a person meets on the way.

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::Duration;

use layanan_server::InProcessOtpSender as CapturingOtpSender;
use layanan_server::ServerConfig;

const OFFICER: &str = "officer-test";
const PHONE: &str = "081298765432";
const FORM: &str = include_str!("../../core/forms/fixtures/pyxform/bansos_keluarga.xml");

struct Cli {
    data: std::path::PathBuf,
}

impl Cli {
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_layanan"));
        cmd.arg("--data-dir")
            .arg(&self.data)
            .args(args)
            .env("LAYANAN_PASSPHRASE", "rahasia desa")
            .env_remove("LAYANAN_PROFILE");
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    fn run_with_input(&self, args: &[&str], input: &str) -> Output {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn fill_a_real_form_in_the_terminal_then_sync_it_to_the_server() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server_dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(server_dir.path().join("forms")).unwrap();
    std::fs::write(server_dir.path().join("forms/bansos_keluarga.xml"), FORM).unwrap();
    let otp = Arc::new(CapturingOtpSender::default());
    let mut config = ServerConfig::new(server_dir.path());
    config.otp_sender = Some(otp.clone());
    config.officer_token = Some(OFFICER.into());
    config.allow_anonymous_submissions = false;
    let server = runtime
        .block_on(layanan_server::start(
            config,
            "127.0.0.1:0".parse().unwrap(),
        ))
        .unwrap();
    let url = server.base_url();

    let phone = tempfile::tempdir().unwrap();
    let cli = Cli {
        data: phone.path().join("store"),
    };
    assert!(cli.run(&["profiles", "create", "Ibu RT"]).status.success());

    // Sign in: the code arrives "by SMS" while the command waits for it on stdin.
    let mut signin = cli
        .command(&["signin", "--server", &url, "--phone", PHONE])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let code = (0..100)
        .find_map(|_| {
            std::thread::sleep(Duration::from_millis(50));
            otp.last_code_for(PHONE)
        })
        .unwrap();
    writeln!(signin.stdin.take().unwrap(), "{code}").unwrap();
    let signed = signin.wait_with_output().unwrap();
    assert!(signed.status.success(), "{}", text(&signed.stderr));

    // The form comes down for offline use.
    let forms = cli.run(&["forms", "--update"]);
    assert!(text(&forms.stdout).starts_with("bansos_keluarga\tPendaftaran Bantuan Sosial Keluarga"));

    // Filled by typing: a short NIK refused and fixed, two members (the second one
    // with a disability, which opens one more question), income, location, photo.
    let photo = phone.path().join("rumah.jpg");
    // A JPEG header (SOI, JFIF, a 640 x 480 SOF0), then the "scan".
    let mut jpeg = vec![
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01, 0x01, 0x00, 0x00,
        0x01, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x01, 0xE0, 0x02, 0x80, 0x01,
        0x01, 0x11, 0x00,
    ];
    jpeg.resize(40_000, 0xA5);
    std::fs::write(&photo, jpeg).unwrap();
    let script = format!(
        "1234\n3201014501900007\nBudi Santoso\nBudi Santoso\n4\n45\n2\ny\nAni\n2\n10\n1\nTunanetra\nn\n500000\n-6.6 106.8 0 5\n{}\n",
        photo.display()
    );
    let filled = cli.run_with_input(&["fill", "bansos_keluarga"], &script);
    let shown = text(&filled.stdout);
    assert!(filled.status.success(), "{shown}\n{}", text(&filled.stderr));
    assert!(shown.contains("! NIK harus 16 digit"), "{shown}");
    assert!(
        shown.contains("Umur Ani"),
        "labels use earlier answers: {shown}"
    );
    assert!(shown.contains("Jenis disabilitas"), "{shown}");
    assert!(shown.contains("finalized: uuid:"), "{shown}");
    let instance_id = shown
        .split("finalized: ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();

    let outbox: serde_json::Value =
        serde_json::from_slice(&cli.run(&["--json", "outbox"]).stdout).unwrap();
    assert_eq!(outbox[0]["state"], "queued");
    assert_eq!(outbox[0]["attachments"], 1);

    let synced = cli.run(&["--json", "sync"]);
    assert!(synced.status.success(), "{}", text(&synced.stderr));
    let report: serde_json::Value = serde_json::from_slice(&synced.stdout).unwrap();
    assert_eq!(report["sent"], 1);
    assert_eq!(report["remaining"], 0);

    // The agency holds exactly that submission, with both members and the photo.
    let xml = runtime.block_on(async {
        reqwest::Client::new()
            .get(format!("{url}/v1/officer/submissions/{instance_id}/xml"))
            .bearer_auth(OFFICER)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    });
    assert_eq!(xml.matches("<member>").count(), 2, "{xml}");
    assert!(
        xml.contains("<head_nik>3201014501900007</head_nik>"),
        "{xml}"
    );
    assert!(xml.contains("<disability>Tunanetra</disability>"), "{xml}");
    assert!(
        xml.contains("<house_photo>rumah.jpg</house_photo>"),
        "{xml}"
    );

    let status = cli.run(&["status", &instance_id]);
    assert!(text(&status.stdout).contains("delivered, receipt signed by"));

    // Errors a person can act on: one line, non-zero, never a panic.
    let unknown = cli.run(&["fill", "tidak_ada"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert_eq!(
        text(&unknown.stderr),
        "layanan: no form tidak_ada offline (see `layanan forms`, or `layanan forms --update` while online)\n"
    );

    // A draft whose sealed answers were damaged on disk.
    let kept = cli.run_with_input(&["fill", "bansos_keluarga"], "3201014501900007\n:quit\n");
    let draft_id = text(&kept.stdout)
        .split("--draft ")
        .nth(1)
        .unwrap()
        .trim()
        .trim_end_matches('`')
        .to_owned();
    let db = rusqlite::Connection::open(cli.data.join("layanan.db")).unwrap();
    db.execute(
        "UPDATE drafts SET answers = x'0102030405' WHERE id = ?1",
        [&draft_id],
    )
    .unwrap();
    drop(db);
    let corrupt = cli.run_with_input(&["fill", "bansos_keluarga", "--draft", &draft_id], "");
    assert_ne!(corrupt.status.code(), Some(0));
    let message = text(&corrupt.stderr);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.starts_with("layanan: "), "{message}");
    assert!(!message.contains("panicked"), "{message}");

    // An unreachable server.
    runtime.block_on(server.shutdown()).unwrap();
    let offline = cli.run(&["sync"]);
    assert_eq!(offline.status.code(), Some(4));
    let message = text(&offline.stderr);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("cannot reach"), "{message}");
}
