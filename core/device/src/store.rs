//! The device store: one SQLite file and one attachments folder under a data
//! directory, shared by every profile on the phone.
//!
//! [`Store`] manages profiles (create, list, unlock, remove); an unlocked
//! [`Profile`] reads and writes that profile's sealed rows.
//!
//! Opening never takes "cannot read" for "empty": [`crate::integrity::check`] first
//! compares the database with its guard file, and a store that lost commits or its
//! file is refused as [`StoreError::Damaged`], with nothing written or deleted. Every
//! write transaction commits the next generation (an autosave in its draft row,
//! any other write in `store_meta`) and mirrors it to the guard ([`crate::guard`]);
//! checkpoints are deliberate ([`crate::checkpoint`]).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};

use crate::changes::ChangeHub;
use crate::crypto::{self, DataKey, KeyVault, SealContext};
use crate::error::{io, Result, StoreError};
use crate::guard::{Guard, GuardRecord};
use crate::integrity::{self, Health, DB_FILE};
use crate::interrupt::{Conn, Interrupts, TaskId};
use crate::model::{new_id, now_ms, ProfileInfo};
use crate::profile::Profile;
use crate::wipe;

const ATTACHMENTS_DIR: &str = "attachments";
/// What the canary holds: opening it proves the unwrapped key is this profile's.
const CANARY_PLAINTEXT: &[u8] = b"layanan canary v1";
const MAX_LABEL_CHARS: usize = 64;

pub(crate) fn canary_ctx(profile_id: &str) -> SealContext<'_> {
    SealContext {
        table: "profiles",
        column: "canary",
        row_id: profile_id,
    }
}

/// The shared state behind a [`Store`] and its unlocked profiles.
#[derive(Debug)]
pub(crate) struct StoreInner {
    root: PathBuf,
    writer: Mutex<Connection>,
    reader: Mutex<Connection>,
    interrupts: Interrupts,
    changes: ChangeHub,
    /// Locked after the writer (never the other way round).
    guard: Mutex<Guard>,
}

/// Bumps the commit generation inside the transaction that is about to commit
/// (past any generation an autosave wrote into a draft row: `?1`).
const BUMP_GENERATION: &str = "UPDATE store_meta SET generation = max(generation, ?1) + 1
     WHERE id = 1 RETURNING generation";

impl StoreInner {
    /// Runs `f` in one IMMEDIATE transaction that commits only if `f` succeeds. The
    /// transaction also bumps the store's generation, which is then mirrored to the
    /// guard file.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.interrupts.hold(Conn::Writer, &self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        let last = i64::try_from(self.guard().record().generation).unwrap_or(i64::MAX);
        let generation: i64 = tx
            .prepare_cached(BUMP_GENERATION)?
            .query_row([last], |r| r.get(0))?;
        tx.commit()?;
        self.mirror(u64::try_from(generation).unwrap_or(0), None);
        Ok(out)
    }

    /// Like [`StoreInner::write`] for an autosave of `draft_id`: `f` gets the commit's
    /// generation and must write it into that draft's row (`drafts.generation`), and
    /// fail if there is no such row. The guard then names the draft, so the check
    /// at open reads that row; `store_meta` is not touched (one page less per save).
    pub(crate) fn write_draft<T>(
        &self,
        draft_id: &str,
        f: impl FnOnce(&Transaction<'_>, i64) -> Result<T>,
    ) -> Result<T> {
        let mut conn = self.interrupts.hold(Conn::Writer, &self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let generation = self.guard().record().generation + 1;
        let out = f(&tx, i64::try_from(generation).unwrap_or(i64::MAX))?;
        tx.commit()?;
        self.mirror(generation, Some(draft_id));
        Ok(out)
    }

    /// Runs one statement (or a few) on the writer, in a transaction of its own.
    pub(crate) fn with_writer<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        self.write(|tx| f(tx))
    }

    /// The writer connection itself, outside any transaction (for checkpoints).
    pub(crate) fn writer_conn(&self) -> crate::interrupt::Held<'_> {
        self.interrupts.hold(Conn::Writer, &self.writer)
    }

    /// Records a commit in the guard. A failure here loses no data (the commit is
    /// done): the guard is one commit behind, which the next open accepts.
    pub(crate) fn mirror(&self, generation: u64, tag: Option<&str>) {
        let mut guard = self.guard.lock().unwrap_or_else(|p| p.into_inner());
        if let Err(e) = guard.mirror(generation, tag) {
            tracing::warn!(error = %e, "could not record a commit in the guard file");
        }
    }

    pub(crate) fn guard(&self) -> std::sync::MutexGuard<'_, Guard> {
        self.guard.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    pub(crate) fn db_path(&self) -> PathBuf {
        self.root.join(DB_FILE)
    }

    /// Runs `f` on the reader connection.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        f(&self.interrupts.hold(Conn::Reader, &self.reader))
    }

    /// Interrupts the statement `task` is running now (see [`crate::interrupt`]).
    pub(crate) fn interrupt(&self, task: TaskId) {
        self.interrupts.interrupt(task);
    }

    pub(crate) fn changes(&self) -> &ChangeHub {
        &self.changes
    }

    pub(crate) fn attachments_dir(&self, profile_id: &str) -> PathBuf {
        self.root.join(ATTACHMENTS_DIR).join(profile_id)
    }
}

