//! One proxied connection: two directions, each a reader that serialises bytes onto the
//! shared link and a writer that delivers them after the one-way latency.

use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{ReadHalf, WriteHalf};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};
use tokio::time::{sleep, sleep_until, Instant};
use tracing::debug;

use crate::fault::{Action, Dir, Plan};
use crate::profile::LinkProfile;
use crate::{lock, Control, Shared};

/// Largest read on an uncapped link.
const MAX_CHUNK: usize = 16 * 1024;
/// Largest read on a capped link: about one TCP segment, so connections sharing the link
/// interleave finely and a reset lands close to its byte count in time.
const PACED_CHUNK: usize = 1460;
/// How late a timer may wake (Tokio rounds up to the millisecond, a busy machine adds
/// more) without the link counting as having gone idle.
const TIMER_SLACK: Duration = Duration::from_millis(5);
/// Chunks in flight per direction and connection. Enough for 2G's bandwidth-delay
/// product (about 13 KB) many times over; bounded so a fast sender feels backpressure.
const DELAY_LINE_SLOTS: usize = 256;

/// One direction of the radio link: bytes go out one after another at the bit rate,
/// whichever connection they belong to.
#[derive(Debug)]
pub(crate) struct Link {
    busy_until: Mutex<Instant>,
}

impl Link {
    pub(crate) fn new() -> Self {
        Self {
            busy_until: Mutex::new(Instant::now()),
        }
    }

    /// Books the link for `bytes` and returns when their last bit has left.
    fn reserve(&self, bytes: usize, profile: &LinkProfile) -> Instant {
        let now = Instant::now();
        if profile.bandwidth_bps.is_none() {
            return now;
        }
        let mut busy = lock(&self.busy_until);
        // A sender that was due at `busy` but woke a timer tick late is still part of a
        // continuous transmission: start at `busy`, or the lateness of every chunk would
        // add up and eat several percent of the rate.
        let start = if now.saturating_duration_since(*busy) <= TIMER_SLACK {
            *busy
        } else {
            now
        };
        let done = start + profile.transmit_time(bytes as u64);
        *busy = done;
        done
    }
}

/// What travels down a delay line.
#[derive(Debug)]
struct Msg {
    /// When it reaches the far end.
    at: Instant,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    Data(Vec<u8>),
    /// The sender closed its side: pass the FIN on.
    Eof,
    /// A fault fires here.
    Reset,
    /// The sender's socket failed (e.g. it was reset): pass the failure on.
    Failed(io::ErrorKind),
}

/// Why a connection ended other than by both sides closing.
#[derive(Debug)]
enum End {
    /// An injected fault.
    Reset,
    /// Proxy shutdown, going offline, or `cut_connections`.
    Cut,
    /// An endpoint failed or could not be reached.
    Failed,
}

/// Per-connection state shared by its two directions.
#[derive(Debug)]
struct Conn<'a> {
    shared: &'a Shared,
    index: u64,
    plan: Mutex<Plan>,
    /// When the simulated TCP handshake completes: the client's first bytes may not
    /// leave before it.
    handshake_done: Instant,
}

/// Serves one accepted client connection until both sides close or a fault, a cut or
/// an error ends it.
pub(crate) async fn serve(shared: Arc<Shared>, mut client: TcpStream) {
    let index = shared.next_connection();
    let mut control = shared.control.subscribe();
    let (profile, epoch, refuse) = {
        let c = control.borrow_and_update();
        (
            c.profile.clone(),
            c.cut_epoch,
            c.shutdown || c.profile.offline,
        )
    };
    if refuse {
        // Accepted in the moment before the listener closed.
        abort(&client);
        return;
    }
    let conn = Conn {
        shared: &shared,
        index,
        plan: Mutex::new(Plan::random(&profile, shared.seed, index)),
        // The kernel completed the client's handshake instantly; a real link takes one
        // round trip before the first request byte can leave.
        handshake_done: Instant::now() + profile.rtt(),
    };
    let mut upstream = None;
    let outcome = tokio::select! {
        outcome = conn.run(&mut client, &mut upstream) => outcome,
        () = cut(&mut control, epoch) => Err(End::Cut),
    };
    match outcome {
        Ok(()) => debug!(conn = index, "closed"),
        Err(end) => {
            if matches!(end, End::Reset) {
                shared.counters.reset();
            }
            debug!(conn = index, ?end, "aborting both sides");
            abort(&client);
            if let Some(upstream) = &upstream {
                abort(upstream);
            }
        }
    }
}

/// Resolves when this connection must go: shutdown, or a cut after it was opened.
async fn cut(control: &mut watch::Receiver<Control>, epoch: u64) {
    loop {
        {
            let c = control.borrow_and_update();
            if c.shutdown || c.cut_epoch != epoch {
                return;
            }
        }
        if control.changed().await.is_err() {
            return;
        }
    }
}

/// Makes the coming close send RST instead of FIN, so the peer sees a reset, not a
/// clean end of stream that could pass for a complete message.
fn abort(stream: &TcpStream) {
    if let Err(error) = stream.set_zero_linger() {
        debug!(%error, "SO_LINGER 0 failed; closing with FIN");
    }
}

async fn wait_until(at: Instant) {
    if at > Instant::now() {
        sleep_until(at).await;
    }
}

