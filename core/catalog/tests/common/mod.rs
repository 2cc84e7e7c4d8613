//! Shared test data: a small valid catalog folder written as the agencies write it,
//! a generated catalog of realistic size, and keys.

#![allow(clippy::unwrap_used, dead_code)] // tests fail loudly on purpose

use std::collections::BTreeMap;
use std::path::Path;

use layanan_catalog::{
    Agency, Catalog, Channel, Charge, Date, Fee, LegalBasis, Level, LifeEvent, LocalName, Office,
    Records, Requirement, Service, Source, Step, Text,
};
use layanan_protocol::ReceiptSigner;

pub const AGENCIES: &str = r#"
# Two agencies.
[[agency]]
id = "disdukcapil"
name.id = "Dinas Kependudukan dan Pencatatan Sipil (Disdukcapil)"
name.en = "Population and Civil Registration Office (Disdukcapil)"
level = "kabupaten"
website = "https://dukcapil.kemendagri.go.id"

[[agency]]
id = "polri"
name.id = "Kepolisian Negara Republik Indonesia (Polri)"
name.en = "Indonesian National Police (Polri)"
level = "pusat"
"#;

pub const OFFICES: &str = r#"
[[office]]
id = "disdukcapil-kota-bandung"
agency = "disdukcapil"
name.id = "Disdukcapil Kota Bandung"
name.en = "Bandung City Disdukcapil"
address = "Jl. Ambon No. 1B, Bandung"
region_code = "32.73"
opening_hours = "Senin-Jumat 08.00-15.00"
lat = -6.9093
lon = 107.6163
phone = "(022) 4209891"
source = "https://disdukcapil.bandung.go.id"

[[office]]
id = "disdukcapil-kab-kebumen"
agency = "disdukcapil"
name.id = "Disdukcapil Kabupaten Kebumen"
address = "Jl. H.M. Sarbini No. 21, Kebumen"
region_code = "33.05"
opening_hours = "Senin-Jumat 07.30-12.00"
lat = -7.6684
lon = 109.6520
source = "https://disdukcapil.kebumenkab.go.id"
"#;

pub const LIFE_EVENTS: &str = r#"
[[life_event]]
id = "kehilangan-dokumen"
title.id = "Kehilangan dokumen"
title.en = "Losing a document"
summary.id = "Laporkan ke polisi, lalu ganti dokumennya."
summary.en = "Report to the police, then replace the document."
steps = [
  { service = "ktp-el-hilang", why.id = "KTP-el diganti dengan surat kehilangan.", why.en = "The KTP-el is replaced with the police report." },
  { service = "surat-kehilangan-polisi", why.id = "Surat kehilangan dibuat lebih dulu.", why.en = "The police report comes first." },
]
"#;

pub const KTP_EL_HILANG: &str = r#"
id = "ktp-el-hilang"              # equals the file name
version = 3
last_changed = "2026-11-30"
agency = "disdukcapil"
life_events = ["kehilangan-dokumen"]
form_id = "ktp_el_hilang"
sla_working_days = 14
keywords = ["ktp hilang", "e-ktp hilang", "lost id card"]

[title]
id = "Penggantian KTP-el karena Hilang"
en = "Replacing a lost electronic identity card (KTP-el)"

[summary]
id = "KTP-el yang hilang dicetak ulang."
en = "A lost KTP-el is reprinted."

[audience]
id = "Penduduk WNI yang KTP-el-nya hilang"
en = "Indonesian citizens whose KTP-el was lost"

[[requirements]]
id = "Surat keterangan kehilangan dari kepolisian"
en = "Police report of the loss"
produced_by = "surat-kehilangan-polisi"

[[requirements]]
id = "Fotokopi Kartu Keluarga"
en = "Copy of the family card (KK)"
produced_by = "kk-baru"

[fee]
free = true
note.id = "Tidak dipungut biaya (UU 24/2013 Pasal 79A)"
note.en = "No fee (Law 24/2013 article 79A)"

[[legal_basis]]
title = "Undang-Undang Nomor 24 Tahun 2013"
url = "https://peraturan.bpk.go.id/Details/38986"

[[channels]]
kind = "online"
[[channels]]
kind = "office"
offices = ["disdukcapil-kota-bandung"]
[[channels]]
kind = "website"
url = "https://dukcapil.kemendagri.go.id"

