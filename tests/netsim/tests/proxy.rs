//! The fault-injecting proxy over real loopback TCP: bytes pass unchanged, the link's
//! rate and latency are felt, and every fault does what end-to-end tests rely on.
#![allow(clippy::unwrap_used)]

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use layanan_netsim::{physical_limit, Fault, FaultProxy, LinkProfile};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::time::{timeout, Instant};

const SEED: u64 = 0x1a7a_4a4e;

/// Reproducible, non-repeating-looking test bytes.
fn payload(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i.wrapping_mul(31) ^ (i >> 7)) as u8)
        .collect()
}

/// Writes back everything it reads; closes its side after the client's EOF.
async fn echo_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let (mut read, mut write) = stream.split();
                let _ = tokio::io::copy(&mut read, &mut write).await;
                let _ = write.shutdown().await;
            });
        }
    });
    addr
}

/// What the framed server saw.
#[derive(Debug, PartialEq, Eq)]
enum Event {
    /// A complete request arrived and was "committed" before the reply was written.
    Request { body: usize },
    /// The connection ended after `received` raw bytes, by EOF or by an error (reset).
    Closed { received: u64, reset: bool },
}

/// An HTTP-like server on a tiny framing: a request is `body_len: u32`, `reply_len: u32`
/// (big-endian) and the body; the reply is `reply_len` payload bytes. Connections stay
/// open for further requests (keep-alive) until the client closes.
struct FrameServer {
    addr: SocketAddr,
    events: mpsc::UnboundedReceiver<Event>,
}

impl FrameServer {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, events) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve_frames(stream, tx.clone()));
            }
        });
        Self { addr, events }
    }

    async fn next_event(&mut self) -> Event {
        timeout(Duration::from_secs(5), self.events.recv())
            .await
            .expect("server event within 5 s")
            .unwrap()
    }
}

async fn serve_frames(mut stream: TcpStream, events: mpsc::UnboundedSender<Event>) {
    let mut buffered = Vec::new();
    let mut received = 0u64;
    let mut chunk = vec![0u8; 8192];
    loop {
        while buffered.len() >= 8 {
            let body = u32::from_be_bytes(buffered[0..4].try_into().unwrap()) as usize;
            let reply = u32::from_be_bytes(buffered[4..8].try_into().unwrap()) as usize;
            if buffered.len() < 8 + body {
                break;
            }
            buffered.drain(..8 + body);
            let _ = events.send(Event::Request { body });
            if stream.write_all(&payload(reply)).await.is_err() {
                let _ = events.send(Event::Closed {
                    received,
                    reset: true,
                });
                return;
            }
        }
        match stream.read(&mut chunk).await {
            Ok(0) => {
                let _ = events.send(Event::Closed {
                    received,
                    reset: false,
                });
                return;
            }
            Ok(n) => {
                received += n as u64;
                buffered.extend_from_slice(&chunk[..n]);
            }
            Err(_) => {
                let _ = events.send(Event::Closed {
                    received,
                    reset: true,
                });
                return;
            }
        }
    }
}

fn frame(body: usize, reply: usize) -> Vec<u8> {
    let mut request = Vec::with_capacity(8 + body);
    request.extend_from_slice(&(body as u32).to_be_bytes());
    request.extend_from_slice(&(reply as u32).to_be_bytes());
    request.extend_from_slice(&payload(body));
    request
}

/// One request/response on an open connection.
async fn exchange(stream: &mut TcpStream, body: usize, reply: usize) -> io::Result<Vec<u8>> {
    stream.write_all(&frame(body, reply)).await?;
    let mut answer = vec![0; reply];
    stream.read_exact(&mut answer).await?;
    Ok(answer)
}

/// Everything the client reads until the connection ends, and how it ended.
async fn read_until_end(stream: &mut TcpStream) -> (Vec<u8>, io::Result<()>) {
    let mut got = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match timeout(Duration::from_secs(5), stream.read(&mut chunk)).await {
            Err(_) => panic!("connection neither closed nor reset within 5 s"),
            Ok(Ok(0)) => return (got, Ok(())),
            Ok(Ok(n)) => got.extend_from_slice(&chunk[..n]),
            Ok(Err(error)) => return (got, Err(error)),
        }
    }
}

