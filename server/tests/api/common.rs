//! Test harness: the real server on an ephemeral loopback port, real HTTP, real
//! SQLite files in a temp folder (or a fresh schema in the PostgreSQL server named by
//! LAYANAN_TEST_POSTGRES_URL).

use std::sync::Arc;

use layanan_protocol::auth::{SignInStarted, TokenPair};
use layanan_protocol::phone::PhoneNumber;
use layanan_protocol::{AgencyPublicKey, ErrorBody, ErrorCode, InstanceId};
use layanan_server::{OtpSender, RunningServer, ServerConfig, StorageConfig};
use reqwest::StatusCode;

/// Environment variable naming the PostgreSQL server the PostgreSQL run uses.
pub const PG_ENV: &str = "LAYANAN_TEST_POSTGRES_URL";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs each listed `async fn(Backend)` once per storage backend. The PostgreSQL copy
/// skips (and says so) when LAYANAN_TEST_POSTGRES_URL is not set.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if std::env::var($crate::common::PG_ENV).is_err() {
                        eprintln!("skipped: {} is not set", $crate::common::PG_ENV);
                        return;
                    }
                    super::$name($crate::common::Backend::Postgres).await
                }
            )*
        }
    };
}

/// Catches one-time codes instead of sending SMS.
#[derive(Debug, Default)]
pub struct CapturingOtp(layanan_server::testing::CapturingOtpSender);

#[async_trait::async_trait]
impl OtpSender for CapturingOtp {
    async fn send(&self, phone: &PhoneNumber, code: &str) -> Result<(), String> {
        self.0.send(phone, code).await
    }
}

impl CapturingOtp {
    pub fn last_code_for(&self, phone: &str) -> String {
        self.0.last_code_for(phone).expect("a code was sent")
    }
}

pub const OFFICER_TOKEN: &str = "officer-test-token";

/// The XForm every test server holds.
pub const FORM_XML: &str = r#"<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms">
  <h:head>
    <h:title>Surat Keterangan Domisili</h:title>
    <model>
      <instance>
        <data id="domisili" version="2024061201">
          <nama/>
          <foto_ktp/>
          <meta><instanceID/></meta>
        </data>
      </instance>
      <bind nodeset="/data/nama" type="string" required="true()"/>
      <bind nodeset="/data/foto_ktp" type="binary"/>
      <bind nodeset="/data/meta/instanceID" type="string" readonly="true()" jr:preload="uid"/>
    </model>
  </h:head>
  <h:body>
    <input ref="/data/nama"><label>Nama</label></input>
    <upload ref="/data/foto_ktp" mediatype="image/*"><label>Foto KTP</label></upload>
  </h:body>
</h:html>
"#;

/// A filled-in instance of [`FORM_XML`].
pub fn submission_xml(instance_id: &InstanceId, name: &str, photo: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<data id=\"domisili\" version=\"2024061201\" xmlns:orx=\"http://openrosa.org/xforms\"><nama>{name}</nama><foto_ktp>{photo}</foto_ktp><orx:meta><orx:instanceID>{instance_id}</orx:instanceID></orx:meta></data>"
    )
}

/// One multipart part.
pub struct Part<'a> {
    pub name: &'a str,
    pub file_name: Option<&'a str>,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
}

pub const BOUNDARY: &str = "layanan-test-boundary-7d93";

/// A multipart/form-data body as ODK Collect builds it.
pub fn multipart(xml: &str, attachments: &[(&str, &[u8])], incomplete: bool) -> Vec<u8> {
    let mut parts = vec![Part {
        name: "xml_submission_file",
        file_name: Some("submission.xml"),
        content_type: "text/xml",
        bytes: xml.as_bytes(),
    }];
    for (name, bytes) in attachments {
        parts.push(Part {
            name,
            file_name: Some(name),
            content_type: "image/jpeg",
            bytes,
        });
    }
    if incomplete {
        parts.push(Part {
            name: "*isIncomplete*",
            file_name: None,
            content_type: "text/plain",
            bytes: b"yes",
        });
    }
    encode_parts(&parts)
}

