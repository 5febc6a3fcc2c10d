//! Transport: TCP, implicit TLS and the STARTTLS upgrade. The only code that knows tokio and
//! rustls. It moves bytes and frames them; it never interprets a response, so everything a
//! server sends reaches the checker unjudged.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::ServerName;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::tls::{TlsConfigError, TlsSettings, client_config};
use crate::wire::frame::{FrameError, FrameLimits, Framed, Framer};

/// How the connection is secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    Plain,
    /// Implicit TLS from the first byte (imaps).
    Tls,
    /// Plain, then upgraded by STARTTLS; never falls back to plaintext.
    StartTls,
}

/// Where and how to connect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub tls: TlsSettings,
}

/// Deadlines: every wait on the network is bounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    pub connect: Duration,
    pub greeting: Duration,
    pub response: Duration,
}

impl Timeouts {
    /// The same limit for connecting, the greeting and every response (the CLI's
    /// `--timeout`).
    pub fn uniform(limit: Duration) -> Self {
        Timeouts {
            connect: limit,
            greeting: limit,
            response: limit,
        }
    }
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(5),
            greeting: Duration::from_secs(10),
            response: Duration::from_secs(15),
        }
    }
}

/// What went wrong below the protocol. Each names what we were waiting for.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("cannot connect to {addr}: {source}")]
    Connect { addr: String, source: io::Error },
    #[error("no TCP connection to {addr} within {after:?}")]
    ConnectTimeout { addr: String, after: Duration },
    #[error(transparent)]
    TlsConfig(#[from] TlsConfigError),
    #[error("invalid TLS server name {0:?}")]
    ServerName(String),
    #[error("TLS handshake with {addr} failed: {source}{hint}")]
    Handshake {
        addr: String,
        source: io::Error,
        hint: &'static str,
    },
    #[error("no data within {after:?} while waiting for {waiting_for}")]
    Timeout {
        after: Duration,
        waiting_for: String,
    },
    #[error("the server closed the connection while we waited for {waiting_for}")]
    Closed { waiting_for: String },
    #[error("I/O error while {doing}: {source}")]
    Io { doing: String, source: io::Error },
}

/// What a handshake failure caused by an untrusted certificate should tell the user.
const UNTRUSTED_HINT: &str = "\n  the server's certificate is not trusted. For a test server with a self-signed \
certificate, pass --ca-file <its cert.pem>, or set `insecure_tls = true` for this target in the config file \
(recipe targets do the former by themselves).";

/// One received item: a complete frame, or the report of an oversize frame that was dropped.
#[derive(Debug, PartialEq, Eq)]
pub enum Incoming {
    Frame(Vec<u8>),
    Dropped(FrameError),
}

/// The negotiated TLS parameters, for reports.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TlsInfo {
    pub version: String,
    pub cipher: String,
}

enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
    /// An in-memory pipe to a scripted fake server (runner unit tests only).
    #[cfg(test)]
    Memory(tokio::io::DuplexStream),
    /// Between a failed upgrade and drop: nothing can be sent any more.
    Gone,
}

/// An open connection with its framer.
pub struct Connection {
    stream: Stream,
    framer: Framer,
    timeouts: Timeouts,
    addr: String,
    tls_info: Option<TlsInfo>,
    eof: bool,
    /// Bytes arrived since our last write: a wait now is for the rest of a reply the
    /// server already began, the one moment our delayed ACK can stall it (see `quick_ack`).
    replying: bool,
    /// The socket read buffer, allocated (and zeroed) once per connection, not per read.
    chunk: Box<[u8]>,
    /// Small writes are held while corked (see [`Connection::cork`]).
    corked: bool,
    held: Vec<u8>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("addr", &self.addr)
            .field("tls", &self.tls_info)
            .finish_non_exhaustive()
    }
}

const READ_CHUNK: usize = 16 * 1024;
/// Writes longer than this are never held back (copying them would cost more than the
/// segments they share).
const HOLD_MAX: usize = 16 * 1024;