#[tokio::test]
async fn bytes_pass_through_unchanged_in_both_directions() {
    let upstream = echo_server().await;
    let proxy = FaultProxy::start(upstream, LinkProfile::loopback(), SEED)
        .await
        .unwrap();
    let sent = payload(300_000);
    let stream = TcpStream::connect(proxy.addr()).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    let to_send = sent.clone();
    let writer = tokio::spawn(async move {
        write.write_all(&to_send).await.unwrap();
        write.shutdown().await.unwrap();
    });
    let mut echoed = Vec::new();
    read.read_to_end(&mut echoed).await.unwrap();
    writer.await.unwrap();
    assert!(echoed == sent, "echo differs from what was sent");

    let stats = proxy.stats();
    assert_eq!(stats.connections, 1);
    assert_eq!(stats.bytes_up, sent.len() as u64);
    assert_eq!(stats.bytes_down, sent.len() as u64);
    assert_eq!((stats.resets, stats.stalls), (0, 0));
    proxy.shutdown().await;
}

#[tokio::test]
async fn request_and_response_bytes_are_counted_as_delivered() {
    let mut server = FrameServer::start().await;
    let proxy = FaultProxy::start(server.addr, LinkProfile::loopback(), SEED)
        .await
        .unwrap();
    let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
    for _ in 0..3 {
        let answer = exchange(&mut stream, 1_000, 2_500).await.unwrap();
        assert_eq!(answer, payload(2_500));
        assert_eq!(server.next_event().await, Event::Request { body: 1_000 });
    }
    stream.shutdown().await.unwrap();
    let (rest, end) = read_until_end(&mut stream).await;
    assert!(rest.is_empty() && end.is_ok());
    let stats = proxy.stats();
    assert_eq!(stats.bytes_up, 3 * 1_008);
    assert_eq!(stats.bytes_down, 3 * 2_500);
    assert_eq!(stats.connections, 1);
}

#[tokio::test]
async fn bandwidth_cap_paces_an_upload() {
    let mut server = FrameServer::start().await;
    let profile = LinkProfile {
        bandwidth_bps: Some(240_000),
        ..LinkProfile::loopback()
    };
    let proxy = FaultProxy::start(server.addr, profile.clone(), SEED)
        .await
        .unwrap();
    let started = Instant::now();
    let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
    exchange(&mut stream, 60_000, 2).await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(server.next_event().await, Event::Request { body: 60_000 });
    // 60 KB at 240 kbit/s is 2 s; only a loose lower bound, the machine may be slow.
    assert!(elapsed >= Duration::from_millis(1_500), "{elapsed:?}");
    assert!(physical_limit(60_008, 2, 0, &profile) >= Duration::from_secs(2));
    assert_eq!(proxy.stats().bytes_up, 60_008);
}

#[tokio::test]
async fn bandwidth_cap_is_shared_by_all_connections() {
    let server = FrameServer::start().await;
    let profile = LinkProfile {
        bandwidth_bps: Some(240_000),
        ..LinkProfile::loopback()
    };
    let proxy = FaultProxy::start(server.addr, profile, SEED).await.unwrap();
    let addr = proxy.addr();
    let started = Instant::now();
    let uploads: Vec<_> = (0..3)
        .map(|_| {
            tokio::spawn(async move {
                let mut stream = TcpStream::connect(addr).await.unwrap();
                exchange(&mut stream, 20_000, 2).await.unwrap();
            })
        })
        .collect();
    for upload in uploads {
        upload.await.unwrap();
    }
    // Three 20 KB uploads in parallel still need the 2 s of one 60 KB upload.
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(1_500), "{elapsed:?}");
    assert_eq!(proxy.stats().connections, 3);
}

#[tokio::test]
async fn latency_adds_a_round_trip_per_exchange_and_one_per_connection() {
    let server = FrameServer::start().await;
    let profile = LinkProfile {
        latency: Duration::from_millis(150),
        ..LinkProfile::loopback()
    };
    let rtt = profile.rtt();
    let proxy = FaultProxy::start(server.addr, profile.clone(), SEED)
        .await
        .unwrap();
    let started = Instant::now();
    let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
    exchange(&mut stream, 100, 100).await.unwrap();
    let first = started.elapsed();
    // Handshake plus the exchange.
    assert!(first >= physical_limit(0, 0, 2, &profile), "{first:?}");

    let started = Instant::now();
    exchange(&mut stream, 100, 100).await.unwrap();
    let second = started.elapsed();
    // A kept-alive connection pays only the exchange's round trip.
    assert!(second >= rtt, "{second:?}");
}

