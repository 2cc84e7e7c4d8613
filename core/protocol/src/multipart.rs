//! OpenRosa submission bodies (multipart/form-data) and how to split one submission
//! across several POSTs so that each fits the server's announced limit
//! (X-OpenRosa-Accept-Content-Length). Pure byte layout, no I/O: the device uses it to
//! send, and to know a body's exact size before it sends a byte on a 2G link.

use crate::openrosa::{IS_INCOMPLETE, XML_SUBMISSION_FILE};

/// One part of a submission body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Part<'a> {
    /// Form field name (`xml_submission_file`, or the attachment's file name).
    pub name: &'a str,
    pub file_name: Option<&'a str>,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
}

/// A boundary derived from the instance id: the same submission always encodes to the
/// same bytes, so a retried POST is byte-identical to the first.
pub fn boundary_for(instance_id: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, instance_id.as_bytes());
    format!("layanan-{}", crate::hex::encode(&digest.as_ref()[..16]))
}

/// The `Content-Type` header value for a body with this boundary.
pub fn content_type(boundary: &str) -> String {
    format!("multipart/form-data; boundary={boundary}")
}

fn part_head(boundary: &str, name: &str, file_name: Option<&str>, content_type: &str) -> String {
    match file_name {
        Some(f) => format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: {content_type}\r\n\r\n"
        ),
        None => format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n"
        ),
    }
}

fn closing(boundary: &str) -> String {
    format!("--{boundary}--\r\n")
}

/// Bytes one part takes in a body, headers and trailing CRLF included.
pub fn part_len(
    boundary: &str,
    name: &str,
    file_name: Option<&str>,
    content_type: &str,
    len: usize,
) -> usize {
    part_head(boundary, name, file_name, content_type).len() + len + 2
}

/// Encodes a body.
pub fn encode(boundary: &str, parts: &[Part<'_>]) -> Vec<u8> {
    let mut body = Vec::with_capacity(
        parts
            .iter()
            .map(|p| part_len(boundary, p.name, p.file_name, p.content_type, p.bytes.len()))
            .sum::<usize>()
            + closing(boundary).len(),
    );
    for p in parts {
        body.extend_from_slice(part_head(boundary, p.name, p.file_name, p.content_type).as_bytes());
        body.extend_from_slice(p.bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(closing(boundary).as_bytes());
    body
}

/// The `*isIncomplete*` marker part.
pub fn incomplete_part() -> Part<'static> {
    Part {
        name: IS_INCOMPLETE,
        file_name: None,
        content_type: "text/plain",
        bytes: b"yes",
    }
}

/// An attachment as the planner sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttachmentSize<'a> {
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub len: usize,
}

/// Why a submission cannot be split to fit.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PlanError {
    /// This attachment (index) does not fit one POST even alone with the XML: send it
    /// by resumable upload, or tell the citizen it is too large.
    #[error("attachment {0} does not fit one request")]
    AttachmentTooLarge(usize),
    /// The XML alone does not fit.
    #[error("the submission XML does not fit one request")]
    XmlTooLarge,
}

