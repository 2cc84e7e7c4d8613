//! Child process for the crash tests: writes as fast as it can and prints what it
//! committed after each commit returns, until it is killed.
//!
//! Usage: `layanan-crash-writer DATA_DIR PROFILE_ID [MODE]`, MODE being
//! - `drafts` (the default): creates and saves drafts; prints `DRAFT_ID ANSWER`;
//! - `attach`: first attaches a photo to a new draft and prints `attachment ID`,
//!   then goes on as `drafts`;
//! - `finalize`: creates a draft with a photo and finalizes it into the outbox;
//!   prints `INSTANCE_ID ATTACHMENT_ID` after each finalize returns;
//! - `checkpoint`: as `drafts`, with a store checkpoint after every save.

use std::io::Write;

use layanan_device::{Answers, StaticKeyVault, Store};
use layanan_protocol::InstanceId;

/// The photo the `attach` and `finalize` modes store: 3 chunks and a bit.
fn photo(seed: u8) -> Vec<u8> {
    (0..200_000u32)
        .map(|i| (i as u8).wrapping_mul(31) ^ seed)
        .collect()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(profile_id)) = (args.next(), args.next()) else {
        eprintln!("usage: layanan-crash-writer DATA_DIR PROFILE_ID [MODE]");
        std::process::exit(2);
    };
    let mode = args.next().unwrap_or_else(|| "drafts".into());
    let run = || -> Result<(), Box<dyn std::error::Error>> {
        let store = Store::open(&dir)?;
        let profile = store.unlock_profile(&profile_id, &StaticKeyVault::new([3; 32]))?;
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        let big = "x".repeat(4096);
        if mode == "attach" {
            let draft = profile.drafts().create("crash", "1", &Answers::new())?;
            let info = profile.attachments().add(
                Some(&draft.id),
                "photo.jpg",
                "image/jpeg",
                &photo(7)[..],
            )?;
            writeln!(out, "attachment {}", info.id)?;
            out.flush()?;
        }
        for i in 0u64.. {
            let mut answers = Answers::new();
            answers.insert("/data/seq".into(), i.to_string());
            answers.insert("/data/padding".into(), big.clone());
            let draft = profile.drafts().create("crash", "1", &answers)?;
            if mode == "finalize" {
                let info = profile.attachments().add(
                    Some(&draft.id),
                    "photo.jpg",
                    "image/jpeg",
                    &photo(i as u8)[..],
                )?;
                let iid = InstanceId::new_random();
                let xml = format!("<data><seq>{i}</seq><photo>photo.jpg</photo></data>");
                profile
                    .outbox()
                    .finalize(&draft.id, &iid, xml.as_bytes(), &["photo.jpg"])?;
                writeln!(out, "{} {}", iid.as_str(), info.id)?;
                out.flush()?;
                continue;
            }
            // Rewrite it once so both insert and update are in flight when killed.
            answers.insert("/data/seq".into(), format!("{i}-saved"));
            profile.drafts().save(&draft.id, &answers)?;
            if mode == "checkpoint" {
                store.checkpoint()?;
            }
            writeln!(out, "{} {i}-saved", draft.id)?;
            out.flush()?;
        }
        Ok(())
    };
    if let Err(e) = run() {
        eprintln!("crash writer failed: {e}");
        std::process::exit(1);
    }
}
