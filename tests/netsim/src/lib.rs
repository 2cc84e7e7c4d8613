#![doc = include_str!("../README.md")]

mod fault;
mod link;
mod profile;
mod stats;

use std::collections::VecDeque;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};
use tracing::{debug, warn};

pub use fault::Fault;
pub use profile::{physical_limit, LinkProfile};
pub use stats::ProxyStats;

use link::Link;
use stats::Counters;

/// A running proxy. Dropping it stops accepting and resets every open connection
/// (asynchronously); [`FaultProxy::shutdown`] does the same and waits for it.
#[derive(Debug)]
pub struct FaultProxy {
    shared: Arc<Shared>,
    addr: SocketAddr,
    task: Option<JoinHandle<()>>,
}

/// State shared by the accept loop, every connection task and the handle.
#[derive(Debug)]
pub(crate) struct Shared {
    upstream: SocketAddr,
    seed: u64,
    /// Profile and lifecycle; connections watch it to be cut, the accept loop to close
    /// or reopen its port.
    control: watch::Sender<Control>,
    pending: Mutex<VecDeque<Fault>>,
    /// Up and down halves of the simulated link, indexed by `Dir`.
    links: [Link; 2],
    counters: Counters,
    connections_opened: AtomicU64,
}

#[derive(Clone, Debug)]
pub(crate) struct Control {
    profile: LinkProfile,
    shutdown: bool,
    /// Bumped to reset every connection open at that moment.
    cut_epoch: u64,
}

impl Shared {
    fn profile(&self) -> LinkProfile {
        self.control.borrow().profile.clone()
    }

    fn next_connection(&self) -> u64 {
        self.connections_opened.fetch_add(1, Ordering::Relaxed)
    }
}

impl FaultProxy {
    /// Starts a proxy on `127.0.0.1` (an ephemeral port) forwarding every connection to
    /// `upstream`. `seed` fixes which connections the profile's random faults hit, so a
    /// failing run can be replayed. Must be called within a Tokio runtime.
    pub async fn start(upstream: SocketAddr, profile: LinkProfile, seed: u64) -> io::Result<Self> {
        let listener = bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?;
        let addr = listener.local_addr()?;
        // Offline from the start: keep the port number, but refuse from the first
        // connection on.
        let listener = (!profile.offline).then_some(listener);
        let (control, _) = watch::channel(Control {
            profile,
            shutdown: false,
            cut_epoch: 0,
        });
        let shared = Arc::new(Shared {
            upstream,
            seed,
            control,
            pending: Mutex::new(VecDeque::new()),
            links: [Link::new(), Link::new()],
            counters: Counters::default(),
            connections_opened: AtomicU64::new(0),
        });
        let task = tokio::spawn(accept_loop(Arc::clone(&shared), listener, addr));
        Ok(Self {
            shared,
            addr,
            task: Some(task),
        })
    }

    /// The address clients connect to instead of the upstream's.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`: the base URL for an HTTP client (plain HTTP; the proxy
    /// does not terminate TLS).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The profile now in force.
    pub fn profile(&self) -> LinkProfile {
        self.shared.profile()
    }

    /// Changes the link for new traffic at once. Going offline closes the port (new
    /// connections get "connection refused" within milliseconds; one racing the switch
    /// is reset instead) and resets every open connection; going online reopens the
    /// same port.
    pub fn set_profile(&self, profile: LinkProfile) {
        self.shared.control.send_modify(|control| {
            if profile.offline && !control.profile.offline {
                control.cut_epoch += 1;
            }
            control.profile = profile;
        });
    }

    /// Schedules a targeted fault for the next request (see [`Fault`] for which
    /// connection takes it). Several calls queue up, one per request, in order.
    pub fn fail_next(&self, fault: Fault) {
        lock(&self.shared.pending).push_back(fault);
    }

    /// Scheduled faults not yet taken by a connection.
    pub fn pending_faults(&self) -> usize {
        lock(&self.shared.pending).len()
    }

    /// Resets every connection open right now, e.g. to force a client to reconnect.
    pub fn cut_connections(&self) {
        self.shared
            .control
            .send_modify(|control| control.cut_epoch += 1);
    }

    /// Counters since start.
    pub fn stats(&self) -> ProxyStats {
        self.shared.counters.snapshot()
    }

    /// Stops accepting, resets every open connection and waits until all are closed.
    pub async fn shutdown(mut self) {
        self.signal_shutdown();
        if let Some(task) = self.task.take() {
            if let Err(error) = task.await {
                warn!(%error, "proxy accept loop ended abnormally");
            }
        }
    }

    fn signal_shutdown(&self) {
        self.shared
            .control
            .send_modify(|control| control.shutdown = true);
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.signal_shutdown();
    }
}

/// Locks a mutex even if a panicking thread poisoned it: the guarded data (counters,
/// queues, booking times) stays consistent at every await-free step.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Binds with `SO_REUSEADDR` so the port can be reopened after going offline while old
/// connections linger in `TIME_WAIT`.
fn bind(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = match addr {
        SocketAddr::V4(_) => TcpSocket::new_v4()?,
        SocketAddr::V6(_) => TcpSocket::new_v6()?,
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(1024)
}

async fn accept_loop(shared: Arc<Shared>, mut listener: Option<TcpListener>, addr: SocketAddr) {
    let mut control = shared.control.subscribe();
    let mut connections = JoinSet::new();
    loop {
        let (offline, shutdown) = {
            let c = control.borrow_and_update();
            (c.profile.offline, c.shutdown)
        };
        if shutdown {
            break;
        }
        if offline {
            // Closing the listening socket is what makes the kernel refuse connections.
            listener = None;
        } else if listener.is_none() {
            match bind(addr) {
                Ok(reopened) => {
                    debug!(%addr, "back online");
                    listener = Some(reopened);
                }
                Err(error) => {
                    warn!(%addr, %error, "cannot reopen the proxy port; retrying");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            }
        }
        while connections.try_join_next().is_some() {}
        match &listener {
            None => {
                if control.changed().await.is_err() {
                    break;
                }
            }
            Some(socket) => {
                tokio::select! {
                    accepted = socket.accept() => match accepted {
                        Ok((client, _)) => {
                            connections.spawn(link::serve(Arc::clone(&shared), client));
                        }
                        Err(error) => {
                            // E.g. out of file descriptors: back off rather than spin.
                            warn!(%error, "accept failed");
                            tokio::time::sleep(Duration::from_millis(10)).await;
                        }
                    },
                    changed = control.changed() => if changed.is_err() {
                        break;
                    },
                }
            }
        }
    }
    drop(listener);
    // Connections watch the same flag and reset themselves; wait so that `shutdown`
    // returns with every socket closed.
    while connections.join_next().await.is_some() {}
}
