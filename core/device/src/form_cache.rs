//! Forms kept on the device so a citizen can fill them with no signal.
//!
//! XForms are public documents (the agency publishes them), so they are stored plain
//! and shared by every profile on the phone. The sync engine refreshes them from the
//! server's OpenRosa formList, downloading only forms whose hash changed.

use rusqlite::{params, OptionalExtension};

use crate::error::{Result, StoreError};
use crate::model::now_ms;
use crate::views::OfflineForms;

/// A form available offline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CachedForm {
    pub form_id: String,
    pub version: String,
    /// The form's title, as the server lists it.
    pub name: String,
    /// The server's hash (`md5:...`), to skip unchanged forms.
    pub hash: String,
    pub downloaded_at_ms: i64,
}

impl OfflineForms<'_> {
    /// Stores (or replaces) a form.
    pub fn save(&self, form: &CachedForm, xml: &str) -> Result<()> {
        self.inner().with_writer(|c| {
            c.execute(
                "INSERT INTO forms (form_id, version, name, hash, downloaded_at, xml)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(form_id) DO UPDATE SET version = excluded.version,
                   name = excluded.name, hash = excluded.hash,
                   downloaded_at = excluded.downloaded_at, xml = excluded.xml",
                params![
                    form.form_id,
                    form.version,
                    form.name,
                    form.hash,
                    now_ms(),
                    xml.as_bytes()
                ],
            )?;
            Ok(())
        })
    }

    /// Forms available offline, by name.
    pub fn list(&self) -> Result<Vec<CachedForm>> {
        self.inner().read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT form_id, version, name, hash, downloaded_at FROM forms ORDER BY name, form_id",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(CachedForm {
                    form_id: r.get(0)?,
                    version: r.get(1)?,
                    name: r.get(2)?,
                    hash: r.get(3)?,
                    downloaded_at_ms: r.get(4)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// The XForm text of a cached form.
    pub fn xml(&self, form_id: &str) -> Result<String> {
        let bytes: Option<Vec<u8>> = self.inner().read(|c| {
            Ok(
                c.query_row("SELECT xml FROM forms WHERE form_id = ?1", [form_id], |r| {
                    r.get(0)
                })
                .optional()?,
            )
        })?;
        let bytes = bytes.ok_or_else(|| StoreError::FormNotFound(form_id.to_owned()))?;
        String::from_utf8(bytes).map_err(|_| StoreError::Corrupt {
            table: "forms",
            column: "xml",
            row_id: form_id.to_owned(),
        })
    }
}
