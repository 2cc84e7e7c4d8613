//! The HTTP client for a Layanan server: OpenRosa submission plus the citizen JSON
//! extensions. One request per call; retry policy lives in the engine, not here.
//!
//! Sized for 2G: connections are kept alive and reused (a new TCP connection costs a
//! round trip of up to a second), bodies above a few hundred bytes are compressed with
//! gzip, and timeouts are set for 240 kbit/s links, not broadband.

use std::time::Duration;

use layanan_protocol::auth::{
    RefreshRequest, SignInRequest, SignInStarted, TokenPair, VerifyRequest,
};
use layanan_protocol::upload::{self, CreateUpload, UploadState};
use layanan_protocol::{multipart, openrosa, ErrorBody, StatusFeedPage, SubmissionAccepted};
use reqwest::header::{
    HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE, RETRY_AFTER,
};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;

/// Timeouts for slow links.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpTimeouts {
    /// TCP (and TLS) connection set-up: a few 2G round trips.
    pub connect: Duration,
    /// No byte received or sent for this long: the link is gone.
    pub read: Duration,
}

impl Default for HttpTimeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(30),
            read: Duration::from_secs(60),
        }
    }
}

/// How a request got no answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NetworkFailure {
    /// No connection could be made (refused, DNS, no route): nothing was sent.
    #[error("could not connect")]
    Connect,
    /// The connection went silent longer than the timeouts allow.
    #[error("timed out")]
    Timeout,
    /// The connection dropped while the request or its answer was under way.
    #[error("connection lost")]
    ConnectionLost,
    /// Another transport failure.
    #[error("transport failure")]
    Other,
}

/// What a request came back with, when not success.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// No answer: connection refused or reset, timed out, DNS failure. Worth retrying.
    #[error("network error ({kind})")]
    Network { kind: NetworkFailure },
    /// The server answered with an error status.
    #[error("server answered {status}")]
    Http {
        status: u16,
        body: Option<Box<ErrorBody>>,
        retry_after: Option<Duration>,
    },
    /// The server answered success with a body this build cannot read.
    #[error("unreadable answer from the server")]
    Decode,
    /// The client could not be built (TLS set-up).
    #[error("HTTP client set-up failed")]
    Setup,
    /// Something other than an OpenRosa server answered (a captive portal's login
    /// page, a proxy's error page): no `X-OpenRosa-Version`, or not the document an
    /// OpenRosa server sends. Nothing of it was used.
    #[error("the answer (HTTP {status}) did not come from an OpenRosa server")]
    NotOpenRosa { status: u16 },
}

impl ClientError {
    /// True when the server answered and refused (any HTTP error status whose
    /// contract action is not "try again later").
    pub fn is_refusal(&self) -> bool {
        match self {
            ClientError::Http { status, body, .. } => {
                layanan_protocol::ClientAction::for_answer(*status, body.as_ref().map(|b| b.code))
                    != layanan_protocol::ClientAction::Retry
            }
            _ => false,
        }
    }

    fn from_reqwest(e: &reqwest::Error) -> Self {
        let kind = if e.is_timeout() {
            NetworkFailure::Timeout
        } else if e.is_connect() {
            NetworkFailure::Connect
        } else if e.is_body() || e.is_request() {
            NetworkFailure::ConnectionLost
        } else if e.is_decode() {
            return ClientError::Decode;
        } else {
            NetworkFailure::Other
        };
        ClientError::Network { kind }
    }
}

/// Requests above this size are compressed; below, the header overhead wins.
const COMPRESS_ABOVE: usize = 512;

/// A client bound to one server.
#[derive(Clone, Debug)]
pub struct ServerClient {
    http: reqwest::Client,
    base: String,
}

