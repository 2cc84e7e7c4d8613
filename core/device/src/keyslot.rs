//! A copy of each profile's wrapped key and canary outside the database
//! (`keys/<profile id>.key`), so that a store whose database is lost, emptied or
//! truncated can still open its sealed attachment files for recovery.
//!
//! The copy holds only what the database's `profiles` row already holds in the
//! clear: the vault's output (useless without the platform key store or the
//! passphrase) and the canary, plus the profile's nickname label. It is written
//! with fsync and rename after the profile's row commits; a healthy open writes any
//! that are missing (profiles made before slots existed, or a kill in between) and
//! removes those of profiles that are gone. Wiping a profile deletes its slot right
//! after clearing the key in the database, before anything else.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{io, Result};

const DIR: &str = "keys";

#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct KeySlot {
    pub profile_id: String,
    pub label: String,
    pub created_at_ms: i64,
    #[serde(with = "hex_bytes")]
    pub wrapped_key: Vec<u8>,
    #[serde(with = "hex_bytes")]
    pub canary: Vec<u8>,
}

/// Bytes as a lowercase hex string in JSON.
pub(crate) mod hex_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&b.iter().map(|x| format!("{x:02x}")).collect::<String>())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = String::deserialize(d)?;
        (0..s.len())
            .step_by(2)
            .map(|i| {
                s.get(i..i + 2)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| serde::de::Error::custom("bad hex"))
            })
            .collect()
    }
}

fn dir(root: &Path) -> PathBuf {
    root.join(DIR)
}

fn path(root: &Path, profile_id: &str) -> PathBuf {
    dir(root).join(format!("{profile_id}.key"))
}

/// Writes (or replaces) a profile's slot: temp name, fsync, rename, fsync folder.
pub(crate) fn write(root: &Path, slot: &KeySlot) -> Result<()> {
    let bytes = serde_json::to_vec(slot)
        .map_err(|e| crate::StoreError::Internal(format!("encoding a key slot: {e}")))?;
    let d = dir(root);
    let tmp = d.join(format!("{}.tmp", slot.profile_id));
    let run = || -> std::io::Result<()> {
        use std::io::Write;
        std::fs::create_dir_all(&d)?;
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path(root, &slot.profile_id))?;
        #[cfg(unix)]
        std::fs::File::open(&d)?.sync_all()?;
        Ok(())
    };
    run().map_err(io("write a profile's key slot"))
}

/// Deletes a profile's slot (absent is fine).
pub(crate) fn remove(root: &Path, profile_id: &str) -> Result<()> {
    match std::fs::remove_file(path(root, profile_id)) {
        Ok(()) => {
            #[cfg(unix)]
            if let Ok(d) = std::fs::File::open(dir(root)) {
                let _ = d.sync_all();
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io("delete a profile's key slot")(e)),
    }
}

/// Every readable slot (a damaged one is skipped: it is only a copy).
pub(crate) fn read_all(root: &Path) -> Vec<KeySlot> {
    let Ok(entries) = std::fs::read_dir(dir(root)) else {
        return Vec::new();
    };
    let mut out: Vec<KeySlot> = entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".key"))
        .filter_map(|e| serde_json::from_slice(&std::fs::read(e.path()).ok()?).ok())
        .collect();
    out.sort_by(|a, b| (a.created_at_ms, &a.profile_id).cmp(&(b.created_at_ms, &b.profile_id)));
    out
}

/// Ids of the profiles that have a slot.
pub(crate) fn ids(root: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir(root)) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_string_lossy()
                .strip_suffix(".key")
                .map(str::to_owned)
        })
        .collect()
}
