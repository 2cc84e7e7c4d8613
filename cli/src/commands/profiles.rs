//! `layanan profiles ...`

use std::path::Path;

use serde_json::json;

use crate::context::{open_store, passphrase_vault, pick_profile_id, unlock};
use crate::error::CliResult;
use crate::output::{when, Out};

pub async fn create(dir: &Path, out: Out, label: &str) -> CliResult {
    let store = open_store(dir).await?;
    let vault = passphrase_vault("Kata sandi baru / new passphrase: ")?;
    let profile = store.create_profile(label.to_owned(), vault).await?;
    out.emit(json!({ "id": profile.id(), "label": label }), || {
        profile.id()
    });
    Ok(())
}

pub async fn list(dir: &Path, out: Out) -> CliResult {
    let store = open_store(dir).await?;
    let profiles = store.list_profiles().await?;
    let value = json!(profiles
        .iter()
        .map(|p| json!({ "id": p.id, "label": p.label, "created_at_ms": p.created_at_ms }))
        .collect::<Vec<_>>());
    out.emit(value, || {
        profiles
            .iter()
            .map(|p| format!("{}\t{}\t{}", p.id, p.label, when(p.created_at_ms)))
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(())
}

pub async fn unlock_check(dir: &Path, out: Out, profile: Option<&str>) -> CliResult {
    let store = open_store(dir).await?;
    let p = unlock(&store, profile).await?;
    let drafts = p.drafts().list().await?.len();
    let outbox = p.outbox().list().await?.len();
    out.emit(
        json!({ "id": p.id(), "drafts": drafts, "outbox": outbox }),
        || {
            format!(
                "unlocked {} ({drafts} drafts, {outbox} in the outbox)",
                p.id()
            )
        },
    );
    Ok(())
}

pub async fn remove(dir: &Path, out: Out, profile: &str) -> CliResult {
    let store = open_store(dir).await?;
    let id = pick_profile_id(&store, Some(profile)).await?;
    let vault = passphrase_vault("Kata sandi profil / profile passphrase: ")?;
    store.remove_profile(id.clone(), vault).await?;
    out.emit(json!({ "removed": id }), || format!("removed {id}"));
    Ok(())
}

pub async fn drafts(dir: &Path, out: Out, profile: Option<&str>) -> CliResult {
    let store = open_store(dir).await?;
    let p = unlock(&store, profile).await?;
    let drafts = p.drafts().list().await?;
    let value = json!(drafts
        .iter()
        .map(|d| json!({
            "id": d.id, "form_id": d.form_id, "form_version": d.form_version,
            "created_at_ms": d.created_at_ms, "updated_at_ms": d.updated_at_ms,
        }))
        .collect::<Vec<_>>());
    out.emit(value, || {
        if drafts.is_empty() {
            return "no drafts".into();
        }
        drafts
            .iter()
            .map(|d| {
                format!(
                    "{}\t{} v{}\tsaved {}",
                    d.id,
                    d.form_id,
                    d.form_version,
                    when(d.updated_at_ms)
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(())
}
