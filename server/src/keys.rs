//! The agency's long-lived secrets in the data folder: the Ed25519 receipt key and the
//! server secret that keys phone-number hashes. Created on first start; every process
//! of a PostgreSQL deployment must be given the same files.

use std::fs;
use std::io::Write;
use std::path::Path;

use layanan_protocol::ReceiptSigner;
use ring::rand::SecureRandom;

/// File of the agency's Ed25519 key (PKCS#8).
const AGENCY_KEY_FILE: &str = "agency-ed25519.pk8";
/// File of the 32-byte server secret.
const SERVER_SECRET_FILE: &str = "server-secret";

/// File of the development-mode officer token.
const OFFICER_TOKEN_FILE: &str = "officer-token";

/// Why the keys could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("key file io: {0}")]
    Io(#[from] std::io::Error),
    #[error("agency key file is not a valid Ed25519 PKCS#8 key")]
    InvalidAgencyKey,
    #[error("server secret file must hold 32 bytes")]
    InvalidSecret,
    #[error("system random generator failed")]
    Random,
}

/// Loads the agency key from `keys_dir`, creating one on first start.
pub fn load_or_create_agency_key(keys_dir: &Path) -> Result<ReceiptSigner, KeyError> {
    let path = keys_dir.join(AGENCY_KEY_FILE);
    let pkcs8 = match fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let bytes = ReceiptSigner::generate_pkcs8().map_err(|_| KeyError::Random)?;
            write_private(&path, &bytes)?;
            bytes
        }
        Err(e) => return Err(e.into()),
    };
    ReceiptSigner::from_pkcs8(&pkcs8).map_err(|_| KeyError::InvalidAgencyKey)
}

/// Loads the server secret from `keys_dir`, creating one on first start.
pub fn load_or_create_server_secret(keys_dir: &Path) -> Result<[u8; 32], KeyError> {
    let path = keys_dir.join(SERVER_SECRET_FILE);
    match fs::read(&path) {
        Ok(bytes) => bytes.try_into().map_err(|_| KeyError::InvalidSecret),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut secret = [0u8; 32];
            ring::rand::SystemRandom::new()
                .fill(&mut secret)
                .map_err(|_| KeyError::Random)?;
            write_private(&path, &secret)?;
            Ok(secret)
        }
        Err(e) => Err(e.into()),
    }
}

/// Development mode only: the officer token from `keys_dir`, created on first start,
/// so a demo needs no configuration and the token never has to be logged.
pub fn load_or_create_officer_token(keys_dir: &Path) -> Result<String, KeyError> {
    let path = keys_dir.join(OFFICER_TOKEN_FILE);
    match fs::read_to_string(&path) {
        Ok(token) => Ok(token.trim().to_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut bytes = [0u8; 24];
            ring::rand::SystemRandom::new()
                .fill(&mut bytes)
                .map_err(|_| KeyError::Random)?;
            let token = format!("lyn_ot_{}", layanan_protocol::hex::encode(&bytes));
            write_private(&path, token.as_bytes())?;
            Ok(token)
        }
        Err(e) => Err(e.into()),
    }
}

/// Writes a secret readable by the owner only, atomically (temp file + rename), so a
/// crash never leaves a half-written key behind.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), KeyError> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("tmp");
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    fs::rename(&tmp, path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_created_once_and_reloaded_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let a = load_or_create_agency_key(dir.path()).unwrap();
        let b = load_or_create_agency_key(dir.path()).unwrap();
        assert_eq!(a.public_key(), b.public_key());
        let s1 = load_or_create_server_secret(dir.path()).unwrap();
        let s2 = load_or_create_server_secret(dir.path()).unwrap();
        assert_eq!(s1, s2);
    }
}
