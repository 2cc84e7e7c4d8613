//! `layanan`: the terminal shell over the Layanan core, for agencies testing forms,
//! support staff and field debugging. Grows with the forms, sync and demo issues.

#![allow(clippy::print_stdout)] // a terminal program's output is its interface

mod demo;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use layanan_device::{PassphraseVault, Store, StoreError};

#[derive(Parser)]
#[command(name = "layanan", version, about = "Layanan terminal shell")]
struct Cli {
    /// Folder of the sealed store (default: $XDG_DATA_HOME/layanan or ~/.local/share/layanan).
    #[arg(long, global = true, env = "LAYANAN_DATA_DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Manage the profiles on this store.
    Profiles {
        #[command(subcommand)]
        action: ProfilesAction,
    },
    /// Show what Layanan does, end to end, on a throw-away store.
    Demo,
}

#[derive(Subcommand)]
enum ProfilesAction {
    /// Create a profile protected by a passphrase (read from LAYANAN_PASSPHRASE).
    Create {
        /// A nickname shown on the profile picker (not the person's real name).
        label: String,
    },
    /// List profiles (no passphrase needed).
    List,
    /// Check a profile's passphrase.
    Unlock { id: String },
    /// Wipe a profile: its key first, then its drafts and attachments.
    Remove { id: String },
}

fn data_dir(arg: Option<PathBuf>) -> PathBuf {
    arg.or_else(|| std::env::var_os("XDG_DATA_HOME").map(|d| PathBuf::from(d).join("layanan")))
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share/layanan")))
        .unwrap_or_else(|| PathBuf::from("layanan-data"))
}

fn passphrase() -> Result<PassphraseVault, String> {
    match std::env::var("LAYANAN_PASSPHRASE") {
        Ok(p) if !p.is_empty() => Ok(PassphraseVault::new(&p)),
        _ => Err("set LAYANAN_PASSPHRASE to the profile's passphrase".into()),
    }
}

/// One line a person can act on, for each store error.
fn explain(e: &StoreError) -> String {
    match e {
        StoreError::WrongKey => "wrong passphrase for this profile".into(),
        StoreError::KeyLost => "this profile's key is lost; it can only be removed".into(),
        StoreError::ProfileNotFound(id) => format!("no profile {id} (see `layanan profiles list`)"),
        StoreError::DatabaseCorrupt => {
            "the store's database file is damaged; it was left untouched".into()
        }
        other => other.to_string(),
    }
}

fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Demo => demo::run().map_err(|e| format!("demo failed: {e}")),
        Command::Profiles { action } => {
            let store = Store::open(data_dir(cli.data_dir)).map_err(|e| explain(&e))?;
            match action {
                ProfilesAction::Create { label } => {
                    let vault = passphrase()?;
                    let p = store
                        .create_profile(&label, &vault)
                        .map_err(|e| explain(&e))?;
                    println!("{}", p.id());
                }
                ProfilesAction::List => {
                    for p in store.list_profiles().map_err(|e| explain(&e))? {
                        println!("{}\t{}", p.id, p.label);
                    }
                }
                ProfilesAction::Unlock { id } => {
                    let p = store
                        .unlock_profile(&id, &passphrase()?)
                        .map_err(|e| explain(&e))?;
                    let drafts = p.list_drafts().map_err(|e| explain(&e))?;
                    println!("unlocked {} ({} drafts)", p.id(), drafts.len());
                }
                ProfilesAction::Remove { id } => {
                    store
                        .remove_profile(&id, &passphrase()?)
                        .map_err(|e| explain(&e))?;
                    println!("removed {id}");
                }
            }
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("layanan: {message}");
            ExitCode::FAILURE
        }
    }
}
