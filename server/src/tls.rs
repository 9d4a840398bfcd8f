//! HTTPS without a proxy: `marktchat serve --tls-cert FILE --tls-key FILE`.
//!
//! - [`server_config`] reads the certificate chain and its key (PEM) into a rustls
//!   configuration; every problem is an error naming the file, never a panic.
//! - [`TlsListener`] is what `axum::serve` accepts connections from instead of a bare
//!   `TcpListener`: TCP connections are accepted in a task of its own, each TLS
//!   handshake runs in a task of its own under a time limit, and only finished
//!   handshakes reach axum. So serving itself — connection info, WebSocket upgrades,
//!   graceful shutdown — is the same code with and without TLS (startup.rs).
//!
//! Crypto is rustls with the *ring* provider only (aws-lc-rs needs cmake to build).
//! Certificates are read once at startup: restart after renewing them.

use anyhow::Context;
use axum::serve::{Listener, ListenerExt, TapIo};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::ServerConfig;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

/// The PEM files of a TLS certificate: both given, or neither (the CLI sees to it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    /// The certificate chain: the server's certificate first, then intermediates.
    pub cert: PathBuf,
    /// Its private key (PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
}

/// A client that has not finished its handshake by then is dropped.
pub const HANDSHAKE_WITHIN: Duration = Duration::from_secs(10);

/// Finished handshakes waiting for axum to take them.
const READY_QUEUE: usize = 64;

/// The rustls configuration for `files`: TLS 1.2 and 1.3 with ring, ALPN `http/1.1`
/// (the server speaks HTTP/1.1 only; WebSockets need it).
pub fn server_config(files: &TlsFiles) -> anyhow::Result<Arc<ServerConfig>> {
    let chain = read_chain(&files.cert)?;
    let key = read_key(&files.key)?;
    let mut config =
        ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .context("the TLS library refused its own defaults")?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .with_context(|| {
                format!(
                    "the TLS key {} does not fit the certificate {}",
                    files.key.display(),
                    files.cert.display()
                )
            })?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

fn read_pem(path: &Path, what: &str) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read the TLS {what} {}", path.display()))
}

fn read_chain(path: &Path) -> anyhow::Result<Vec<CertificateDer<'static>>> {
    let pem = read_pem(path, "certificate")?;
    let chain = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("the TLS certificate {} is not valid PEM", path.display()))?;
    if chain.is_empty() {
        anyhow::bail!(
            "the TLS certificate {} holds no certificate (expected a PEM \
             \"BEGIN CERTIFICATE\" block)",
            path.display()
        );
    }
    Ok(chain)
}

fn read_key(path: &Path) -> anyhow::Result<PrivateKeyDer<'static>> {
    let pem = read_pem(path, "key")?;
    PrivateKeyDer::from_pem_slice(&pem).map_err(|e| match e {
        rustls::pki_types::pem::Error::NoItemsFound => anyhow::anyhow!(
            "the TLS key {} holds no private key (expected a PEM \"PRIVATE KEY\" block)",
            path.display()
        ),
        e => anyhow::Error::new(e)
            .context(format!("the TLS key {} is not valid PEM", path.display())),
    })
}

/// Accepts TLS connections for `axum::serve`. Made by [`TlsListener::bind`]; axum
/// takes it through [`TlsListener::serving`].
pub struct TlsListener {
    ready: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    local_addr: Result<SocketAddr, std::io::ErrorKind>,
}

/// A [`TlsListener`] as `axum::serve` takes it. axum hands `ConnectInfo<SocketAddr>`
/// to handlers only for its own listener types, `TapIo` among them: the tap does
/// nothing else.
pub type Serving = TapIo<TlsListener, fn(&mut TlsStream<TcpStream>)>;

impl TlsListener {
    /// Starts accepting on `tcp`. Accepting stops, and the port is released, when
    /// the listener is dropped: `axum::serve` drops it as graceful shutdown begins.
    pub fn bind(tcp: TcpListener, config: Arc<ServerConfig>) -> TlsListener {
        let local_addr = tcp.local_addr().map_err(|e| e.kind());
        let (done, ready) = mpsc::channel(READY_QUEUE);
        tokio::spawn(accept_loop(tcp, TlsAcceptor::from(config), done));
        TlsListener { ready, local_addr }
    }