impl Conn<'_> {
    async fn run(
        &self,
        client: &mut TcpStream,
        upstream_slot: &mut Option<TcpStream>,
    ) -> Result<(), End> {
        let upstream = TcpStream::connect(self.shared.upstream)
            .await
            .map_err(|error| {
                debug!(conn = self.index, %error, "upstream unreachable");
                End::Failed
            })?;
        let upstream = upstream_slot.insert(upstream);
        // The proxy models delay itself; Nagle's algorithm would add its own to small
        // writes. Failure only costs fidelity.
        let _ = client.set_nodelay(true);
        let _ = upstream.set_nodelay(true);
        self.shared.counters.connection();
        let (client_read, client_write) = client.split();
        let (upstream_read, upstream_write) = upstream.split();
        tokio::try_join!(
            self.pipe(Dir::Up, client_read, upstream_write),
            self.pipe(Dir::Down, upstream_read, client_write),
        )?;
        Ok(())
    }

    /// Forwards one direction until end of stream, through the link and the delay line.
    async fn pipe(&self, dir: Dir, src: ReadHalf<'_>, dst: WriteHalf<'_>) -> Result<(), End> {
        let (tx, rx) = mpsc::channel(DELAY_LINE_SLOTS);
        tokio::try_join!(
            self.send_side(dir, src, tx),
            self.deliver_side(dir, dst, rx)
        )?;
        Ok(())
    }

    /// Reads from the source, applies faults, and puts bytes on the link. It reads only
    /// as fast as the link transmits, so a fast sender is held back by TCP flow control
    /// just as on a slow radio.
    async fn send_side(
        &self,
        dir: Dir,
        mut src: ReadHalf<'_>,
        tx: mpsc::Sender<Msg>,
    ) -> Result<(), End> {
        if dir == Dir::Up {
            wait_until(self.handshake_done).await;
        }
        let mut buf = vec![0; MAX_CHUNK];
        loop {
            let cap = if self.shared.profile().bandwidth_bps.is_some() {
                PACED_CHUNK
            } else {
                MAX_CHUNK
            };
            let len = match src.read(&mut buf[..cap]).await {
                Ok(0) => {
                    self.post(&tx, Kind::Eof).await;
                    return Ok(());
                }
                Ok(len) => len,
                Err(error) => {
                    self.post(&tx, Kind::Failed(error.kind())).await;
                    return Ok(());
                }
            };
            if dir == Dir::Up {
                self.claim_scheduled_fault();
            }
            let mut rest = &buf[..len];
            loop {
                let (take, action) = lock(&self.plan).advance(dir, rest.len());
                let (now, later) = rest.split_at(take);
                if !now.is_empty() {
                    self.transmit(dir, now, &tx).await;
                }
                rest = later;
                match action {
                    None => {}
                    Some(Action::Stall(duration)) => {
                        debug!(conn = self.index, ?dir, ?duration, "stall");
                        self.shared.counters.stall();
                        sleep(duration).await;
                    }
                    Some(Action::Reset) => {
                        debug!(conn = self.index, ?dir, "reset");
                        self.post(&tx, Kind::Reset).await;
                        return Ok(());
                    }
                }
                if rest.is_empty() {
                    break;
                }
            }
        }
    }

    /// Writes what the delay line yields when it is due.
    async fn deliver_side(
        &self,
        dir: Dir,
        mut dst: WriteHalf<'_>,
        mut rx: mpsc::Receiver<Msg>,
    ) -> Result<(), End> {
        while let Some(msg) = rx.recv().await {
            wait_until(msg.at).await;
            match msg.kind {
                Kind::Data(bytes) => {
                    dst.write_all(&bytes).await.map_err(|error| {
                        debug!(conn = self.index, ?dir, %error, "delivery failed");
                        End::Failed
                    })?;
                    self.shared.counters.delivered(dir, bytes.len());
                }
                Kind::Eof => {
                    // The peer may already be gone; the other direction reports that.
                    let _ = dst.shutdown().await;
                    return Ok(());
                }
                Kind::Reset => return Err(End::Reset),
                Kind::Failed(kind) => {
                    debug!(conn = self.index, ?dir, ?kind, "passing on a failure");
                    return Err(End::Failed);
                }
            }
        }
        Ok(())
    }

    /// Puts bytes on the link, waits until they have left (backpressure), and schedules
    /// their arrival one latency later.
    async fn transmit(&self, dir: Dir, bytes: &[u8], tx: &mpsc::Sender<Msg>) {
        let profile = self.shared.profile();
        let sent = self.shared.links[dir.index()].reserve(bytes.len(), &profile);
        wait_until(sent).await;
        let msg = Msg {
            at: sent + profile.latency,
            kind: Kind::Data(bytes.to_vec()),
        };
        // A closed line means the writer already ended the connection.
        let _ = tx.send(msg).await;
    }

    /// Sends a control message, due one latency from now, behind the data before it.
    async fn post(&self, tx: &mpsc::Sender<Msg>, kind: Kind) {
        let at = Instant::now() + self.shared.profile().latency;
        let _ = tx.send(Msg { at, kind }).await;
    }

    /// Arms the oldest scheduled fault on this connection, if it is free to take one.
    fn claim_scheduled_fault(&self) {
        let mut plan = lock(&self.plan);
        if !plan.can_claim() {
            return;
        }
        if let Some(fault) = lock(&self.shared.pending).pop_front() {
            debug!(conn = self.index, ?fault, "scheduled fault armed");
            plan.claim(fault);
        }
    }
}
