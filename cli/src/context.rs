//! What every command needs: the store folder, the profile, its passphrase, and the
//! server this store talks to.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use layanan::{KeyVault, PassphraseVault, Profile, ProfileStore};
use serde::{Deserialize, Serialize};

use crate::error::{CliError, CliResult};

/// Where the store lives: --data-dir, $LAYANAN_DATA_DIR, $XDG_DATA_HOME/layanan or
/// ~/.local/share/layanan.
pub fn data_dir(arg: Option<PathBuf>) -> PathBuf {
    arg.or_else(|| std::env::var_os("XDG_DATA_HOME").map(|d| PathBuf::from(d).join("layanan")))
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share/layanan")))
        .unwrap_or_else(|| PathBuf::from("layanan-data"))
}

/// Opens the store; a damaged one fails with its message in both languages and
/// exit code 7, and nothing in it is changed (see [`crate::error`]).
pub async fn open_store(dir: &Path) -> CliResult<Arc<ProfileStore>> {
    Ok(ProfileStore::open(dir.to_string_lossy().into_owned()).await?)
}

/// The passphrase from $LAYANAN_PASSPHRASE, or asked for on the terminal.
pub fn passphrase_vault(prompt: &str) -> CliResult<Arc<dyn KeyVault>> {
    let passphrase = match std::env::var("LAYANAN_PASSPHRASE") {
        Ok(p) if !p.is_empty() => p,
        _ => rpassword::prompt_password(prompt).map_err(|_| {
            CliError::new("no passphrase: set LAYANAN_PASSPHRASE or run in a terminal")
        })?,
    };
    if passphrase.is_empty() {
        return Err(CliError::new("the passphrase must not be empty"));
    }
    Ok(PassphraseVault::new(passphrase))
}

/// The profile named by --profile, or the only one on the store.
pub async fn pick_profile_id(store: &ProfileStore, wanted: Option<&str>) -> CliResult<String> {
    let profiles = store.list_profiles().await?;
    if let Some(w) = wanted {
        return profiles
            .iter()
            .find(|p| p.id == w || p.label == w)
            .map(|p| p.id.clone())
            .ok_or_else(|| CliError::new(format!("no profile {w} (see `layanan profiles list`)")));
    }
    match profiles.as_slice() {
        [] => Err(CliError::new(
            "no profile yet: run `layanan profiles create LABEL`",
        )),
        [one] => Ok(one.id.clone()),
        _ => Err(CliError::new(
            "several profiles on this store: choose one with --profile",
        )),
    }
}

pub async fn unlock(store: &ProfileStore, wanted: Option<&str>) -> CliResult<Arc<Profile>> {
    let id = pick_profile_id(store, wanted).await?;
    let vault = passphrase_vault("Kata sandi profil / profile passphrase: ")?;
    Ok(store.unlock_profile(id, vault).await?)
}

/// The server a store syncs with, remembered after sign-in. The agency key is taken
/// on first use and shown so a person can compare it with the agency's published key.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ServerConfig {
    pub server_url: String,
    pub agency_key_hex: String,
}

fn config_path(dir: &Path) -> PathBuf {
    dir.join("cli-server.json")
}

pub fn load_server(dir: &Path) -> CliResult<Option<ServerConfig>> {
    match std::fs::read(config_path(dir)) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|_| CliError::new("cli-server.json is damaged; sign in again")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

pub fn save_server(dir: &Path, config: &ServerConfig) -> CliResult {
    let json = serde_json::to_vec_pretty(config).map_err(|e| CliError::new(e.to_string()))?;
    std::fs::write(config_path(dir), json)?;
    Ok(())
}
