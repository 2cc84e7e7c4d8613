//! `layanan`: the terminal shell over the Layanan core, on the same API the Kotlin and
//! Swift shells use. For agencies testing their forms, support staff and field
//! debugging; `layanan demo` shows the whole journey.

#![allow(clippy::print_stdout, clippy::print_stderr)] // a terminal program's output is its interface

mod commands;
mod context;
mod demo;
mod error;
mod output;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::context::data_dir;
use crate::error::CliResult;
use crate::output::Out;

#[derive(Parser)]
#[command(
    name = "layanan",
    version,
    about = "Layanan terminal shell / cangkang terminal Layanan"
)]
struct Cli {
    /// Folder of the sealed store (default: $XDG_DATA_HOME/layanan or ~/.local/share/layanan).
    #[arg(long, global = true, env = "LAYANAN_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Profile id or label (default: the only profile).
    #[arg(long, global = true, env = "LAYANAN_PROFILE")]
    profile: Option<String>,
    /// Print one JSON document instead of text.
    #[arg(long, global = true)]
    json: bool,
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
    /// Forms available offline.
    Forms {
        /// Refresh them from the signed-in server first (only changed forms are downloaded).
        #[arg(long)]
        update: bool,
    },
    /// Fill a form in the terminal, one question at a time.
    Fill {
        /// Form id (see `layanan forms`).
        form: String,
        /// Resume this draft instead of starting a new one.
        #[arg(long)]
        draft: Option<String>,
        /// Label language: `id` (default) or `en`, or any language the form has.
        #[arg(long)]
        lang: Option<String>,
        /// Minutes from UTC for dates the form records (default 420, WIB).
        #[arg(long, allow_hyphen_values = true)]
        utc_offset: Option<i32>,
    },
    /// List the drafts of a profile.
    Drafts,
    /// The outbox: every finalized submission and where it stands.
    Outbox {
        /// Put a wedged or failed item back in the queue.
        #[arg(long)]
        requeue: Option<String>,
        /// Give a wedged item whose file is damaged the file taken again (with
        /// `--file NAME --from PATH`); the item is queued again.
        #[arg(long, requires_all = ["file", "from"], conflicts_with = "requeue")]
        reattach: Option<String>,
        /// The file name the submission refers to (the error names it).
        #[arg(long)]
        file: Option<String>,
        /// Where the new file is.
        #[arg(long)]
        from: Option<std::path::PathBuf>,
    },
    /// Sign in to an agency server with a phone number and a one-time code.
    Signin {
        #[arg(long)]
        server: String,
        #[arg(long)]
        phone: String,
        /// The code (asked for on stdin when missing).
        #[arg(long)]
        code: Option<String>,
    },
    /// Send the outbox and fetch status updates.
    Sync {
        /// Must match the server signed in to.
        #[arg(long)]
        server: Option<String>,
        /// Stop after this many seconds.
        #[arg(long, default_value_t = 600)]
        budget: u32,
    },
    /// The timeline of each submission (or one) at the agency.
    Status { instance_id: Option<String> },
    /// Save what can still be read of a profile on a damaged store to a sealed
    /// archive (opens with the profile's passphrase); changes nothing in the store.
    Recover {
        /// The archive file to write (must not exist).
        #[arg(long)]
        out: PathBuf,
    },
    /// Show what Layanan does, end to end, on a throw-away store and server.
    Demo,
}

#[derive(Subcommand)]
enum ProfilesAction {
    /// Create a profile protected by a passphrase ($LAYANAN_PASSPHRASE or asked).
    Create {
        /// A nickname shown on the profile picker (not the person's real name).
        label: String,
    },
    /// List profiles (no passphrase needed).
    List,
    /// Check a profile's passphrase and count its drafts.
    Unlock,
    /// Wipe a profile: its key first, then its drafts, outbox and attachments.
    Remove { profile: String },
}

async fn run(cli: Cli) -> CliResult {
    use commands::{fill, outbox, profiles, recover, sync};
    let out = Out { json: cli.json };
    let profile = cli.profile.as_deref();
    if let Command::Demo = cli.command {
        return demo::run(out).await;
    }
    let dir = data_dir(cli.data_dir);
    match cli.command {
        Command::Profiles { action } => match action {
            ProfilesAction::Create { label } => profiles::create(&dir, out, &label).await,
            ProfilesAction::List => profiles::list(&dir, out).await,
            ProfilesAction::Unlock => profiles::unlock_check(&dir, out, profile).await,
            ProfilesAction::Remove { profile } => profiles::remove(&dir, out, &profile).await,
        },
        Command::Forms { update } => fill::forms(&dir, out, profile, update).await,
        Command::Fill {
            form,
            draft,
            lang,
            utc_offset,
        } => {
            fill::fill(
                &dir,
                out,
                profile,
                &form,
                draft.as_deref(),
                lang,
                utc_offset,
            )
            .await
        }
        Command::Drafts => profiles::drafts(&dir, out, profile).await,
        Command::Outbox {
            reattach: Some(id),
            file: Some(file),
            from: Some(from),
            ..
        } => outbox::reattach(&dir, out, profile, &id, &file, &from).await,
        Command::Outbox {
            requeue: Some(id), ..
        } => outbox::requeue(&dir, out, profile, &id).await,
        Command::Outbox { .. } => outbox::list(&dir, out, profile).await,
        Command::Signin {
            server,
            phone,
            code,
        } => sync::signin(&dir, out, profile, &server, &phone, code).await,
        Command::Sync { server, budget } => {
            sync::sync(&dir, out, profile, server.as_deref(), budget).await
        }
        Command::Status { instance_id } => {
            outbox::status(&dir, out, profile, instance_id.as_deref()).await
        }
        Command::Recover { out: dest } => recover::recover(&dir, out, profile, &dest).await,
        Command::Demo => demo::run(out).await,
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("layanan: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("layanan: {}", e.message);
            ExitCode::from(e.code)
        }
    }
}