[[sources]]
title = "Disdukcapil Kota Bandung: persyaratan penggantian KTP-el hilang"
url = "https://disdukcapil.bandung.go.id/layanan/ktp-hilang"
accessed = "2026-11-30"
"#;

pub const KK_BARU: &str = r#"
id = "kk-baru"
version = 1
last_changed = 2026-11-30
agency = "disdukcapil"
life_events = []
keywords = ["kk", "kartu keluarga"]
title = { id = "Kartu Keluarga Baru", en = "New family card" }
summary = { id = "KK baru.", en = "A new KK." }
audience = { id = "Keluarga baru", en = "New families" }
requirements = [{ id = "Buku nikah", en = "Marriage book" }]
fee = { free = true }
channels = [{ kind = "office", offices = [] }]
sources = [{ title = "SIPPN", url = "https://sippn.menpan.go.id/kk", accessed = "2026-11-30" }]
"#;

pub const SURAT_KEHILANGAN: &str = r#"
id = "surat-kehilangan-polisi"
version = 1
last_changed = "2026-11-30"
agency = "polri"
life_events = ["kehilangan-dokumen"]
keywords = ["surat kehilangan", "lapor hilang"]
[title]
id = "Surat Keterangan Kehilangan"
en = "Police report of a loss"
[summary]
id = "Polsek membuat surat kehilangan."
en = "The police station writes a loss report."
[audience]
id = "Siapa saja yang kehilangan dokumen"
en = "Anyone who lost a document"
[[requirements]]
id = "Fotokopi KTP-el atau KK"
en = "Copy of the KTP-el or KK"
produced_by = "kk-baru"
[fee]
free = false
amount_idr = 10000
[[channels]]
kind = "office"
[[sources]]
title = "Polri: SKTLK"
url = "https://polri.go.id/sktlk"
accessed = "2026-11-30"
"#;

/// The small valid catalog as files.
pub fn valid_files() -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    files.insert("agencies.toml".to_owned(), AGENCIES.to_owned());
    files.insert("offices.toml".to_owned(), OFFICES.to_owned());
    files.insert("life-events.toml".to_owned(), LIFE_EVENTS.to_owned());
    files.insert(
        "services/ktp-el-hilang.toml".to_owned(),
        KTP_EL_HILANG.to_owned(),
    );
    files.insert("services/kk-baru.toml".to_owned(), KK_BARU.to_owned());
    files.insert(
        "services/surat-kehilangan-polisi.toml".to_owned(),
        SURAT_KEHILANGAN.to_owned(),
    );
    files
}

/// Writes `files` into `dir` as a catalog folder.
pub fn write_folder(dir: &Path, files: &BTreeMap<String, String>) {
    std::fs::create_dir_all(dir.join("services")).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

/// The starter catalog (`server/catalog/`), or `None` with a note when this
/// checkout does not have it.
pub fn starter() -> Option<Catalog> {
    Some(layanan_catalog::authoring::load(&starter_dir()?).unwrap())
}

/// The starter catalog's folder, or `None` with a note when it is absent.
pub fn starter_dir() -> Option<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../server/catalog");
    if !dir.is_dir() {
        eprintln!("skipped: server/catalog/ is not in this checkout");
        return None;
    }
    Some(dir)
}

/// The small valid catalog, checked.
pub fn small_catalog() -> Catalog {
    layanan_catalog::authoring::from_files(&valid_files()).unwrap()
}

pub fn signer() -> ReceiptSigner {
    ReceiptSigner::from_pkcs8(&ReceiptSigner::generate_pkcs8().unwrap()).unwrap()
}

fn text(id: String, en: String) -> Text {
    Text { id, en }
}