/// The device's store. Cheap to clone; every clone shares the same connections.
#[derive(Clone, Debug)]
pub struct Store {
    inner: Arc<StoreInner>,
}

impl Store {
    /// Opens the store in `dir`, creating it on first use, migrating an older schema
    /// and finishing any profile wipe a crash interrupted.
    ///
    /// A store that is not the one it was (its database missing, emptied, truncated,
    /// or missing commits its guard recorded) fails with [`StoreError::Damaged`]
    /// before anything is written or deleted; open it with [`crate::Recovery`] to
    /// save what can be read. Orphaned attachment files are swept only here, only
    /// on a healthy store, and only when older than its last checkpoint.
    pub fn open(dir: impl AsRef<Path>) -> Result<Self> {
        let root = dir.as_ref().to_path_buf();
        std::fs::create_dir_all(root.join(ATTACHMENTS_DIR))
            .map_err(io("create the data directory"))?;
        let health = integrity::check(&root)?;
        if let Health::Damaged(kind) = health {
            tracing::error!(kind = %kind, "the store is damaged; not opening it");
            return Err(StoreError::Damaged { kind });
        }
        let db_path = root.join(DB_FILE);
        let writer = crate::db::open_writer(&db_path)?;
        let (store_id, generation) = read_meta(&writer)?;
        let guard = match health {
            Health::Healthy {
                store_id: known,
                seq,
                record,
            } if known == store_id => Guard::open(&root, store_id, seq, record)?,
            Health::Healthy { .. } => {
                return Err(StoreError::Damaged {
                    kind: crate::DamageKind::ForeignDatabase,
                })
            }
            // New or adopted: put the schema in the main file first, so the guard's
            // first record is a checkpoint.
            _ => {
                crate::checkpoint::truncate_wal(&writer)?;
                let record = GuardRecord {
                    generation,
                    tag: None,
                    checkpointed_generation: generation,
                    checkpoint_db_len: crate::checkpoint::file_len(&db_path)?,
                    checkpoint_at_ms: now_ms(),
                };
                Guard::create(&root, store_id, record)?
            }
        };
        let reader = crate::db::open_reader(&db_path)?;
        let store = Self {
            inner: Arc::new(StoreInner {
                root,
                interrupts: Interrupts::new(&writer, &reader),
                writer: Mutex::new(writer),
                reader: Mutex::new(reader),
                changes: ChangeHub::new(),
                guard: Mutex::new(guard),
            }),
        };
        if store.inner.guard().record().generation < generation {
            // The last commit before a kill, not yet mirrored.
            store.inner.mirror(generation, None);
        }
        wipe::finish_interrupted(&store.inner)?;
        sync_key_slots(&store.inner)?;
        // Another connection to the same files (a second store object, a background
        // process) may hold a read that keeps the WAL: that delays the checkpoint, it
        // does not fail the open; the sweep then keeps to the last checkpoint's floor.
        let floor = match crate::checkpoint::run_if_needed(&store.inner) {
            Ok(floor) => floor,
            Err(e) if crate::checkpoint::is_busy(&e) => {
                tracing::info!("the WAL is held by another connection; checkpointing later");
                store.inner.guard().record().checkpoint_at_ms
            }
            Err(e) => return Err(e),
        };
        crate::attachments::sweep_orphans(&store.inner, floor)?;
        Ok(store)
    }

