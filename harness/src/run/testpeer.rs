//! Scripted loopback peers for transport and probe unit tests (fakes are for runner tests
//! only; real servers are exercised by the integration tests).

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What a scripted peer does with one accepted connection.
pub enum Act {
    Send(&'static [u8]),
    /// Read until this many bytes arrived.
    Read(usize),
    /// TLS handshake as server; the rest of the script runs inside TLS.
    Tls,
    /// Keep the connection open without sending (a hang).
    Hang,
}

pub struct Cert {
    pub pem: String,
    pub acceptor: tokio_rustls::TlsAcceptor,
}

pub fn cert() -> Cert {
    let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let key = rustls::pki_types::PrivateKeyDer::try_from(ck.signing_key.serialize_der()).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![ck.cert.der().clone()], key)
    .unwrap();
    Cert {
        pem: ck.cert.pem(),
        acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(config)),
    }
}

/// Serve one connection following `script`; returns the port.
pub async fn peer(script: Vec<Act>, acceptor: Option<tokio_rustls::TlsAcceptor>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let mut plain = Some(tcp);
        let mut tls = None;
        for act in script {
            match act {
                Act::Tls => {
                    tls = Some(
                        acceptor
                            .clone()
                            .unwrap()
                            .accept(plain.take().unwrap())
                            .await
                            .unwrap(),
                    )
                }
                Act::Send(b) => match (&mut plain, &mut tls) {
                    (Some(s), _) => s.write_all(b).await.unwrap(),
                    (_, Some(s)) => {
                        s.write_all(b).await.unwrap();
                        s.flush().await.unwrap();
                    }
                    _ => unreachable!(),
                },
                Act::Read(n) => {
                    let mut buf = vec![0; n];
                    match (&mut plain, &mut tls) {
                        (Some(s), _) => s.read_exact(&mut buf).await.map(drop).unwrap_or(()),
                        (_, Some(s)) => s.read_exact(&mut buf).await.map(drop).unwrap_or(()),
                        _ => unreachable!(),
                    }
                }
                Act::Hang => tokio::time::sleep(Duration::from_secs(30)).await,
            }
        }
    });
    port
}