/// A generated catalog of `n` services with records as long as the starter
/// catalog's (about 2 KB of text each), 3 agencies, 6 offices and 2 life events.
pub fn generated(n: usize, version: u32) -> Catalog {
    let date = Date::new(2026, 11, 30).unwrap();
    let agencies: Vec<Agency> = ["disdukcapil", "imigrasi", "polri"]
        .iter()
        .map(|id| Agency {
            id: (*id).to_owned(),
            name: text(format!("Instansi {id}"), format!("Agency {id}")),
            level: Level::Kabupaten,
            website: Some(format!("https://{id}.go.id")),
        })
        .collect();
    let offices: Vec<Office> = (0..6)
        .map(|i| Office {
            id: format!("kantor-{i}"),
            agency: agencies[i % 3].id.clone(),
            name: LocalName {
                id: format!("Kantor nomor {i}"),
                en: Some(format!("Office number {i}")),
            },
            address: format!("Jl. Merdeka No. {i}, Kota Contoh, Jawa Barat"),
            region_code: format!("32.{:02}", 70 + i),
            opening_hours: "Senin-Jumat 08.00-15.00 WIB, istirahat 12.00-13.00".to_owned(),
            location: Some(layanan_catalog::GeoPoint {
                lat: -6.9 - i as f64 / 10.0,
                lon: 107.6,
            }),
            phone: Some(format!("(022) 42000{i}")),
            source: format!("https://kantor-{i}.go.id/kontak"),
        })
        .collect();
    let services: Vec<Service> = (0..n)
        .map(|i| {
            let id = format!("layanan-{i:03}");
            Service {
                id: id.clone(),
                version,
                last_changed: date,
                agency: agencies[i % 3].id.clone(),
                life_events: if i < 4 { vec![format!("peristiwa-{}", i % 2)] } else { Vec::new() },
                form_id: (i % 4 == 0).then(|| format!("form_{i}")),
                sla_working_days: Some(1 + (i % 14) as u32),
                keywords: vec![format!("layanan {i}"), format!("urus dokumen {i}"), format!("service {i}")],
                title: text(format!("Penerbitan Dokumen Nomor {i}"), format!("Issuing document number {i}")),
                summary: text(
                    format!("Layanan nomor {i} menerbitkan dokumen bagi penduduk yang memenuhi syarat. Ajukan di kantor sesuai domisili atau lewat formulir daring. Waktu layanan berbeda di tiap daerah; contoh di sini berasal dari sumber yang dicantumkan. Versi {version}."),
                    format!("Service number {i} issues a document to residents who qualify. Apply at the office where you live or with the online form. Processing times differ by region; the example here comes from the cited source. Version {version}."),
                ),
                audience: text(format!("Penduduk WNI kelompok {i}"), format!("Indonesian citizens of group {i}")),
                requirements: (0..4)
                    .map(|r| Requirement {
                        text: text(
                            format!("Dokumen persyaratan {r} untuk layanan {i}, asli dan fotokopi"),
                            format!("Required document {r} for service {i}, original and a copy"),
                        ),
                        produced_by: (r == 0 && i > 0).then(|| "layanan-000".to_owned()),
                    })
                    .collect(),
                fee: if i % 3 == 0 {
                    Fee { charge: Charge::Free, note: Some(text("Tidak dipungut biaya (UU 24/2013)".into(), "No fee (Law 24/2013)".into())) }
                } else {
                    Fee { charge: Charge::Idr(50_000 * i as u64), note: Some(text(format!("PNBP menurut PP nomor {i}"), format!("State fee under regulation {i}"))) }
                },
                legal_basis: vec![LegalBasis { title: format!("Peraturan Pemerintah Nomor {i} Tahun 2024 tentang Layanan Contoh"), url: None }],
                channels: {
                    let mut channels = vec![Channel::Office { offices: vec![format!("kantor-{}", i % 3)] }];
                    if i % 4 == 0 {
                        channels.push(Channel::Online);
                    }
                    channels
                },
                sources: vec![Source {
                    title: format!("SIPPN: persyaratan layanan nomor {i}"),
                    url: format!("https://sippn.menpan.go.id/pelayanan-publik/{}", 7_900_000 + i),
                    accessed: date,
                }],
            }
        })
        .collect();
    let life_events = (0..2)
        .map(|e| LifeEvent {
            id: format!("peristiwa-{e}"),
            title: text(format!("Peristiwa {e}"), format!("Event {e}")),
            summary: text(
                format!("Ringkasan peristiwa {e}."),
                format!("Summary of event {e}."),
            ),
            steps: (0..n.min(4))
                .filter(|i| i % 2 == e)
                .map(|i| Step {
                    service: format!("layanan-{i:03}"),
                    why: text(format!("Langkah {i}."), format!("Step {i}.")),
                })
                .collect(),
        })
        .collect();
    Catalog::from_records(Records {
        services,
        agencies,
        offices,
        life_events,
    })
    .unwrap()
}