/// Groups attachments (by index, order kept) into POSTs that each fit `limit` bytes.
/// Every POST repeats the XML; every POST but the last carries `*isIncomplete*`.
/// Always at least one POST (the XML alone when there are no attachments).
pub fn plan_posts(
    boundary: &str,
    xml_len: usize,
    attachments: &[AttachmentSize<'_>],
    limit: u64,
) -> Result<Vec<Vec<usize>>, PlanError> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let marker = incomplete_part();
    let base = part_len(
        boundary,
        XML_SUBMISSION_FILE,
        Some("submission.xml"),
        "text/xml",
        xml_len,
    ) + closing(boundary).len();
    let marker_len = part_len(
        boundary,
        marker.name,
        marker.file_name,
        marker.content_type,
        marker.bytes.len(),
    );
    if base > limit {
        return Err(PlanError::XmlTooLarge);
    }
    let sizes: Vec<usize> = attachments
        .iter()
        .map(|a| {
            part_len(
                boundary,
                a.file_name,
                Some(a.file_name),
                a.content_type,
                a.len,
            )
        })
        .collect();
    let mut posts: Vec<Vec<usize>> = vec![Vec::new()];
    let mut used = base;
    for (i, size) in sizes.iter().enumerate() {
        // A POST that more attachments follow needs room for the marker; the one
        // holding the last attachment does not.
        let is_last = i + 1 == sizes.len();
        let need = size + if is_last { 0 } else { marker_len };
        if base + need > limit {
            return Err(PlanError::AttachmentTooLarge(i));
        }
        let current_empty = posts.last().is_some_and(Vec::is_empty);
        if !current_empty && used + need > limit {
            posts.push(Vec::new());
            used = base;
        }
        used += size;
        if let Some(post) = posts.last_mut() {
            post.push(i);
        }
    }
    // Every POST but the last carries the marker; check that it fits in each.
    let count = posts.len();
    for (n, post) in posts.iter().enumerate() {
        let total: usize = base
            + post.iter().map(|&i| sizes[i]).sum::<usize>()
            + if n + 1 < count { marker_len } else { 0 };
        if total > limit {
            return Err(PlanError::AttachmentTooLarge(
                post.first().copied().unwrap_or(0),
            ));
        }
    }
    Ok(posts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_length_is_known_before_encoding() {
        let b = boundary_for("uuid:6f1e2a4c-0b7d-4c55-9e21-3a8f0d9b1c2e");
        assert_eq!(b, boundary_for("uuid:6f1e2a4c-0b7d-4c55-9e21-3a8f0d9b1c2e"));
        let parts = [
            Part {
                name: XML_SUBMISSION_FILE,
                file_name: Some("submission.xml"),
                content_type: "text/xml",
                bytes: b"<data/>",
            },
            Part {
                name: "a.jpg",
                file_name: Some("a.jpg"),
                content_type: "image/jpeg",
                bytes: &[1, 2, 3],
            },
            incomplete_part(),
        ];
        let body = encode(&b, &parts);
        let predicted: usize = parts
            .iter()
            .map(|p| part_len(&b, p.name, p.file_name, p.content_type, p.bytes.len()))
            .sum::<usize>()
            + closing(&b).len();
        assert_eq!(body.len(), predicted);
        assert!(content_type(&b).ends_with(&b));
    }

    #[test]
    fn plans_posts_that_each_fit_and_refuses_what_cannot() {
        let b = boundary_for("x");
        let photo = |name: &'static str, len| AttachmentSize {
            file_name: name,
            content_type: "image/jpeg",
            len,
        };
        let atts = [
            photo("a.jpg", 4000),
            photo("b.jpg", 4000),
            photo("c.jpg", 1000),
        ];
        let plan = plan_posts(&b, 500, &atts, 6000).unwrap();
        assert_eq!(plan, vec![vec![0], vec![1, 2]]);
        for (n, post) in plan.iter().enumerate() {
            let mut parts = vec![Part {
                name: XML_SUBMISSION_FILE,
                file_name: Some("submission.xml"),
                content_type: "text/xml",
                bytes: &[b'x'; 500],
            }];
            let data = vec![0u8; 4000];
            for &i in post {
                parts.push(Part {
                    name: atts[i].file_name,
                    file_name: Some(atts[i].file_name),
                    content_type: "image/jpeg",
                    bytes: &data[..atts[i].len],
                });
            }
            if n + 1 < plan.len() {
                parts.push(incomplete_part());
            }
            assert!(encode(&b, &parts).len() <= 6000);
        }
        assert_eq!(
            plan_posts(&b, 500, &[], 6000).unwrap(),
            vec![Vec::<usize>::new()]
        );
        assert_eq!(
            plan_posts(&b, 500, &[photo("big.jpg", 7000)], 6000),
            Err(PlanError::AttachmentTooLarge(0))
        );
        assert_eq!(plan_posts(&b, 7000, &[], 6000), Err(PlanError::XmlTooLarge));
    }
}
