//! `layanan recover --out FILE`: saves what can still be read of a profile on a
//! damaged store into a sealed archive, without changing anything in the store.

use std::path::Path;

use layanan::StoreRecovery;
use serde_json::json;

use crate::context::passphrase_vault;
use crate::error::{CliError, CliResult};
use crate::output::Out;

pub async fn recover(dir: &Path, out: Out, wanted: Option<&str>, dest: &Path) -> CliResult {
    if dest.exists() {
        return Err(CliError::new(format!(
            "{} exists; choose a new file for the archive",
            dest.display()
        )));
    }
    let recovery = StoreRecovery::open(dir.to_string_lossy().into_owned()).await?;
    let profiles = recovery.profiles().await?;
    let id = match (wanted, profiles.as_slice()) {
        (Some(w), _) => profiles
            .iter()
            .find(|p| p.id == w || p.label == w)
            .map(|p| p.id.clone())
            .ok_or_else(|| CliError::new(format!("no readable profile {w}")))?,
        (None, [one]) => one.id.clone(),
        (None, []) => return Err(CliError::new("no profile can be read on this store")),
        (None, _) => {
            return Err(CliError::new(
                "several profiles on this store: choose one with --profile",
            ))
        }
    };
    let vault = passphrase_vault("Kata sandi profil / profile passphrase: ")?;
    let s = recovery
        .export_profile(id.clone(), vault, dest.to_string_lossy().into_owned())
        .await?;
    let message = recovery.message();
    out.emit(
        json!({
            "profile": id,
            "archive": dest.display().to_string(),
            "damage": recovery.damage().map(|d| d.as_str()),
            "drafts": s.drafts,
            "submissions": s.submissions,
            "attachments": s.attachments,
            "partial_attachments": s.partial_attachments,
            "unreadable_records": s.unreadable_records,
            "unreadable_attachments": s.unreadable_attachments,
        }),
        || {
            let mut text = message
                .map(|m| format!("{}\n{}\n", m.id, m.en))
                .unwrap_or_default();
            text.push_str(&format!(
                "Disimpan / saved to {}: {} draf / drafts, {} kiriman / submissions, \
                 {} berkas / files ({} sebagian / partly)",
                dest.display(),
                s.drafts,
                s.submissions,
                s.attachments,
                s.partial_attachments
            ));
            if s.unreadable_records + s.unreadable_attachments > 0 {
                text.push_str(&format!(
                    "\nTidak terbaca / unreadable: {} catatan / records, {} berkas / files",
                    s.unreadable_records, s.unreadable_attachments
                ));
            }
            text
        },
    );
    Ok(())
}
