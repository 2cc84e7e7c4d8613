//! The forms folder: the server serves whatever XForm files it holds (`<name>.xml`),
//! with media from a sibling `<name>-media/` folder (the ODK convention). Parsed forms
//! are cached and re-read when a file's size or modification time changes, so an agency
//! publishes a new form by copying a file, without a restart.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use layanan_protocol::hex;
use md5::{Digest, Md5};

/// One XForm the server offers.
#[derive(Debug)]
pub struct FormEntry {
    pub form_id: String,
    pub version: String,
    pub name: String,
    /// `md5:<hex>` of the file, as the OpenRosa form list requires.
    pub hash: String,
    pub xml: bytes::Bytes,
    pub media_dir: Option<PathBuf>,
}

/// One media file of a form's manifest.
#[derive(Debug, Clone)]
pub struct MediaFile {
    pub file_name: String,
    pub hash: String,
    pub path: PathBuf,
}

type CacheKey = (SystemTime, u64);
/// Parsed form per file, `None` for a file that is not an XForm.
type FormCache = HashMap<PathBuf, (CacheKey, Option<Arc<FormEntry>>)>;

/// Reads and caches the forms folder.
#[derive(Debug)]
pub struct FormStore {
    dir: PathBuf,
    cache: Mutex<FormCache>,
}

impl FormStore {
    pub fn new(dir: PathBuf) -> Self {
        Self {
            dir,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// All valid forms, sorted by id. Files that are not XForms are skipped with a
    /// warning naming the file (file names are the agency's, not personal data).
    pub fn list(&self) -> std::io::Result<Vec<Arc<FormEntry>>> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut forms = Vec::new();
        let mut seen = Vec::new();
        for entry in entries {
            let path = entry?.path();
            if path.extension().and_then(|e| e.to_str()) != Some("xml") {
                continue;
            }
            let meta = fs::metadata(&path)?;
            if !meta.is_file() {
                continue;
            }
            let key = (meta.modified()?, meta.len());
            seen.push(path.clone());
            if let Some(form) = self.cached_or_parse(&path, key)? {
                forms.push(form);
            }
        }
        if let Ok(mut cache) = self.cache.lock() {
            cache.retain(|path, _| seen.contains(path));
        }
        forms.sort_by(|a, b| a.form_id.cmp(&b.form_id));
        Ok(forms)
    }

    /// The form with this id, if the folder holds one.
    pub fn get(&self, form_id: &str) -> std::io::Result<Option<Arc<FormEntry>>> {
        Ok(self.list()?.into_iter().find(|f| f.form_id == form_id))
    }

    fn cached_or_parse(
        &self,
        path: &Path,
        key: CacheKey,
    ) -> std::io::Result<Option<Arc<FormEntry>>> {
        if let Ok(cache) = self.cache.lock() {
            if let Some((cached_key, form)) = cache.get(path) {
                if *cached_key == key {
                    return Ok(form.clone());
                }
            }
        }
        let xml = fs::read(path)?;
        let form = parse_xform(path, &xml).map(Arc::new);
        if form.is_none() {
            tracing::warn!(file = %path.display(), "skipping a file that is not an XForm");
        }
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(path.to_path_buf(), (key, form.clone()));
        }
        Ok(form)
    }
}

/// The media files of a form, sorted by name.
pub fn media_files(form: &FormEntry) -> std::io::Result<Vec<MediaFile>> {
    let Some(dir) = &form.media_dir else {
        return Ok(Vec::new());
    };
    let mut files = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if !entry.file_type()?.is_file() {
            continue;
        }
        let Some(file_name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        let bytes = fs::read(entry.path())?;
        files.push(MediaFile {
            file_name,
            hash: md5_hash(&bytes),
            path: entry.path(),
        });
    }
    files.sort_by(|a, b| a.file_name.cmp(&b.file_name));
    Ok(files)
}

fn md5_hash(bytes: &[u8]) -> String {
    format!("md5:{}", hex::encode(&Md5::digest(bytes)))
}

/// Reads id, version and title of an XForm; `None` if it is not one.
fn parse_xform(path: &Path, xml: &[u8]) -> Option<FormEntry> {
    let text = std::str::from_utf8(xml).ok()?;
    let doc = roxmltree::Document::parse(text).ok()?;
    let primary = doc
        .descendants()
        .find(|n| {
            n.is_element()
                && n.tag_name().name() == "instance"
                && n.attribute("id").is_none()
                && n.parent_element()
                    .is_some_and(|p| p.tag_name().name() == "model")
        })?
        .children()
        .find(|n| n.is_element())?;
    let form_id = primary.attribute("id")?.trim().to_owned();
    if form_id.is_empty() {
        return None;
    }
    let version = primary.attribute("version").unwrap_or("").to_owned();
    let name = doc
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == "title")
        .and_then(|n| n.text())
        .map(|t| t.trim().to_owned())
        .unwrap_or_else(|| form_id.clone());
    let media_dir = path
        .file_stem()
        .and_then(|stem| stem.to_str())
        .map(|stem| path.with_file_name(format!("{stem}-media")))
        .filter(|dir| dir.is_dir());
    Some(FormEntry {
        form_id,
        version,
        name,
        hash: md5_hash(xml),
        xml: bytes::Bytes::copy_from_slice(xml),
        media_dir,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORM: &str = r#"<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml">
<h:head><h:title>Surat Keterangan</h:title><model>
<instance><data id="sk" version="7"><nama/><meta><instanceID/></meta></data></instance>
<instance id="extra"><root/></instance>
</model></h:head><h:body/></h:html>"#;

    #[test]
    fn lists_forms_reloads_changes_and_skips_junk() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("sk.xml"), FORM).unwrap();
        fs::write(dir.path().join("junk.xml"), "<not-a-form/>").unwrap();
        fs::create_dir(dir.path().join("sk-media")).unwrap();
        fs::write(dir.path().join("sk-media").join("logo.png"), b"png").unwrap();
        let store = FormStore::new(dir.path().to_path_buf());
        let forms = store.list().unwrap();
        assert_eq!(forms.len(), 1);
        assert_eq!(forms[0].form_id, "sk");
        assert_eq!(forms[0].version, "7");
        assert_eq!(forms[0].name, "Surat Keterangan");
        assert!(forms[0].hash.starts_with("md5:"));
        let media = media_files(&forms[0]).unwrap();
        assert_eq!(media.len(), 1);
        assert_eq!(media[0].file_name, "logo.png");

        fs::write(dir.path().join("sk.xml"), FORM.replace("\"7\"", "\"8\" ")).unwrap();
        assert_eq!(store.get("sk").unwrap().unwrap().version, "8");
    }
}