impl Connection {
    /// Connect (and for implicit TLS, handshake). The greeting is left for the caller to read.
    pub async fn open(
        endpoint: &Endpoint,
        timeouts: Timeouts,
        limits: FrameLimits,
    ) -> Result<Self, TransportError> {
        let addr = format!("{}:{}", endpoint.host, endpoint.port);
        let tcp = match timeout(
            timeouts.connect,
            TcpStream::connect((endpoint.host.as_str(), endpoint.port)),
        )
        .await
        {
            Err(_) => {
                return Err(TransportError::ConnectTimeout {
                    addr,
                    after: timeouts.connect,
                });
            }
            Ok(Err(source)) => return Err(TransportError::Connect { addr, source }),
            Ok(Ok(tcp)) => tcp,
        };
        let _ = tcp.set_nodelay(true);
        let mut conn = Connection {
            stream: Stream::Plain(tcp),
            framer: Framer::new(limits),
            timeouts,
            addr,
            tls_info: None,
            eof: false,
            replying: false,
            chunk: vec![0; READ_CHUNK].into_boxed_slice(),
            corked: false,
            held: Vec::new(),
        };
        if endpoint.security == Security::Tls {
            conn.handshake(endpoint).await?;
        }
        Ok(conn)
    }

    /// A connection over an in-memory pipe, for runner tests against a scripted fake.
    #[cfg(test)]
    pub fn in_memory(
        stream: tokio::io::DuplexStream,
        timeouts: Timeouts,
        limits: FrameLimits,
    ) -> Self {
        Connection {
            stream: Stream::Memory(stream),
            framer: Framer::new(limits),
            timeouts,
            addr: "memory".into(),
            tls_info: None,
            eof: false,
            replying: false,
            chunk: vec![0; READ_CHUNK].into_boxed_slice(),
            corked: false,
            held: Vec::new(),
        }
    }

    pub fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    pub fn tls_info(&self) -> Option<&TlsInfo> {
        self.tls_info.as_ref()
    }

    /// Bytes received and not yet returned as a frame.
    pub fn buffered(&self) -> usize {
        self.framer.buffered()
    }

    /// The next frame, waiting at most the response timeout.
    pub async fn read(&mut self, waiting_for: &str) -> Result<Incoming, TransportError> {
        self.read_within(self.timeouts.response, waiting_for).await
    }

    /// The next frame, waiting at most `limit` in all.
    pub async fn read_within(
        &mut self,
        limit: Duration,
        waiting_for: &str,
    ) -> Result<Incoming, TransportError> {
        // A reply is awaited: what was held back must leave first (bounded on its own, with
        // its own message, as any write). A server that closed refuses it, but what it sent
        // before closing (a BYE saying why) is still ours to read: the read below reports
        // the close after it.
        match self.send_held().await {
            Err(TransportError::Closed { .. }) | Ok(()) => {}
            Err(e) => return Err(e),
        }
        match timeout(limit, self.read_frame(waiting_for)).await {
            Ok(result) => result,
            Err(_) => Err(TransportError::Timeout {
                after: limit,
                waiting_for: waiting_for.to_owned(),
            }),
        }
    }

    async fn read_frame(&mut self, waiting_for: &str) -> Result<Incoming, TransportError> {
        loop {
            match self.framer.next_frame() {
                Some(Framed::Frame(frame)) => return Ok(Incoming::Frame(frame.to_vec())),
                Some(Framed::Dropped(err)) => return Ok(Incoming::Dropped(err)),
                None => {}
            }
            if self.eof {
                return Err(self.closed(waiting_for));
            }
            if self.replying {
                self.stream.quick_ack();
            }
            // Disjoint fields: a timeout dropping this future leaves the buffer in place.
            let read = read_some(&mut self.stream, &mut self.chunk).await;
            if let Ok(n) = read {
                self.framer.push(&self.chunk[..n]);
                self.replying |= n > 0;
            }
            let n = match read {
                Ok(n) => n,
                // A reset is how a crashed server usually looks: a disconnect, not our failure.
                Err(e) if is_disconnect(&e) => {
                    self.eof = true;
                    return Err(self.closed(&format!("{waiting_for} ({e})")));
                }
                Err(source) => {
                    return Err(TransportError::Io {
                        doing: format!("waiting for {waiting_for}"),
                        source,
                    });
                }
            };
            if n == 0 {
                self.eof = true;
            }
        }
    }