#[tokio::test]
async fn drop_response_lets_the_server_commit_but_the_client_gets_nothing() {
    let mut server = FrameServer::start().await;
    let profile = LinkProfile {
        latency: Duration::from_millis(20),
        ..LinkProfile::loopback()
    };
    let proxy = FaultProxy::start(server.addr, profile, SEED).await.unwrap();
    proxy.fail_next(Fault::DropResponse);
    assert_eq!(proxy.pending_faults(), 1);

    let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
    stream.write_all(&frame(5_000, 700)).await.unwrap();
    let (got, end) = read_until_end(&mut stream).await;
    assert!(got.is_empty(), "client saw {} response bytes", got.len());
    assert_eq!(end.unwrap_err().kind(), io::ErrorKind::ConnectionReset);

    // The server had the whole request and answered it.
    assert_eq!(server.next_event().await, Event::Request { body: 5_000 });
    let closed = server.next_event().await;
    assert!(
        matches!(
            closed,
            Event::Closed {
                received: 5_008,
                ..
            }
        ),
        "{closed:?}"
    );
    let stats = proxy.stats();
    assert_eq!(
        (stats.resets, stats.bytes_up, stats.bytes_down),
        (1, 5_008, 0)
    );
    assert_eq!(proxy.pending_faults(), 0);
}

#[tokio::test]
async fn reset_after_request_bytes_delivers_exactly_that_many_upstream() {
    for n in [0, 1, 1_000, 20_000] {
        let mut server = FrameServer::start().await;
        let proxy = FaultProxy::start(server.addr, LinkProfile::loopback(), SEED)
            .await
            .unwrap();
        proxy.fail_next(Fault::ResetAfterRequestBytes(n));
        let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
        // The write itself may fail once the reset arrives.
        let written = stream.write_all(&frame(50_000, 10)).await;
        let (got, end) = read_until_end(&mut stream).await;
        assert!(got.is_empty());
        assert!(written.is_err() || end.is_err(), "n={n}: no reset seen");

        assert_eq!(
            server.next_event().await,
            Event::Closed {
                received: n,
                reset: true
            },
            "n={n}"
        );
        let stats = proxy.stats();
        assert_eq!((stats.bytes_up, stats.resets), (n, 1), "n={n}");
    }
}

#[tokio::test]
async fn reset_after_response_bytes_delivers_exactly_that_many_to_the_client() {
    let mut server = FrameServer::start().await;
    let proxy = FaultProxy::start(server.addr, LinkProfile::loopback(), SEED)
        .await
        .unwrap();
    proxy.fail_next(Fault::ResetAfterResponseBytes(4_000));
    let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
    stream.write_all(&frame(10, 50_000)).await.unwrap();
    let (got, end) = read_until_end(&mut stream).await;
    assert_eq!(got, payload(4_000));
    assert_eq!(end.unwrap_err().kind(), io::ErrorKind::ConnectionReset);
    assert_eq!(server.next_event().await, Event::Request { body: 10 });
    assert_eq!(proxy.stats().bytes_down, 4_000);
}

#[tokio::test]
async fn a_scheduled_fault_hits_the_next_request_on_a_kept_alive_connection() {
    let mut server = FrameServer::start().await;
    let proxy = FaultProxy::start(server.addr, LinkProfile::loopback(), SEED)
        .await
        .unwrap();
    let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
    exchange(&mut stream, 10, 10).await.unwrap();
    assert_eq!(server.next_event().await, Event::Request { body: 10 });

    proxy.fail_next(Fault::DropResponse);
    assert!(exchange(&mut stream, 20, 10).await.is_err());
    assert_eq!(server.next_event().await, Event::Request { body: 20 });
    assert_eq!(proxy.stats().connections, 1);

    // The fault was used up: a new connection works.
    let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
    exchange(&mut stream, 30, 10).await.unwrap();
}

#[tokio::test]
async fn stall_holds_the_response_after_the_server_committed() {
    let mut server = FrameServer::start().await;
    let proxy = FaultProxy::start(server.addr, LinkProfile::loopback(), SEED)
        .await
        .unwrap();
    let stall = Duration::from_millis(400);
    proxy.fail_next(Fault::Stall(stall));
    let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
    let started = Instant::now();
    stream.write_all(&frame(100, 3_000)).await.unwrap();
    // The server has the request long before the client hears back.
    assert_eq!(server.next_event().await, Event::Request { body: 100 });
    assert!(started.elapsed() < stall);
    let mut answer = vec![0; 3_000];
    stream.read_exact(&mut answer).await.unwrap();
    assert!(started.elapsed() >= stall);
    assert_eq!(answer, payload(3_000));
    assert_eq!(proxy.stats().stalls, 1);
}