impl ServerClient {
    /// A client for the server at `base_url` (e.g. `https://layanan.go.id`).
    pub fn new(base_url: &str, timeouts: &HttpTimeouts) -> Result<Self, ClientError> {
        // One crypto library on the phone: rustls runs on ring, like the store.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .read_timeout(timeouts.read)
            .pool_idle_timeout(Duration::from_secs(90))
            .tcp_nodelay(true)
            .user_agent(concat!("layanan/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|_| ClientError::Setup)?;
        Ok(Self {
            http,
            base: base_url.trim_end_matches('/').to_owned(),
        })
    }

    fn request(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let mut rb = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header(openrosa::VERSION_HEADER, openrosa::VERSION)
            .header(ACCEPT, "application/json");
        if let Some(t) = token {
            rb = rb.header(AUTHORIZATION, format!("Bearer {t}"));
        }
        rb
    }

    async fn send(rb: RequestBuilder) -> Result<reqwest::Response, ClientError> {
        let resp = rb.send().await.map_err(|e| ClientError::from_reqwest(&e))?;
        if resp.status().is_success() {
            return Ok(resp);
        }
        let status = resp.status().as_u16();
        let retry_after = retry_after(resp.headers());
        let body = resp.json::<ErrorBody>().await.ok().map(Box::new);
        Err(ClientError::Http {
            status,
            retry_after: retry_after.or(body
                .as_ref()
                .and_then(|b| b.retry_after_secs.map(Duration::from_secs))),
            body,
        })
    }

    /// [`Self::send`] for the OpenRosa endpoints: a success that does not carry the
    /// protocol's version header is someone else's answer.
    async fn send_openrosa(rb: RequestBuilder) -> Result<reqwest::Response, ClientError> {
        let resp = Self::send(rb).await?;
        if resp.headers().get(openrosa::VERSION_HEADER).is_none() {
            return Err(ClientError::NotOpenRosa {
                status: resp.status().as_u16(),
            });
        }
        Ok(resp)
    }

    async fn json<T: DeserializeOwned>(rb: RequestBuilder) -> Result<T, ClientError> {
        let resp = Self::send(rb).await?;
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| ClientError::from_reqwest(&e))?;
        serde_json::from_slice(&bytes).map_err(|_| ClientError::Decode)
    }

    fn json_body<T: serde::Serialize>(
        rb: RequestBuilder,
        value: &T,
    ) -> Result<RequestBuilder, ClientError> {
        let bytes = serde_json::to_vec(value).map_err(|_| ClientError::Decode)?;
        Ok(rb.header(CONTENT_TYPE, "application/json").body(bytes))
    }

    /// The key the server says it signs receipts with. Only for first-use pinning in
    /// tools (the terminal shell, the demo): apps ship the agency's key instead, since
    /// a key fetched from the server cannot vouch for that server.
    pub async fn agency_key(&self) -> Result<layanan_protocol::AgencyPublicKey, ClientError> {
        Self::json(self.request(Method::GET, "/v1/agency-key", None)).await
    }

    /// The server's OpenRosa form list.
    pub async fn form_list(&self) -> Result<Vec<FormListEntry>, ClientError> {
        let resp = Self::send_openrosa(
            self.request(Method::GET, openrosa::FORM_LIST_PATH, None)
                .header(ACCEPT, "text/xml"),
        )
        .await?;
        let status = resp.status().as_u16();
        let text = resp
            .text()
            .await
            .map_err(|e| ClientError::from_reqwest(&e))?;
        parse_form_list(&text).ok_or(ClientError::NotOpenRosa { status })
    }

    /// Downloads one XForm by the URL the form list gave.
    pub async fn download_form(&self, url: &str) -> Result<String, ClientError> {
        // The list's absolute URL names the host the server thinks it has; keep the
        // path and ask the host this client talks to.
        let path = url
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()))
            .unwrap_or_else(|| url.to_owned());
        let resp = Self::send_openrosa(
            self.request(Method::GET, &path, None)
                .header(ACCEPT, "text/xml"),
        )
        .await?;
        resp.text().await.map_err(|e| ClientError::from_reqwest(&e))
    }

    /// Starts a sign-in: the server texts a one-time code to `phone`.
    pub async fn sign_in(&self, phone: &str) -> Result<SignInStarted, ClientError> {
        let rb = self.request(Method::POST, "/v1/auth/sign-in", None);
        Self::json(Self::json_body(
            rb,
            &SignInRequest {
                phone: phone.to_owned(),
            },
        )?)
        .await
    }

    /// Finishes a sign-in with the code the citizen typed.
    pub async fn verify(&self, challenge_id: &str, code: &str) -> Result<TokenPair, ClientError> {
        let rb = self.request(Method::POST, "/v1/auth/verify", None);
        let req = VerifyRequest {
            challenge_id: challenge_id.to_owned(),
            code: code.to_owned(),
        };
        Self::json(Self::json_body(rb, &req)?).await
    }

    /// Trades a refresh token for a new pair (the old refresh token is spent).
    pub async fn refresh(&self, refresh_token: &str) -> Result<TokenPair, ClientError> {
        let rb = self.request(Method::POST, "/v1/auth/refresh", None);
        let req = RefreshRequest {
            refresh_token: refresh_token.to_owned(),
        };
        Self::json(Self::json_body(rb, &req)?).await
    }

    /// Revokes a refresh token (and the tokens issued with it).
    pub async fn sign_out(&self, refresh_token: &str) -> Result<(), ClientError> {
        let rb = self.request(Method::POST, "/v1/auth/sign-out", None);
        let req = RefreshRequest {
            refresh_token: refresh_token.to_owned(),
        };
        Self::send(Self::json_body(rb, &req)?).await.map(|_| ())
    }

    /// Opens a resumable upload for one attachment of a submission.
    pub async fn create_upload(
        &self,
        token: &str,
        req: &CreateUpload,
    ) -> Result<UploadState, ClientError> {
        let rb = self.request(Method::POST, "/v1/uploads", Some(token));
        Self::json(Self::json_body(rb, req)?).await
    }

    /// Where an upload stands: the server's offset is the only resume point.
    pub async fn upload_state(
        &self,
        token: &str,
        upload_id: &str,
    ) -> Result<UploadState, ClientError> {
        Self::json(self.request(
            Method::GET,
            &format!("/v1/uploads/{upload_id}"),
            Some(token),
        ))
        .await
    }

    /// Appends `bytes` at `offset` with a digest per block of `block_bytes`: a mangled
    /// block is refused, and if the request is cut the server keeps the verified
    /// blocks that arrived (ask [`Self::upload_state`] where to go on). With
    /// `complete`, the append that reaches the total size also completes the upload
    /// (an older server ignores it and answers `complete: false`).
    pub async fn append(
        &self,
        token: &str,
        upload_id: &str,
        offset: u64,
        bytes: Vec<u8>,
        block_bytes: u64,
        complete: bool,
    ) -> Result<UploadState, ClientError> {
        let blocks = upload::BlockDigests::of(&bytes, block_bytes);
        let mut rb = self
            .request(
                Method::PATCH,
                &format!("/v1/uploads/{upload_id}"),
                Some(token),
            )
            .header(CONTENT_TYPE, upload::CHUNK_CONTENT_TYPE)
            .header(upload::OFFSET_HEADER, offset)
            .header(upload::BLOCK_SHA256_HEADER, blocks.to_header());
        if complete {
            rb = rb.header(upload::COMPLETE_HEADER, "?1");
        }
        Self::json(rb.body(bytes)).await
    }

    /// Asks the server to check the whole file and attach it to its submission.
    pub async fn complete_upload(
        &self,
        token: &str,
        upload_id: &str,
    ) -> Result<UploadState, ClientError> {
        Self::json(self.request(
            Method::POST,
            &format!("/v1/uploads/{upload_id}/complete"),
            Some(token),
        ))
        .await
    }

    /// Posts the submission XML (attachments went ahead through resumable uploads) as
    /// OpenRosa multipart, gzip-compressed. The body is the protocol's encoding with
    /// a boundary derived from the instance id, so a retry is byte-identical. 201 and
    /// 202 both carry the receipt.
    pub async fn submit(
        &self,
        token: &str,
        instance_id: &str,
        xml: &[u8],
    ) -> Result<(StatusCode, SubmissionAccepted), ClientError> {
        let boundary = multipart::boundary_for(instance_id);
        let body = multipart::encode(
            &boundary,
            &[multipart::Part {
                name: openrosa::XML_SUBMISSION_FILE,
                file_name: Some("submission.xml"),
                content_type: "text/xml",
                bytes: xml,
            }],
        );
        let rb = self
            .request(Method::POST, openrosa::SUBMISSION_PATH, Some(token))
            .header(CONTENT_TYPE, multipart::content_type(&boundary));
        let rb = compress(rb, body);
        let resp = Self::send(rb).await?;
        let status = resp.status();
        if !openrosa::is_accepted_status(status.as_u16()) {
            // A captive portal answers 200 with a login page: that is not a delivery.
            return Err(ClientError::Http {
                status: status.as_u16(),
                body: None,
                retry_after: None,
            });
        }
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| ClientError::from_reqwest(&e))?;
        let accepted = serde_json::from_slice(&bytes).map_err(|_| ClientError::Decode)?;
        Ok((status, accepted))
    }

    /// One page of the citizen's status feed after `cursor`.
    pub async fn status_feed(
        &self,
        token: &str,
        cursor: Option<&str>,
    ) -> Result<StatusFeedPage, ClientError> {
        let path = match cursor {
            Some(c) => format!("/v1/status?cursor={}", url_escape(c)),
            None => "/v1/status".to_owned(),
        };
        Self::json(self.request(Method::GET, &path, Some(token))).await
    }
}