    /// Report an end of stream, with a truncated frame folded into the message.
    fn closed(&mut self, waiting_for: &str) -> TransportError {
        let waiting_for = match self.framer.finish() {
            Some(err) => format!("{waiting_for} ({err})"),
            None => waiting_for.to_owned(),
        };
        TransportError::Closed { waiting_for }
    }
}

async fn read_some(stream: &mut Stream, buf: &mut [u8]) -> io::Result<usize> {
    match stream {
        Stream::Plain(s) => s.read(buf).await,
        Stream::Tls(s) => s.read(buf).await,
        #[cfg(test)]
        Stream::Memory(s) => s.read(buf).await,
        Stream::Gone => Ok(0),
    }
}

impl Stream {
    /// Acknowledge what the server sent at once instead of after the kernel's delayed-ACK
    /// timer. A server that writes a command's untagged data and its completion separately,
    /// with Nagle's algorithm on (hoodiecrow's node.js sockets), holds the completion until
    /// our ACK: 40 ms a command (23 STATUS/s measured, 3,500/s with this). Setting the option
    /// sends an ACK the kernel is holding back; it is done only while the rest of a begun
    /// reply is owed, because after every read it cost Dovecot runs 8 % (one more packet a
    /// command). Elsewhere than Linux this does nothing.
    fn quick_ack(&self) {
        let tcp = match self {
            Stream::Plain(s) => s,
            Stream::Tls(s) => s.get_ref().0,
            _ => return,
        };
        #[cfg(target_os = "linux")]
        let _ = socket2::SockRef::from(tcp).set_tcp_quickack(true);
        #[cfg(not(target_os = "linux"))]
        let _ = tcp;
    }
}

impl Connection {
    /// Hold small writes back until the next read or [`Connection::uncork`]: pipelined
    /// commands then leave in one segment, and the server reads them in one wake-up and
    /// answers them in one write (a send and a wake-up per command, on both sides, was most
    /// of the kernel time of a `live_session` round trip). The byte stream is the same.
    pub fn cork(&mut self) {
        self.corked = true;
    }

    /// Stop holding writes back and send what was held.
    pub async fn uncork(&mut self) -> Result<(), TransportError> {
        self.corked = false;
        self.send_held().await
    }

    async fn send_held(&mut self) -> Result<(), TransportError> {
        if self.held.is_empty() {
            return Ok(());
        }
        let held = std::mem::take(&mut self.held);
        let sent = self.send(&held).await;
        // The buffer is reused: corked groups come by the thousand.
        self.held = held;
        self.held.clear();
        sent
    }

    /// Send bytes (or hold them, while corked), bounded by the response timeout (a server
    /// that stops reading is a hang).
    pub async fn write(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        if self.corked && self.held.len() + bytes.len() <= HOLD_MAX {
            self.held.extend_from_slice(bytes);
            return Ok(());
        }
        self.send_held().await?;
        self.send(bytes).await
    }

    async fn send(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        let limit = self.timeouts.response;
        self.replying = false;
        let result = timeout(limit, async {
            match &mut self.stream {
                Stream::Plain(s) => s.write_all(bytes).await,
                Stream::Tls(s) => {
                    s.write_all(bytes).await?;
                    s.flush().await
                }
                #[cfg(test)]
                Stream::Memory(s) => s.write_all(bytes).await,
                Stream::Gone => Err(io::Error::new(
                    io::ErrorKind::NotConnected,
                    "connection is gone",
                )),
            }
        })
        .await;
        match result {
            Err(_) => Err(TransportError::Timeout {
                after: limit,
                waiting_for: "the server to accept our data".into(),
            }),
            Ok(Err(e)) if is_disconnect(&e) => Err(TransportError::Closed {
                waiting_for: format!("the server to accept our data ({e})"),
            }),
            Ok(Err(source)) => Err(TransportError::Io {
                doing: "sending".into(),
                source,
            }),
            Ok(Ok(())) => Ok(()),
        }
    }

