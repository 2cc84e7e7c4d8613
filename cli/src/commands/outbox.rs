//! `layanan outbox`, `layanan status`.

use std::path::Path;

use layanan::{OutboxItem, OutboxState};
use serde_json::json;

use crate::context::{open_store, unlock};
use crate::error::CliResult;
use crate::output::{when, Out};

pub fn state_name(s: OutboxState) -> &'static str {
    match s {
        OutboxState::Queued => "queued",
        OutboxState::Sending => "sending",
        OutboxState::Sent => "sent",
        OutboxState::Failed => "failed",
        OutboxState::Wedged => "wedged",
    }
}

pub fn item_json(i: &OutboxItem) -> serde_json::Value {
    json!({
        "instance_id": i.instance_id,
        "form_id": i.form_id,
        "form_version": i.form_version,
        "state": state_name(i.state),
        "attempts": i.attempts,
        "next_attempt_at_ms": i.next_attempt_at_ms,
        "error": i.error.as_ref().map(|e| json!({
            "code": e.code.as_str(), "message": e.message, "message_en": e.message_en,
            "file_name": e.file_name, "question": e.question,
        })),
        "receipt": i.receipt.as_ref().map(|r| json!({
            "received_at_ms": r.received_at_ms, "key_id": r.key_id, "signature": r.signature_hex,
        })),
        "agency_state": i.agency_state.map(|s| s.as_str()),
        "attachments": i.attachment_count,
    })
}

pub async fn list(dir: &Path, out: Out, profile: Option<&str>) -> CliResult {
    let store = open_store(dir).await?;
    let p = unlock(&store, profile).await?;
    let items = p.outbox().list().await?;
    out.emit(
        json!(items.iter().map(item_json).collect::<Vec<_>>()),
        || {
            if items.is_empty() {
                return "the outbox is empty".into();
            }
            items
                .iter()
                .map(|i| {
                    let mut line =
                        format!("{}\t{}\t{}", i.instance_id, i.form_id, state_name(i.state));
                    if let Some(a) = &i.agency_state {
                        line.push_str(&format!(" / agency: {}", a.as_str()));
                    }
                    if let Some(e) = &i.error {
                        line.push_str(&format!("\n    {}", e.message_en));
                    }
                    line
                })
                .collect::<Vec<_>>()
                .join("\n")
        },
    );
    Ok(())
}

pub async fn requeue(dir: &Path, out: Out, profile: Option<&str>, instance_id: &str) -> CliResult {
    let store = open_store(dir).await?;
    let p = unlock(&store, profile).await?;
    p.outbox().requeue(instance_id.to_owned()).await?;
    out.emit(json!({ "requeued": instance_id }), || {
        format!("{instance_id} is queued again")
    });
    Ok(())
}

pub async fn reattach(
    dir: &Path,
    out: Out,
    profile: Option<&str>,
    instance_id: &str,
    file_name: &str,
    from: &Path,
) -> CliResult {
    let store = open_store(dir).await?;
    let p = unlock(&store, profile).await?;
    let media_type = crate::commands::fill::media_type(&from.to_string_lossy());
    let item = p
        .outbox()
        .reattach(
            instance_id.to_owned(),
            file_name.to_owned(),
            media_type.to_owned(),
            from.to_string_lossy().into_owned(),
        )
        .await?;
    out.emit(item_json(&item), || {
        format!("{instance_id}: {file_name} replaced; the item is queued again")
    });
    Ok(())
}

pub async fn status(
    dir: &Path,
    out: Out,
    profile: Option<&str>,
    instance_id: Option<&str>,
) -> CliResult {
    let store = open_store(dir).await?;
    let p = unlock(&store, profile).await?;
    let items = match instance_id {
        Some(id) => vec![p.outbox().item(id.to_owned()).await?],
        None => p.outbox().list().await?,
    };
    let mut all = Vec::new();
    let mut text = Vec::new();
    for item in &items {
        let timeline = p.timeline().of(item.instance_id.clone()).await?;
        text.push(format!("{} ({})", item.instance_id, item.form_id));
        text.push(format!(
            "  {}  created on this phone",
            when(item.created_at_ms)
        ));
        if let Some(r) = &item.receipt {
            text.push(format!(
                "  {}  delivered, receipt signed by {} (verified)",
                when(r.received_at_ms),
                r.key_id
            ));
        } else {
            text.push(format!("  now               {}", state_name(item.state)));
        }
        for e in &timeline {
            let note = e
                .note
                .as_deref()
                .map(|n| format!(": {n}"))
                .unwrap_or_default();
            text.push(format!("  {}  {}{note}", when(e.at_ms), e.state.as_str()));
        }
        all.push(json!({
            "item": item_json(item),
            "timeline": timeline.iter().map(|e| json!({ "state": e.state.as_str(), "note": e.note, "at_ms": e.at_ms })).collect::<Vec<_>>(),
        }));
    }
    out.emit(json!(all), || text.join("\n"));
    Ok(())
}