/// One form of an OpenRosa form list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormListEntry {
    pub form_id: String,
    pub name: String,
    pub version: String,
    pub hash: String,
    pub download_url: String,
}

fn parse_form_list(xml: &str) -> Option<Vec<FormListEntry>> {
    let doc = roxmltree::Document::parse(xml).ok()?;
    // An OpenRosa form list is an `xforms` document; a login page that happens to
    // be well-formed XHTML is not a list of zero forms.
    if doc.root_element().tag_name().name() != "xforms" {
        return None;
    }
    let text = |node: roxmltree::Node<'_, '_>, name: &str| {
        node.children()
            .find(|c| c.tag_name().name() == name)
            .and_then(|c| c.text())
            .map(|t| t.trim().to_owned())
    };
    Some(
        doc.descendants()
            .filter(|n| n.tag_name().name() == "xform")
            .filter_map(|n| {
                Some(FormListEntry {
                    form_id: text(n, "formID")?,
                    name: text(n, "name").unwrap_or_default(),
                    version: text(n, "version").unwrap_or_default(),
                    hash: text(n, "hash").unwrap_or_default(),
                    download_url: text(n, "downloadUrl")?,
                })
            })
            .collect(),
    )
}

/// gzip (deflate) rather than zstd: for a submission of a few KB the two compress
/// alike, and deflate is a fraction of zstd's code in the phone's library
/// (docs/benchmarks.md has the measurement).
fn compress(rb: RequestBuilder, body: Vec<u8>) -> RequestBuilder {
    if body.len() > COMPRESS_ABOVE {
        if let Some(packed) = gzip(&body) {
            if packed.len() < body.len() {
                return rb.header(CONTENT_ENCODING, "gzip").body(packed);
            }
        }
    }
    rb.body(body)
}

fn gzip(body: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 2),
        flate2::Compression::best(),
    );
    encoder.write_all(body).ok()?;
    encoder.finish().ok()
}

fn retry_after(headers: &HeaderMap<HeaderValue>) -> Option<Duration> {
    headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses_an_openrosa_form_list_and_refuses_garbage() {
        let xml = r#"<?xml version="1.0"?><xforms xmlns="http://openrosa.org/xforms/xformsList">
          <xform><formID>akta</formID><name>Akta Kelahiran</name><version>2026.1</version>
          <hash>md5:abc</hash><downloadUrl>http://h:1/forms/akta</downloadUrl></xform>
          <xform><name>no id</name><downloadUrl>http://h/forms/x</downloadUrl></xform></xforms>"#;
        let list = super::parse_form_list(xml).unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].form_id, "akta");
        assert_eq!(list[0].name, "Akta Kelahiran");
        assert_eq!(list[0].hash, "md5:abc");
        assert!(super::parse_form_list("<xforms").is_none());
        // A captive portal's well-formed login page is not an empty list.
        assert!(super::parse_form_list("<html><body>Login Wi-Fi</body></html>").is_none());
    }
}