    /// Upgrade to TLS after the server accepted STARTTLS. Returns the plaintext bytes the
    /// server sent after its tagged OK and before the handshake (the STARTTLS injection class,
    /// e.g. CVE-2021-38542): they are discarded, never parsed, and the caller records them.
    pub async fn upgrade_tls(&mut self, endpoint: &Endpoint) -> Result<Vec<u8>, TransportError> {
        let mut injected = self.framer_drain();
        if let Stream::Plain(tcp) = &self.stream {
            let mut chunk = [0u8; READ_CHUNK];
            // Bytes already in the socket buffer were sent before the handshake too.
            while let Ok(n) = tcp.try_read(&mut chunk) {
                if n == 0 {
                    break;
                }
                injected.extend_from_slice(&chunk[..n]);
            }
        }
        self.handshake(endpoint).await?;
        Ok(injected)
    }

    fn framer_drain(&mut self) -> Vec<u8> {
        let mut rest = Vec::new();
        while let Some(item) = self.framer.next_frame() {
            if let Framed::Frame(f) = item {
                rest.extend_from_slice(f);
            }
        }
        if let Some(err) = self.framer.finish() {
            rest.extend_from_slice(&err.sample);
        }
        self.framer = Framer::new(self.framer.limits());
        rest
    }

    async fn handshake(&mut self, endpoint: &Endpoint) -> Result<(), TransportError> {
        let Stream::Plain(tcp) = std::mem::replace(&mut self.stream, Stream::Gone) else {
            return Err(TransportError::Io {
                doing: "starting TLS".into(),
                source: io::Error::other("the connection is not a plain TCP stream"),
            });
        };
        let config = client_config(&endpoint.tls)?;
        let name = endpoint
            .tls
            .server_name
            .clone()
            .unwrap_or_else(|| endpoint.host.clone());
        let server_name =
            ServerName::try_from(name.clone()).map_err(|_| TransportError::ServerName(name))?;
        let connector = TlsConnector::from(Arc::clone(&config));
        let tls = match timeout(self.timeouts.greeting, connector.connect(server_name, tcp)).await {
            Err(_) => {
                return Err(TransportError::Timeout {
                    after: self.timeouts.greeting,
                    waiting_for: "the TLS handshake".into(),
                });
            }
            Ok(Err(source)) => {
                let hint = if is_untrusted(&source) {
                    UNTRUSTED_HINT
                } else {
                    ""
                };
                return Err(TransportError::Handshake {
                    addr: self.addr.clone(),
                    source,
                    hint,
                });
            }
            Ok(Ok(tls)) => tls,
        };
        let (_, session) = tls.get_ref();
        self.tls_info = Some(TlsInfo {
            version: session
                .protocol_version()
                .map_or_else(|| "unknown".into(), |v| format!("{v:?}")),
            cipher: session
                .negotiated_cipher_suite()
                .map_or_else(|| "unknown".into(), |c| format!("{:?}", c.suite())),
        });
        self.stream = Stream::Tls(Box::new(tls));
        Ok(())
    }
}

/// Errors that mean the peer went away.
fn is_disconnect(err: &io::Error) -> bool {
    use io::ErrorKind::*;
    matches!(
        err.kind(),
        ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof | NotConnected
    )
}

fn is_untrusted(err: &io::Error) -> bool {
    let Some(inner) = err
        .get_ref()
        .and_then(|e| e.downcast_ref::<rustls::Error>())
    else {
        return false;
    };
    matches!(inner, rustls::Error::InvalidCertificate(_))
}

#[cfg(test)]
#[path = "transport_tests.rs"]
mod tests;