    /// Moves everything committed into the main database file (a WAL checkpoint) and
    /// records it in the guard. The store does this after finalize, after a sync
    /// run and on close; shells call it when the app goes to the background.
    /// Fails with a storage error when another connection's read blocks it for
    /// longer than the busy timeout; nothing is lost then, it is only later.
    pub fn checkpoint(&self) -> Result<()> {
        crate::checkpoint::run(&self.inner).map(|_| ())
    }

    /// Path of the SQLite file (for diagnostics and the at-rest tests).
    pub fn database_path(&self) -> PathBuf {
        self.inner.root.join(DB_FILE)
    }

    /// Folder holding the sealed attachment files.
    pub fn attachments_root(&self) -> PathBuf {
        self.inner.root.join(ATTACHMENTS_DIR)
    }

    /// Creates a profile with a fresh random data key wrapped by `vault`, and returns
    /// it unlocked. A vault that waits for the citizen (a biometric prompt) should
    /// use the two steps [`Store::begin_profile`] and [`Store::insert_profile`] around
    /// its own asynchronous wrap instead, so no thread waits with it.
    pub fn create_profile(&self, label: &str, vault: &dyn KeyVault) -> Result<Profile> {
        let new = self.begin_profile(label)?;
        let wrapped = vault.wrap_key(new.id(), new.data_key())?;
        self.insert_profile(new, &wrapped)
    }

    /// First step of creating a profile: checks the label and makes a fresh id and
    /// random data key. Nothing is stored until [`Store::insert_profile`].
    pub fn begin_profile(&self, label: &str) -> Result<NewProfile> {
        let label = label.trim();
        if label.is_empty() || label.chars().count() > MAX_LABEL_CHARS {
            return Err(StoreError::InvalidInput(format!(
                "profile label must be 1 to {MAX_LABEL_CHARS} characters"
            )));
        }
        Ok(NewProfile {
            id: new_id(),
            label: label.to_owned(),
            key: DataKey::generate()?,
        })
    }

    /// Second step: stores the profile with `wrapped`, what the vault made of
    /// [`NewProfile::data_key`], and returns it unlocked.
    pub fn insert_profile(&self, new: NewProfile, wrapped: &[u8]) -> Result<Profile> {
        let NewProfile { id, label, key } = new;
        let aead = key.aead_key()?;
        let canary = crypto::seal(&aead, canary_ctx(&id), CANARY_PLAINTEXT)
            .map_err(|_| StoreError::Internal("sealing the canary failed".into()))?;
        let created = now_ms();
        self.inner.with_writer(|c| {
            c.execute(
                "INSERT INTO profiles (id, label, created_at, state, wrapped_key, canary)
                 VALUES (?1, ?2, ?3, 'active', ?4, ?5)",
                params![id, label, created, wrapped, canary],
            )?;
            Ok(())
        })?;
        // The copy a recovery needs when the database itself is lost. Its failure
        // loses nothing: the next healthy open writes it.
        let slot = crate::keyslot::KeySlot {
            profile_id: id.clone(),
            label: label.clone(),
            created_at_ms: created,
            wrapped_key: wrapped.to_vec(),
            canary: canary.clone(),
        };
        if let Err(e) = crate::keyslot::write(&self.inner.root, &slot) {
            tracing::warn!(error = %e, "could not write a profile's key slot");
        }
        tracing::info!(profile = %id, "created profile");
        Ok(Profile::new(Arc::clone(&self.inner), id, aead))
    }

