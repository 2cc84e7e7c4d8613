//! `layanan-netsim-proxy`: the link simulator as a process, for test suites in other
//! languages (the Swift tests run in a chroot and reach it over loopback).
//!
//! ```text
//! layanan-netsim-proxy --upstream 127.0.0.1:8080 [--bandwidth-bps N]
//!                      [--reset-after-request-bytes N] [--stats-file PATH]
//! ```
//!
//! Prints the proxy's URL on its first line of stdout, then forwards until stdin
//! closes. `--reset-after-request-bytes` schedules one targeted fault: the first
//! connection to send request bytes is reset after N of them (a signal lost
//! mid-upload). `--stats-file` is rewritten with `resets=N` after each change.

use std::io::{BufRead, Write};
use std::net::SocketAddr;
use std::time::Duration;

use layanan_netsim::{Fault, FaultProxy, LinkProfile};

struct Args {
    upstream: SocketAddr,
    bandwidth_bps: Option<u64>,
    reset_after: Option<u64>,
    stats_file: Option<String>,
}

fn parse() -> Result<Args, String> {
    let mut upstream = None;
    let mut bandwidth_bps = None;
    let mut reset_after = None;
    let mut stats_file = None;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        let number = || {
            value
                .parse::<u64>()
                .map_err(|_| format!("{flag}: not a number"))
        };
        match flag.as_str() {
            "--upstream" => {
                upstream = Some(value.parse().map_err(|_| "--upstream: not HOST:PORT")?);
            }
            "--bandwidth-bps" => bandwidth_bps = Some(number()?),
            "--reset-after-request-bytes" => reset_after = Some(number()?),
            "--stats-file" => stats_file = Some(value),
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(Args {
        upstream: upstream.ok_or("--upstream is required")?,
        bandwidth_bps,
        reset_after,
        stats_file,
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("layanan-netsim-proxy: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let profile = LinkProfile {
        bandwidth_bps: args.bandwidth_bps,
        ..LinkProfile::loopback()
    };
    let proxy = match FaultProxy::start(args.upstream, profile, 1).await {
        Ok(p) => p,
        Err(e) => {
            eprintln!("layanan-netsim-proxy: cannot listen: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    if let Some(n) = args.reset_after {
        proxy.fail_next(Fault::ResetAfterRequestBytes(n));
    }
    let mut out = std::io::stdout();
    if writeln!(out, "{}", proxy.url())
        .and_then(|()| out.flush())
        .is_err()
    {
        return std::process::ExitCode::FAILURE;
    }
    // Until stdin closes (the test script ends), report the resets.
    let stdin_closed = tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        while std::io::stdin()
            .lock()
            .read_line(&mut line)
            .is_ok_and(|n| n > 0)
        {
            line.clear();
        }
    });
    tokio::pin!(stdin_closed);
    let mut reported = u64::MAX;
    loop {
        let resets = proxy.stats().resets;
        if resets != reported {
            reported = resets;
            if let Some(path) = &args.stats_file {
                if let Err(e) = std::fs::write(path, format!("resets={resets}\n")) {
                    eprintln!("layanan-netsim-proxy: cannot write {path}: {e}");
                }
            }
        }
        tokio::select! {
            _ = &mut stdin_closed => break,
            () = tokio::time::sleep(Duration::from_millis(50)) => {}
        }
    }
    proxy.shutdown().await;
    std::process::ExitCode::SUCCESS
}