    /// This listener, ready for `axum::serve` with `ConnectInfo<SocketAddr>`.
    pub fn serving(self) -> Serving {
        self.tap_io(|_| {})
    }
}

impl Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(connection) => connection,
            // The accept loop ends only once this receiver is gone.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.local_addr.map_err(std::io::Error::from)
    }
}

/// Accepts TCP connections until `done`'s receiver (the [`TlsListener`]) is dropped,
/// and shakes hands with each in a task of its own, so a slow or broken client holds
/// up nobody else. A failed or timed-out handshake drops that connection only.
async fn accept_loop(
    tcp: TcpListener,
    acceptor: TlsAcceptor,
    done: mpsc::Sender<(TlsStream<TcpStream>, SocketAddr)>,
) {
    loop {
        let accepted = tokio::select! {
            _ = done.closed() => return,
            accepted = tcp.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(connection) => connection,
            // The client gave up before we took it: nothing to do.
            Err(e) if is_connection_error(&e) => continue,
            // Out of file descriptors and the like: wait instead of spinning (as axum's
            // own listener does).
            Err(e) => {
                tracing::error!(error = %e, "accepting a connection failed");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        // The handshake is a few small round trips: no waiting for more to send.
        let _ = stream.set_nodelay(true);
        let acceptor = acceptor.clone();
        let done = done.clone();
        tokio::spawn(async move {
            match tokio::time::timeout(HANDSHAKE_WITHIN, acceptor.accept(stream)).await {
                Ok(Ok(tls)) => {
                    // Fails only when the server is stopping: the connection is dropped.
                    let _ = done.send((tls, peer)).await;
                }
                Ok(Err(e)) => tracing::debug!(%peer, error = %e, "TLS handshake failed"),
                Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
            }
        });
    }
}

fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(e.kind(), ConnectionRefused | ConnectionAborted | ConnectionReset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path, cert: &str, key: &str) -> TlsFiles {
        let (cert_path, key_path) = (dir.join("cert.pem"), dir.join("key.pem"));
        std::fs::write(&cert_path, cert).unwrap();
        std::fs::write(&key_path, key).unwrap();
        TlsFiles { cert: cert_path, key: key_path }
    }

    fn error(files: &TlsFiles) -> String {
        format!("{:#}", server_config(files).expect_err("refused"))
    }

    #[test]
    fn unusable_files_are_errors_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let missing = TlsFiles { cert: dir.path().join("nope.pem"), key: dir.path().join("k.pem") };
        let message = error(&missing);
        assert!(message.contains("cannot read the TLS certificate"), "{message}");
        assert!(message.contains("nope.pem"), "{message}");

        let garbage = files(dir.path(), "not a certificate\n", "not a key either\n");
        let message = error(&garbage);
        assert!(message.contains("holds no certificate"), "{message}");
        assert!(message.contains("cert.pem"), "{message}");

        let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
        let no_key = files(dir.path(), &cert.cert.pem(), "garbage\n");
        let message = error(&no_key);
        assert!(message.contains("holds no private key"), "{message}");
        assert!(message.contains("key.pem"), "{message}");

        let broken = "-----BEGIN PRIVATE KEY-----\nno base64 here!\n-----END PRIVATE KEY-----\n";
        let message = error(&files(dir.path(), &cert.cert.pem(), broken));
        assert!(message.contains("key.pem"), "{message}");

        let missing_key = TlsFiles { key: dir.path().join("gone.pem"), ..no_key };
        let message = error(&missing_key);
        assert!(message.contains("cannot read the TLS key") && message.contains("gone.pem"));

        let other = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
        let mismatch = files(dir.path(), &cert.cert.pem(), &other.signing_key.serialize_pem());
        let message = error(&mismatch);
        assert!(message.contains("does not fit the certificate"), "{message}");
    }

    #[test]
    fn a_matching_pair_loads_and_offers_http1() {
        let dir = tempfile::tempdir().unwrap();
        let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
        let ok = files(dir.path(), &cert.cert.pem(), &cert.signing_key.serialize_pem());
        let config = server_config(&ok).expect("loads");
        assert_eq!(config.alpn_protocols, vec![b"http/1.1".to_vec()]);
    }
}