    /// Profiles on this device, oldest first, without unlocking any of them.
    pub fn list_profiles(&self) -> Result<Vec<ProfileInfo>> {
        self.inner.read(|c| {
            Ok(active_profiles(c)?
                .into_iter()
                .collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Unwraps the profile's data key with `vault` and checks it against the canary.
    ///
    /// Errors tell the cases apart: [`StoreError::KeyUnavailable`] (try later),
    /// [`StoreError::KeyLost`], [`StoreError::WrongKey`] (nothing damaged), and
    /// [`StoreError::Corrupt`] on the canary only when the stored bytes are damaged
    /// (its envelope no longer parses). An asynchronous vault uses the two steps
    /// [`Store::wrapped_key`] and [`Store::open_profile`] around its own unwrap.
    pub fn unlock_profile(&self, profile_id: &str, vault: &dyn KeyVault) -> Result<Profile> {
        let wrapped = self.wrapped_key(profile_id)?;
        let raw = zeroize::Zeroizing::new(vault.unwrap_key(profile_id, &wrapped)?);
        self.open_profile(profile_id, &raw)
    }

    /// What the vault wrapped for this profile, to unwrap. [`StoreError::KeyLost`]
    /// when the profile is being wiped.
    pub fn wrapped_key(&self, profile_id: &str) -> Result<Vec<u8>> {
        let (wrapped, _) = self.key_row(profile_id)?;
        Ok(wrapped)
    }

    /// state, wrapped key, canary, for an active profile.
    fn key_row(&self, profile_id: &str) -> Result<(Vec<u8>, Vec<u8>)> {
        /// state, wrapped key, canary
        type KeyRow = (String, Option<Vec<u8>>, Option<Vec<u8>>);
        let row: Option<KeyRow> = self.inner.read(|c| {
            Ok(c.query_row(
                "SELECT state, wrapped_key, canary FROM profiles WHERE id = ?1",
                [profile_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?)
        })?;
        let (state, wrapped, canary) =
            row.ok_or_else(|| StoreError::ProfileNotFound(profile_id.to_owned()))?;
        match (wrapped, canary, state.as_str()) {
            (Some(wrapped), Some(canary), "active") => Ok((wrapped, canary)),
            _ => Err(StoreError::KeyLost),
        }
    }

    /// Opens the profile with the data key its vault unwrapped, checked against the
    /// canary (see [`Store::unlock_profile`] for the errors).
    pub fn open_profile(&self, profile_id: &str, data_key: &[u8]) -> Result<Profile> {
        let (_, canary) = self.key_row(profile_id)?;
        let key = DataKey::from_unwrapped(data_key)?;
        let aead = key.aead_key()?;
        check_canary(&aead, profile_id, &canary)?;
        tracing::debug!(profile = %profile_id, "unlocked profile");
        Ok(Profile::new(
            Arc::clone(&self.inner),
            profile_id.to_owned(),
            aead,
        ))
    }

    /// Wipes a profile: shreds its wrapped key first (after that nothing it sealed can
    /// be opened, even from a backup of the file), asks the vault to destroy its key,
    /// then deletes its rows and files. Works without the profile's key, so a person
    /// whose key was lost can still clean up. A crash midway is finished on next open.
    ///
    /// Fails with [`StoreError::WipePending`] (after finishing every step it can)
    /// when another connection's snapshot keeps the old key bytes in the WAL.
    pub fn remove_profile(&self, profile_id: &str, vault: &dyn KeyVault) -> Result<()> {
        match self.shred_profile_key(profile_id) {
            // The key is cleared in the database; the last step checkpoints again.
            Ok(()) | Err(StoreError::WipePending) => {}
            Err(e) => return Err(e),
        }
        if let Err(e) = vault.destroy_key(profile_id) {
            // The wrapped key is already gone from the store, so the data is
            // unreadable either way; the vault's leftover is only a dangling alias.
            tracing::warn!(profile = %profile_id, error = %e, "vault could not destroy its key");
        }
        self.delete_profile_data(profile_id)
    }

    /// First step of removing a profile: shreds its wrapped key and canary, so
    /// nothing it sealed can be opened again. Then ask the vault to destroy its key
    /// and call [`Store::delete_profile_data`].
    pub fn shred_profile_key(&self, profile_id: &str) -> Result<()> {
        wipe::shred_key(&self.inner, profile_id)
    }

    /// Last step of removing a profile: deletes its rows and files. A crash before
    /// it is finished on the next open.
    pub fn delete_profile_data(&self, profile_id: &str) -> Result<()> {
        wipe::delete_profile_data(&self.inner, profile_id)
    }
}

/// Checks an unwrapped key against the profile's canary: [`StoreError::WrongKey`],
/// or [`StoreError::Corrupt`] when the canary's envelope no longer parses.
pub(crate) fn check_canary(
    key: &ring::aead::LessSafeKey,
    profile_id: &str,
    canary: &[u8],
) -> Result<()> {
    match crypto::open(key, canary_ctx(profile_id), canary) {
        Ok(plain) if plain == CANARY_PLAINTEXT => Ok(()),
        Ok(_) | Err(crypto::SealError::Authentication) => Err(StoreError::WrongKey),
        Err(_) => Err(StoreError::Corrupt {
            table: "profiles",
            column: "canary",
            row_id: profile_id.to_owned(),
        }),
    }
}

/// Active profiles, oldest first, as rows (a damaged row fails alone).
pub(crate) fn active_profiles(
    c: &Connection,
) -> rusqlite::Result<Vec<rusqlite::Result<ProfileInfo>>> {
    let mut stmt = c.prepare_cached(
        "SELECT id, label, created_at FROM profiles WHERE state = 'active'
         ORDER BY created_at, rowid",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(ProfileInfo {
            id: r.get(0)?,
            label: r.get(1)?,
            created_at_ms: r.get(2)?,
        })
    })?;
    Ok(rows.collect())
}

/// Writes the key slots an active profile lacks and removes those of profiles that
/// are gone (only ever on a healthy store).
fn sync_key_slots(inner: &StoreInner) -> Result<()> {
    type Row = (String, String, i64, Vec<u8>, Vec<u8>);
    let active: Vec<Row> = inner.read(|c| {
        let mut stmt = c.prepare(
            "SELECT id, label, created_at, wrapped_key, canary FROM profiles
             WHERE state = 'active' AND wrapped_key IS NOT NULL AND canary IS NOT NULL",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })?;
    let have = crate::keyslot::ids(&inner.root);
    for id in &have {
        if !active.iter().any(|a| &a.0 == id) {
            crate::keyslot::remove(&inner.root, id)?;
        }
    }
    for (profile_id, label, created_at_ms, wrapped_key, canary) in active {
        if !have.contains(&profile_id) {
            let slot = crate::keyslot::KeySlot {
                profile_id,
                label,
                created_at_ms,
                wrapped_key,
                canary,
            };
            crate::keyslot::write(&inner.root, &slot)?;
        }
    }
    Ok(())
}

/// The store's id and generation, as committed.
fn read_meta(conn: &Connection) -> Result<([u8; 16], u64)> {
    let (id, generation): (Vec<u8>, i64) = conn.query_row(
        "SELECT store_id, generation FROM store_meta WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let id = <[u8; 16]>::try_from(id.as_slice()).map_err(|_| StoreError::DatabaseCorrupt)?;
    Ok((
        id,
        u64::try_from(generation).map_err(|_| StoreError::DatabaseCorrupt)?,
    ))
}

impl Drop for StoreInner {
    /// On close (the last clone of the store and its profiles dropped): a last
    /// checkpoint, so nothing lives only in the WAL while the app is gone.
    fn drop(&mut self) {
        if let Err(e) = crate::checkpoint::run_if_needed(self) {
            tracing::warn!(error = %e, "could not checkpoint the store on close");
        }
    }
}

/// A profile between [`Store::begin_profile`] and [`Store::insert_profile`]: its id
/// and fresh data key (wiped from memory when dropped).
#[derive(Debug)]
pub struct NewProfile {
    id: String,
    label: String,
    key: DataKey,
}

impl NewProfile {
    /// The new profile's id (the vault's alias for its key).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The raw data key, to hand to the vault for wrapping. Never store it.
    pub fn data_key(&self) -> &[u8] {
        self.key.expose()
    }
}
