//! OpenRosa 1.0: form list, form download with manifest, and HEAD/POST submission, so
//! that ODK Collect (or any OpenRosa client) can use this server, and Layanan's device
//! speaks the same protocol to ODK Central or KoboToolbox.

use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use layanan_protocol::{openrosa, SubmissionAccepted};

use crate::auth::MaybeCitizen;
use crate::error::{ApiError, ApiResult};
use crate::forms::{self, FormEntry};
use crate::state::AppState;
use crate::submissions::{ingest, IncomingAttachment, IncomingSubmission, IngestOutcome};

const XML: &str = "text/xml; charset=utf-8";

/// Escapes text for XML element content and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

/// Percent-encodes one path segment.
fn seg(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The base of absolute URLs: configured, or from the Host header.
fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.config.public_base_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> ApiResult<T> {
    Ok(tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| ApiError::Internal("forms task failed".into()))??)
}

async fn find_form(state: &AppState, form_id: String) -> ApiResult<std::sync::Arc<FormEntry>> {
    let store = state.forms.clone();
    blocking(move || store.get(&form_id))
        .await?
        .ok_or(ApiError::UnknownForm)
}

fn xml_response(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, XML)], body).into_response()
}

/// `GET /formList`.
pub async fn form_list(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    let store = state.forms.clone();
    let forms = blocking(move || store.list()).await?;
    let base = base_url(&state, &headers);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xforms xmlns=\"{}\">\n",
        openrosa::XFORMS_LIST_NS
    );
    for form in forms {
        let id = seg(&form.form_id);
        xml.push_str(&format!(
            "  <xform>\n    <formID>{}</formID>\n    <name>{}</name>\n    <version>{}</version>\n    <hash>{}</hash>\n    <downloadUrl>{}</downloadUrl>\n",
            esc(&form.form_id),
            esc(&form.name),
            esc(&form.version),
            esc(&form.hash),
            esc(&format!("{base}/forms/{id}")),
        ));
        if form.media_dir.is_some() {
            xml.push_str(&format!(
                "    <manifestUrl>{}</manifestUrl>\n",
                esc(&format!("{base}/forms/{id}/manifest"))
            ));
        }
        xml.push_str("  </xform>\n");
    }
    xml.push_str("</xforms>\n");
    Ok(xml_response(StatusCode::OK, xml))
}

/// `GET /forms/{form_id}`: the XForm itself.
pub async fn form_download(
    State(state): State<AppState>,
    Path(form_id): Path<String>,
) -> ApiResult<Response> {
    let form = find_form(&state, form_id).await?;
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, XML)],
        form.xml.clone(),
    )
        .into_response())
}

/// `GET /forms/{form_id}/manifest`.
pub async fn manifest(
    State(state): State<AppState>,
    Path(form_id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let form = find_form(&state, form_id).await?;
    let base = base_url(&state, &headers);
    let id = seg(&form.form_id);
    let files = blocking(move || forms::media_files(&form)).await?;
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest xmlns=\"{}\">\n",
        openrosa::MANIFEST_NS
    );
    for file in files {
        xml.push_str(&format!(
            "  <mediaFile>\n    <filename>{}</filename>\n    <hash>{}</hash>\n    <downloadUrl>{}</downloadUrl>\n  </mediaFile>\n",
            esc(&file.file_name),
            esc(&file.hash),
            esc(&format!("{base}/forms/{id}/media/{}", seg(&file.file_name))),
        ));
    }
    xml.push_str("</manifest>\n");
    Ok(xml_response(StatusCode::OK, xml))
}

/// `GET /forms/{form_id}/media/{file}`.
pub async fn media(
    State(state): State<AppState>,
    Path((form_id, file)): Path<(String, String)>,
) -> ApiResult<Response> {
    let form = find_form(&state, form_id).await?;
    let found = blocking(move || {
        Ok(forms::media_files(&form)?
            .into_iter()
            .find(|m| m.file_name == file))
    })
    .await?
    .ok_or(ApiError::NotFound)?;
    let bytes = tokio::fs::read(&found.path).await?;
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/octet-stream")],
        bytes,
    )
        .into_response())
}

/// `HEAD /submission`: 204 with the largest POST accepted, so clients split before
/// sending rather than after a 413.
pub async fn submission_head(State(state): State<AppState>) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(
        openrosa::ACCEPT_CONTENT_LENGTH_HEADER,
        HeaderValue::from(state.config.limits.submission_bytes),
    );
    response
}

/// `POST /submission`: multipart with `xml_submission_file`, attachments, and
/// optionally `*isIncomplete*`.
pub async fn submission_post(
    State(state): State<AppState>,
    MaybeCitizen(citizen): MaybeCitizen,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> ApiResult<Response> {
    if citizen.is_none() && !state.config.allow_anonymous_submissions {
        return Err(ApiError::Unauthorized);
    }
    let limit = state.config.limits.submission_bytes;
    let multipart_err = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge { limit }
        } else {
            ApiError::BadRequest("malformed multipart body")
        }
    };
    let mut xml = None;
    let mut attachments = Vec::new();
    let mut incomplete = false;
    while let Some(field) = multipart.next_field().await.map_err(multipart_err)? {
        let name = field.name().unwrap_or("").to_owned();
        if name == openrosa::IS_INCOMPLETE {
            incomplete = true;
            continue;
        }
        if name == openrosa::XML_SUBMISSION_FILE {
            xml = Some(field.bytes().await.map_err(multipart_err)?);
            continue;
        }
        let file_name = field.file_name().map(str::to_owned).unwrap_or(name);
        if layanan_protocol::attachment::check_file_name(&file_name).is_err() {
            return Err(ApiError::BadRequest("invalid attachment file name"));
        }
        let content_type = field
            .content_type()
            .unwrap_or("application/octet-stream")
            .to_owned();
        let bytes = field.bytes().await.map_err(multipart_err)?;
        attachments.push(IncomingAttachment {
            file_name,
            content_type,
            bytes,
        });
    }
    let xml = xml.ok_or(ApiError::BadRequest("missing xml_submission_file"))?;
    let outcome = ingest(
        &state,
        IncomingSubmission {
            xml,
            attachments,
            incomplete,
            owner: citizen.map(|c| c.id),
        },
    )
    .await?;
    let (status, receipt, complete, duplicate) = match outcome {
        IngestOutcome::Stored { receipt, complete } => {
            (StatusCode::CREATED, receipt, complete, false)
        }
        IngestOutcome::Duplicate { receipt, complete } => {
            (StatusCode::ACCEPTED, receipt, complete, true)
        }
    };
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    let header_value = HeaderValue::from_str(&receipt.to_header_value())
        .map_err(|_| ApiError::Internal("receipt header".into()))?;
    let mut response = if wants_json {
        (
            status,
            axum::Json(SubmissionAccepted {
                receipt,
                duplicate,
                complete,
            }),
        )
            .into_response()
    } else {
        let message = if duplicate {
            "Kiriman ini sudah diterima sebelumnya. / This submission was already received."
        } else {
            "Kiriman berhasil diterima. / Submission received."
        };
        xml_response(
            status,
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<OpenRosaResponse xmlns=\"{}\">\n  <message nature=\"submit_success\">{message}</message>\n</OpenRosaResponse>\n",
                openrosa::RESPONSE_NS
            ),
        )
    };
    response
        .headers_mut()
        .insert(openrosa::RECEIPT_HEADER, header_value);
    Ok(response)
}
