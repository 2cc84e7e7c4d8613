//! `layanan forms` and `layanan fill FORM`: forms kept offline, filled one question at
//! a time in the terminal, on the same form session API the mobile shells use.
//!
//! Every answer is saved into the sealed draft as it is given, so `:quit` (or a
//! killed terminal) loses nothing: `layanan fill FORM --draft ID` resumes.
//! Commands at any prompt: `:back` (previous page), `:quit` (keep the draft).

use std::io::{BufRead, Write};
use std::path::Path;
use std::sync::Arc;

use layanan::{FormPage, FormQuestion, FormSession, FormsError, QuestionKind, SyncService};
use serde_json::json;

use crate::context::{load_server, open_store, unlock};
use crate::error::{CliError, CliResult};
use crate::output::{when, Out};

/// The device's offset from UTC, from `--utc-offset` or $LAYANAN_UTC_OFFSET_MINUTES
/// (default WIB, +07:00).
fn utc_offset(arg: Option<i32>) -> i32 {
    arg.or_else(|| {
        std::env::var("LAYANAN_UTC_OFFSET_MINUTES")
            .ok()?
            .parse()
            .ok()
    })
    .unwrap_or(420)
}

fn forms_error(e: FormsError) -> CliError {
    match e {
        FormsError::InvalidForm { reason } => {
            CliError::new(format!("the form cannot be loaded: {reason}"))
        }
        FormsError::FormMismatch { draft_form_id, .. } => {
            CliError::new(format!("this draft belongs to form {draft_form_id}"))
        }
        FormsError::DraftNotFound { draft_id } => {
            CliError::new(format!("no draft {draft_id} (see `layanan drafts`)"))
        }
        other => CliError::new(other.to_string()),
    }
}