#[tokio::test]
async fn offline_refuses_and_cuts_connections_then_comes_back_on_the_same_port() {
    let server = FrameServer::start().await;
    let proxy = FaultProxy::start(server.addr, LinkProfile::loopback(), SEED)
        .await
        .unwrap();
    let mut open = TcpStream::connect(proxy.addr()).await.unwrap();
    exchange(&mut open, 10, 10).await.unwrap();

    proxy.set_profile(LinkProfile {
        offline: true,
        ..LinkProfile::loopback()
    });
    let (_, end) = read_until_end(&mut open).await;
    assert_eq!(end.unwrap_err().kind(), io::ErrorKind::ConnectionReset);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let refused = TcpStream::connect(proxy.addr()).await.unwrap_err();
    assert_eq!(refused.kind(), io::ErrorKind::ConnectionRefused);

    proxy.set_profile(LinkProfile::loopback());
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut stream = loop {
        match TcpStream::connect(proxy.addr()).await {
            Ok(stream) => break stream,
            Err(_) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            Err(error) => panic!("still refused after going online: {error}"),
        }
    };
    assert_eq!(exchange(&mut stream, 10, 10).await.unwrap(), payload(10));
}

#[tokio::test]
async fn a_proxy_started_offline_refuses_from_the_first_connection() {
    let server = FrameServer::start().await;
    let profile = LinkProfile {
        offline: true,
        ..LinkProfile::loopback()
    };
    let proxy = FaultProxy::start(server.addr, profile, SEED).await.unwrap();
    let refused = TcpStream::connect(proxy.addr()).await.unwrap_err();
    assert_eq!(refused.kind(), io::ErrorKind::ConnectionRefused);
    assert_eq!(proxy.stats().connections, 0);
}

/// Runs `count` connections one after another, each one exchange then a clean close,
/// and says which of them failed.
async fn failure_pattern(profile: &LinkProfile, seed: u64, count: usize) -> (Vec<bool>, u64) {
    let server = FrameServer::start().await;
    let proxy = FaultProxy::start(server.addr, profile.clone(), seed)
        .await
        .unwrap();
    let mut failed = Vec::new();
    for _ in 0..count {
        let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
        let outcome = async {
            exchange(&mut stream, 2_000, 2_000).await?;
            stream.shutdown().await?;
            read_until_end(&mut stream).await.1
        }
        .await;
        failed.push(outcome.is_err());
    }
    let resets = proxy.stats().resets;
    proxy.shutdown().await;
    (failed, resets)
}

#[tokio::test]
async fn random_resets_replay_from_the_seed() {
    let profile = LinkProfile {
        reset_probability: 0.5,
        // Small, so nearly every doomed connection is reset within its 4 KB.
        fault_window_bytes: 4_096,
        ..LinkProfile::loopback()
    };
    let (first, resets) = failure_pattern(&profile, 7, 24).await;
    let (again, _) = failure_pattern(&profile, 7, 24).await;
    let (other, _) = failure_pattern(&profile, 8, 24).await;
    assert_eq!(first, again, "same seed, same doomed connections");
    assert_ne!(first, other, "another seed dooms others");
    let failures = first.iter().filter(|&&f| f).count();
    assert!((4..=20).contains(&failures), "{failures} of 24 failed");
    assert_eq!(resets, failures as u64);
}

#[tokio::test]
async fn random_stalls_are_counted() {
    let server = FrameServer::start().await;
    let profile = LinkProfile {
        stall: Some((1.0, Duration::from_millis(50))),
        fault_window_bytes: 1_000,
        ..LinkProfile::loopback()
    };
    let proxy = FaultProxy::start(server.addr, profile, SEED).await.unwrap();
    for _ in 0..4 {
        let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
        exchange(&mut stream, 2_000, 2_000).await.unwrap();
    }
    assert_eq!(proxy.stats().stalls, 4);
}

#[tokio::test]
async fn shutdown_resets_open_connections() {
    let server = FrameServer::start().await;
    let proxy = FaultProxy::start(server.addr, LinkProfile::loopback(), SEED)
        .await
        .unwrap();
    let addr = proxy.addr();
    let mut stream = TcpStream::connect(addr).await.unwrap();
    exchange(&mut stream, 10, 10).await.unwrap();
    proxy.shutdown().await;
    let (_, end) = read_until_end(&mut stream).await;
    assert_eq!(end.unwrap_err().kind(), io::ErrorKind::ConnectionReset);
    assert!(TcpStream::connect(addr).await.is_err());
}

#[test]
fn physical_limit_is_transmit_time_plus_round_trips() {
    let edge = LinkProfile::edge_2g();
    assert_eq!(edge.bandwidth_bps, Some(240_000));
    assert_eq!(edge.rtt(), Duration::from_millis(840));
    assert_eq!(edge.reset_probability, 0.02);
    // 30 KB at 240 kbit/s is exactly 1 s; two round trips add 1.68 s.
    assert_eq!(
        physical_limit(20_000, 10_000, 2, &edge),
        Duration::from_millis(2_680)
    );
    assert_eq!(
        physical_limit(1 << 30, 1 << 30, 3, &LinkProfile::loopback()),
        Duration::ZERO
    );
}
