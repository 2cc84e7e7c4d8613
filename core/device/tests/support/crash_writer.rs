//! Child process for the crash test: saves drafts as fast as it can and prints the
//! id and answer of each one after its commit returns, until it is killed.
//!
//! Usage: `layanan-crash-writer DATA_DIR PROFILE_ID`

use std::io::Write;

use layanan_device::{Answers, StaticKeyVault, Store};

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(profile_id)) = (args.next(), args.next()) else {
        eprintln!("usage: layanan-crash-writer DATA_DIR PROFILE_ID");
        std::process::exit(2);
    };
    let run = || -> Result<(), Box<dyn std::error::Error>> {
        let store = Store::open(&dir)?;
        let profile = store.unlock_profile(&profile_id, &StaticKeyVault::new([3; 32]))?;
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        let big = "x".repeat(4096);
        for i in 0u64.. {
            let mut answers = Answers::new();
            answers.insert("/data/seq".into(), i.to_string());
            answers.insert("/data/padding".into(), big.clone());
            let draft = profile.drafts().create("crash", "1", &answers)?;
            // Rewrite it once so both insert and update are in flight when killed.
            answers.insert("/data/seq".into(), format!("{i}-saved"));
            profile.drafts().save(&draft.id, &answers)?;
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