pub async fn forms(dir: &Path, out: Out, profile: Option<&str>, update: bool) -> CliResult {
    let store = open_store(dir).await?;
    let p = unlock(&store, profile).await?;
    if update {
        let config = load_server(dir)?.ok_or_else(|| {
            CliError::new("not signed in: run `layanan signin --server URL --phone NUMBER`")
        })?;
        let sync = SyncService::new(Arc::clone(&p), config.server_url, config.agency_key_hex)?;
        let u = sync.update_forms().await?;
        if !out.json {
            eprintln!(
                "{} form(s) downloaded, {} unchanged",
                u.downloaded, u.unchanged
            );
        }
    }
    let forms = p.forms().list().await?;
    let value = json!(forms
        .iter()
        .map(|f| json!({ "form_id": f.form_id, "version": f.version, "name": f.name, "downloaded_at_ms": f.downloaded_at_ms }))
        .collect::<Vec<_>>());
    out.emit(value, || {
        if forms.is_empty() {
            return "no forms offline yet: run `layanan forms --update` while online".into();
        }
        forms
            .iter()
            .map(|f| {
                format!(
                    "{}\t{}\tv{}\t{}",
                    f.form_id,
                    f.name,
                    f.version,
                    when(f.downloaded_at_ms)
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(())
}

/// Reads the person's answers line by line (a terminal or a pipe).
struct Input {
    lines: std::io::Lines<std::io::StdinLock<'static>>,
}

enum Reply {
    Text(String),
    Back,
    Quit,
}

impl Input {
    fn ask(&mut self, prompt: &str) -> Reply {
        print!("{prompt}");
        let _ = std::io::stdout().flush();
        match self.lines.next() {
            Some(Ok(line)) => match line.trim() {
                ":back" => Reply::Back,
                ":quit" => Reply::Quit,
                _ => Reply::Text(line.trim().to_owned()),
            },
            // End of input: keep the draft, as `:quit` does.
            _ => Reply::Quit,
        }
    }
}

fn show_question(q: &FormQuestion) {
    let star = if q.required { " *" } else { "" };
    println!("\n{}{star}", q.label);
    if let Some(h) = &q.hint {
        println!("  ({h})");
    }
    for (i, c) in q.choices.iter().enumerate() {
        println!("  {}. {}", i + 1, c.label);
    }
    if q.kind == QuestionKind::Upload {
        println!("  [path of a file to attach]");
    }
    if !q.value.is_empty() {
        println!("  now: {}", q.value);
    }
}

/// Turns what was typed into the form's value: choice numbers become choice values.
fn to_value(q: &FormQuestion, typed: &str) -> String {
    if q.choices.is_empty() {
        return typed.to_owned();
    }
    typed
        .split_whitespace()
        .map(|part| {
            part.parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| q.choices.get(i))
                .map(|c| c.value.clone())
                .unwrap_or_else(|| part.to_owned())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn media_type(path: &str) -> &'static str {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".jpg") || lower.ends_with(".jpeg") {
        "image/jpeg"
    } else if lower.ends_with(".png") {
        "image/png"
    } else if lower.ends_with(".webp") {
        "image/webp"
    } else if lower.ends_with(".pdf") {
        "application/pdf"
    } else {
        "application/octet-stream"
    }
}

/// Asks one question until the form accepts the answer. `Ok(false)` means quit.
async fn ask_question(
    form: &FormSession,
    input: &mut Input,
    q: &FormQuestion,
) -> CliResult<Option<bool>> {
    loop {
        let typed = match input.ask("> ") {
            Reply::Quit => return Ok(None),
            Reply::Back => return Ok(Some(false)),
            Reply::Text(t) => t,
        };
        if typed.is_empty() {
            // Keep what is there; the page check says if it is required.
            return Ok(Some(true));
        }
        let result = if q.kind == QuestionKind::Upload {
            let name = Path::new(&typed)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "file".into());
            form.attach_file(
                q.path.clone(),
                name,
                media_type(&typed).into(),
                typed.clone(),
            )
            .await
        } else {
            form.answer(q.path.clone(), to_value(q, &typed)).await
        };
        match result {
            Ok(page) => match page
                .questions
                .iter()
                .find(|x| x.path == q.path)
                .and_then(|x| x.error.clone())
            {
                Some(message) => println!("  ! {message}"),
                None => return Ok(Some(true)),
            },
            Err(FormsError::InvalidValue { user_message, .. }) => println!("  ! {user_message}"),
            Err(FormsError::MediaTypeRefused { accepts, .. }) => {
                println!("  ! this question takes {accepts}")
            }
            Err(
                FormsError::NotAnImage {
                    user_message,
                    user_message_en,
                    ..
                }
                | FormsError::DamagedFile {
                    user_message,
                    user_message_en,
                    ..
                },
            ) => println!("  ! {user_message} / {user_message_en}"),
            Err(FormsError::Store { .. } | FormsError::InvalidInput { .. })
                if q.kind == QuestionKind::Upload =>
            {
                println!("  ! cannot read that file; check the path")
            }
            Err(e) => return Err(forms_error(e)),
        }
    }
}

/// The repeat a page's instance belongs to: `/data/member[2]` -> `/data/member`.
fn repeat_base(instance: &str) -> &str {
    instance.rfind('[').map_or(instance, |i| &instance[..i])
}

pub async fn fill(
    dir: &Path,
    out: Out,
    profile: Option<&str>,
    form_id: &str,
    draft: Option<&str>,
    language: Option<String>,
    offset: Option<i32>,
) -> CliResult {
    let store = open_store(dir).await?;
    let p = unlock(&store, profile).await?;
    let offset = utc_offset(offset);
    let form = match draft {
        Some(d) => FormSession::resume(Arc::clone(&p), d.to_owned(), language, offset).await,
        None => FormSession::start(Arc::clone(&p), form_id.to_owned(), language, offset).await,
    }
    .map_err(|e| match e {
        FormsError::FormNotOffline { .. } => CliError::new(format!(
            "no form {form_id} offline (see `layanan forms`, or `layanan forms --update` while online)"
        )),
        other => forms_error(other),
    })?;
    let info = form.info().await.map_err(forms_error)?;
    println!(
        "{} — draft {} (answers are saved as you go; :back, :quit)",
        info.title, info.draft_id
    );
    let mut input = Input {
        lines: std::io::stdin().lock().lines(),
    };
    let mut page: FormPage = form.current_page().await.map_err(forms_error)?;
    loop {
        if let Some(t) = &page.title {
            println!("\n== {t} ({}/{})", page.index + 1, page.count);
        }
        let mut back = false;
        for q in page.questions.clone() {
            if q.readonly {
                println!(
                    "\n{}{}",
                    q.label,
                    if q.value.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", q.value)
                    }
                );
                continue;
            }
            show_question(&q);
            match ask_question(&form, &mut input, &q).await? {
                None => {
                    println!(
                        "\ndraft kept: resume with `layanan fill {form_id} --draft {}`",
                        info.draft_id
                    );
                    return Ok(());
                }
                Some(false) => {
                    back = true;
                    break;
                }
                Some(true) => {}
            }
        }
        if back {
            page = form.previous_page().await.map_err(forms_error)?;
            continue;
        }
        let left_repeat = page.repeat.clone();
        if page.index + 1 >= page.count {
            match form.finalize().await {
                Ok(item) => {
                    out.emit(
                        json!({ "instance_id": item.instance_id, "form_id": item.form_id, "state": "queued" }),
                        || format!("\nfinalized: {} waits in the outbox (`layanan sync` sends it)", item.instance_id),
                    );
                    return Ok(());
                }
                Err(FormsError::Invalid { paths, .. }) => {
                    report_issues(&form).await?;
                    page = form.jump(paths[0].clone()).await.map_err(forms_error)?;
                    continue;
                }
                Err(e) => return Err(forms_error(e)),
            }
        }
        match form.next_page().await {
            Ok(next) => {
                if let Some(instance) =
                    left_repeat.filter(|r| next.repeat.as_deref() != Some(r.as_str()))
                {
                    if let Reply::Text(yes) = input.ask("\nTambah lagi? / Add another? [y/N] ") {
                        if yes.eq_ignore_ascii_case("y") || yes.eq_ignore_ascii_case("ya") {
                            match form.add_repeat(repeat_base(&instance).to_owned()).await {
                                Ok(added) => {
                                    page = added;
                                    continue;
                                }
                                Err(FormsError::RepeatFixed { .. }) => {
                                    println!("  ! this form fixes the number")
                                }
                                Err(e) => return Err(forms_error(e)),
                            }
                        }
                    }
                }
                page = next;
            }
            Err(FormsError::Invalid { .. }) => {
                report_issues(&form).await?;
                page = form.current_page().await.map_err(forms_error)?;
            }
            Err(e) => return Err(forms_error(e)),
        }
    }
}

async fn report_issues(form: &FormSession) -> CliResult {
    let page = form.current_page().await.map_err(forms_error)?;
    for issue in form.validate().await.map_err(forms_error)? {
        if page.questions.iter().any(|q| q.path == issue.path) || page.questions.is_empty() {
            println!("  ! {}", issue.message);
        }
    }
    Ok(())
}