pub fn encode_parts(parts: &[Part<'_>]) -> Vec<u8> {
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match part.file_name {
            Some(f) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{}\"; filename=\"{f}\"\r\n",
                    part.name
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{}\"\r\n", part.name).as_bytes(),
            ),
        }
        body.extend_from_slice(format!("Content-Type: {}\r\n\r\n", part.content_type).as_bytes());
        body.extend_from_slice(part.bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// A running server with its data folder and helpers.
pub struct TestServer {
    pub server: RunningServer,
    pub dir: tempfile::TempDir,
    pub otp: Arc<CapturingOtp>,
    pub http: reqwest::Client,
    storage: StorageConfig,
}

impl TestServer {
    pub async fn start(backend: Backend) -> Self {
        Self::start_with(backend, |_| {}).await
    }

    pub async fn start_with(backend: Backend, tweak: impl FnOnce(&mut ServerConfig)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("forms/domisili-media")).unwrap();
        std::fs::write(dir.path().join("forms/domisili.xml"), FORM_XML).unwrap();
        std::fs::write(
            dir.path().join("forms/domisili-media/logo.png"),
            b"\x89PNG not really",
        )
        .unwrap();
        let otp = Arc::new(CapturingOtp::default());
        let mut config = ServerConfig::new(dir.path());
        config.officer_token = Some(OFFICER_TOKEN.to_owned());
        config.otp_sender = Some(otp.clone());
        if backend == Backend::Postgres {
            config.storage = StorageConfig::Postgres {
                url: std::env::var(PG_ENV).unwrap(),
                schema: Some(format!("t_{}", uuid::Uuid::new_v4().simple())),
            };
        }
        tweak(&mut config);
        let storage = config.storage.clone();
        let server = layanan_server::start(config, "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        Self {
            server,
            dir,
            otp,
            http: reqwest::Client::builder().build().unwrap(),
            storage,
        }
    }

    /// A second server process on the same database, keys and blob folder, as behind
    /// a load balancer.
    pub async fn peer(&self) -> RunningServer {
        let mut config = ServerConfig::new(self.dir.path());
        config.officer_token = Some(OFFICER_TOKEN.to_owned());
        config.otp_sender = Some(self.otp.clone());
        config.storage = self.storage.clone();
        layanan_server::start(config, "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base_url())
    }

    pub fn key(&self) -> &AgencyPublicKey {
        self.server.agency_public_key()
    }

    /// Signs in with phone and the code the server "sent".
    pub async fn sign_in(&self, phone: &str) -> TokenPair {
        let started: SignInStarted = self
            .http
            .post(self.url("/v1/auth/sign-in"))
            .json(&serde_json::json!({ "phone": phone }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let code = self.otp.last_code_for(phone);
        let response = self
            .http
            .post(self.url("/v1/auth/verify"))
            .json(&serde_json::json!({ "challenge_id": started.challenge_id, "code": code }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.unwrap()
    }

    /// POSTs an OpenRosa submission, as the given citizen or anonymously.
    pub async fn submit(
        &self,
        token: Option<&str>,
        xml: &str,
        attachments: &[(&str, &[u8])],
        incomplete: bool,
    ) -> reqwest::Response {
        let mut req = self
            .http
            .post(self.url("/submission"))
            .header("X-OpenRosa-Version", "1.0")
            .header("Accept", "application/json")
            .header(
                "Content-Type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(multipart(xml, attachments, incomplete));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        req.send().await.unwrap()
    }

    pub async fn get_as(&self, token: &str, path: &str) -> reqwest::Response {
        self.http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }
}

/// Reads an error answer and checks its shape: code, both languages, request id.
pub async fn error_body(
    response: reqwest::Response,
    status: StatusCode,
    code: ErrorCode,
) -> ErrorBody {
    assert_eq!(response.status(), status);
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "application/json"
    );
    let request_id = response.headers().get("x-request-id").cloned();
    let body: ErrorBody = response.json().await.unwrap();
    assert_eq!(body.code, code, "{body:?}");
    assert!(!body.message.is_empty() && !body.message_en.is_empty());
    assert_ne!(body.message, body.message_en);
    assert_eq!(
        body.request_id.as_deref(),
        request_id.as_ref().map(|v| v.to_str().unwrap())
    );
    body
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    layanan_protocol::hex::encode(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}
