//! HTTPS and wss:// served by marktchat itself (`--tls-cert` / `--tls-key`), against
//! the real server with a throwaway self-signed certificate for localhost.

mod common;

use common::{db_test, location, set_cookies, spawn_app_with, Backend, TestApp, PASSWORD};
use futures_util::{SinkExt, StreamExt};
use marktchat_server::tls::TlsFiles;
use marktchat_shared::bot::protocol::{EndReason, BOT_PROTOCOL_VERSION};
use marktchat_shared::bot::{BotClientFrame, BotServerFrame, StorageMode};
use marktchat_shared::chat::{ClientFrame, ServerFrame, PROTOCOL_VERSION};
use reqwest::header::{ACCEPT, ORIGIN, REFERER, STRICT_TRANSPORT_SECURITY};
use reqwest::StatusCode;
use rustls::pki_types::{CertificateDer, ServerName};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

type Wss = WebSocketStream<tokio_rustls::client::TlsStream<TcpStream>>;

/// How long a test waits for something that should happen.
const PATIENCE: Duration = Duration::from_secs(10);

/// A self-signed certificate for `localhost` and 127.0.0.1, its PEM files written to
/// a directory that lives as long as it does.
struct Certificate {
    der: CertificateDer<'static>,
    pem: String,
    files: TlsFiles,
    _dir: tempfile::TempDir,
}

fn certificate() -> Certificate {
    let names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
    let made = rcgen::generate_simple_self_signed(names).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let files = TlsFiles { cert: dir.path().join("cert.pem"), key: dir.path().join("key.pem") };
    std::fs::write(&files.cert, made.cert.pem()).unwrap();
    std::fs::write(&files.key, made.signing_key.serialize_pem()).unwrap();
    Certificate { der: made.cert.der().clone(), pem: made.cert.pem(), files, _dir: dir }
}

/// The real server on port 0 with a fresh database, serving HTTPS with `cert`.
async fn spawn_https(backend: Backend, cert: &Certificate) -> TestApp {
    let files = cert.files.clone();
    spawn_app_with(backend, move |config| config.tls = Some(files)).await
}

/// `https://localhost:PORT{path}`: the name the certificate is for.
fn https_url(addr: SocketAddr, path: &str) -> String {
    format!("https://localhost:{}{path}", addr.port())
}

/// A client that trusts `cert` and nothing else, reaching `localhost` at `addr`.
fn https_client(cert: &Certificate, addr: SocketAddr) -> reqwest::Client {
    reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(cert.pem.as_bytes()).unwrap())
        .resolve("localhost", addr)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(PATIENCE)
        .build()
        .unwrap()
}

/// A TLS connection to `addr` as `localhost`, trusting only `cert`.
async fn tls_connect(
    cert: &Certificate,
    addr: SocketAddr,
) -> tokio_rustls::client::TlsStream<TcpStream> {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert.der.clone()).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let tcp = TcpStream::connect(addr).await.unwrap();
    let name = ServerName::try_from("localhost").unwrap();
    tokio_rustls::TlsConnector::from(Arc::new(config)).connect(name, tcp).await.expect("handshake")
}

/// Opens `wss://localhost:PORT/ws` as a browser on the site would (its `Origin`, and a
/// session cookie when given): the socket, or the status the upgrade was answered with.
async fn wss(cert: &Certificate, addr: SocketAddr, cookie: Option<&str>) -> Result<Wss, u16> {
    let origin = format!("https://localhost:{}", addr.port());
    wss_at(cert, addr, "/ws", &origin, cookie).await
}

/// Opens `wss://localhost:PORT{path}` from a page of `origin`.
async fn wss_at(
    cert: &Certificate,
    addr: SocketAddr,
    path: &str,
    origin: &str,
    cookie: Option<&str>,
) -> Result<Wss, u16> {
    let tls = tls_connect(cert, addr).await;
    assert_eq!(tls.get_ref().1.alpn_protocol(), Some(&b"http/1.1"[..]), "HTTP/1.1 is agreed");
    let mut request =
        format!("wss://localhost:{}{path}", addr.port()).into_client_request().unwrap();
    let headers = request.headers_mut();
    headers.insert("origin", HeaderValue::from_str(origin).unwrap());
    if let Some(cookie) = cookie {
        headers.insert("cookie", HeaderValue::from_str(cookie).unwrap());
    }
    match tokio::time::timeout(PATIENCE, tokio_tungstenite::client_async(request, tls)).await {
        Ok(Ok((socket, response))) => {
            assert_eq!(response.status().as_u16(), 101);
            Ok(socket)
        }
        Ok(Err(tokio_tungstenite::tungstenite::Error::Http(response))) => {
            Err(response.status().as_u16())
        }
        Ok(Err(e)) => panic!("the WebSocket handshake failed: {e}"),
        Err(_) => panic!("no answer to the WebSocket upgrade"),
    }
}

/// Says `Hello` on a fresh socket and expects `Welcome`.
async fn hello(socket: &mut Wss) {
    let frame = ClientFrame::Hello { version: PROTOCOL_VERSION, resume: vec![] };
    socket.send(Message::text(frame.encode())).await.unwrap();
    let answer = tokio::time::timeout(PATIENCE, socket.next()).await.expect("an answer");
    match answer {
        Some(Ok(Message::Text(text))) => assert_eq!(
            ServerFrame::decode(text.as_str()).unwrap(),
            ServerFrame::Welcome { version: PROTOCOL_VERSION }
        ),
        other => panic!("expected Welcome, got {other:?}"),
    }
}

fn session_cookie(token: &str) -> String {
    format!("{}={token}", marktchat_services::sessions::SESSION_COOKIE)
}

#[db_test]
async fn https_serves_pages_forms_and_sockets(backend: Backend) {
    let cert = certificate();
    let app = spawn_https(backend, &cert).await;
    let client = https_client(&cert, app.addr);

    let res = client.get(https_url(app.addr, "/healthz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().contains_key(STRICT_TRANSPORT_SECURITY), "HSTS on HTTPS");
    let res = client.get(https_url(app.addr, "/")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    // Serving TLS counts as HTTPS: the session cookie is Secure, and the browser's
    // https:// origin is this site.
    let res = client
        .post(https_url(app.addr, "/api/register"))
        .header(ORIGIN, https_url(app.addr, ""))
        .header(REFERER, https_url(app.addr, "/register"))
        .header(ACCEPT, "text/html")
        .form(&[
            ("email", "ada@example.de"),
            ("display_name", "Ada"),
            ("password", PASSWORD),
            ("next", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    assert!(!location(&res).starts_with("/register"), "registered: {}", location(&res));
    let prefix = format!("{}=", marktchat_services::sessions::SESSION_COOKIE);
    let cookies = set_cookies(&res);
    assert!(cookies.iter().any(|c| c.starts_with(&prefix)), "a session: {cookies:?}");
    for cookie in cookies.iter().filter(|c| c.starts_with(&prefix)) {
        assert!(cookie.contains("; Secure"), "{cookie}");
    }

    // wss://: the upgrade passes TLS, and the socket speaks the chat protocol.
    let (_, token) =
        marktchat_services::testing::user_with_session(&app.running.services, "Grace").await;
    let mut socket = wss(&cert, app.addr, Some(&session_cookie(&token))).await.expect("101");
    hello(&mut socket).await;
    socket.close(None).await.unwrap();
    // Without a session the upgrade is refused over wss:// as over ws://.
    assert_eq!(wss(&cert, app.addr, None).await.err(), Some(401));
}

/// The next text frame of a help-bot socket.
async fn bot_frame(socket: &mut Wss) -> BotServerFrame {
    loop {
        match tokio::time::timeout(PATIENCE, socket.next()).await.expect("an answer") {
            Some(Ok(Message::Text(text))) => return BotServerFrame::decode(text.as_str()).unwrap(),
            Some(Ok(_)) => continue,
            other => panic!("expected a frame, got {other:?}"),
        }
    }
}

#[db_test]
async fn the_help_bot_widget_on_an_https_page_chats_over_wss(backend: Backend) {
    let cert = certificate();
    let app = spawn_https(backend, &cert).await;
    // The widget on another website served over HTTPS: no cookie, a foreign origin.
    let mut socket =
        wss_at(&cert, app.addr, "/bot/ws", "https://shop.example", None).await.expect("101");
    let start = BotClientFrame::Start {
        version: BOT_PROTOCOL_VERSION,
        language: marktchat_shared::Language::En,
        mode: StorageMode::Private,
    };
    socket.send(Message::text(start.encode())).await.unwrap();
    match bot_frame(&mut socket).await {
        BotServerFrame::Started { mode, .. } => assert_eq!(mode, StorageMode::Private),
        other => panic!("expected Started, got {other:?}"),
    }
    assert!(matches!(bot_frame(&mut socket).await, BotServerFrame::Reply { .. }), "the greeting");
    let say = BotClientFrame::Say { text: "Is paying in advance safe?".into(), dialog: None };
    socket.send(Message::text(say.encode())).await.unwrap();
    match bot_frame(&mut socket).await {
        BotServerFrame::Reply { text, .. } => assert!(text.contains("cash"), "{text}"),
        other => panic!("expected a reply, got {other:?}"),
    }
    socket.send(Message::text(BotClientFrame::End.encode())).await.unwrap();
    assert_eq!(bot_frame(&mut socket).await, BotServerFrame::Ended { reason: EndReason::Visitor });
}

#[db_test]
async fn failed_handshakes_drop_only_their_connection(backend: Backend) {
    let cert = certificate();
    let app = spawn_https(backend, &cert).await;
    let client = https_client(&cert, app.addr);

    // A client that connects and says nothing holds up no one else.
    let _silent = TcpStream::connect(app.addr).await.unwrap();
    // Plain HTTP on the TLS port: no HTTP answer, the connection is closed.
    let plain = reqwest::Client::builder().timeout(PATIENCE).build().unwrap();
    let res = plain.get(format!("http://{}/healthz", app.addr)).send().await;
    assert!(res.is_err(), "plain HTTP got an answer: {res:?}");
    let mut raw = TcpStream::connect(app.addr).await.unwrap();
    raw.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n").await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(PATIENCE, raw.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the server hangs up");
    assert!(!answer.starts_with(b"HTTP/"), "no HTTP answer over plain TCP");
    // A client that does not trust the certificate gives up mid-handshake.
    let untrusting = reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .resolve("localhost", app.addr)
        .timeout(PATIENCE)
        .build()
        .unwrap();
    assert!(untrusting.get(https_url(app.addr, "/healthz")).send().await.is_err());

    // The server goes on serving.
    for _ in 0..2 {
        let res = client.get(https_url(app.addr, "/healthz")).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
    }
}

#[db_test]
async fn shutting_down_closes_wss_sockets_and_the_port(backend: Backend) {
    let cert = certificate();
    // The harness's server stops only when its app is dropped: this one is started
    // here, to be stopped while a socket is open.
    let db = marktchat_services::testing::TestDatabase::create(backend).await;
    let config = marktchat_server::Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        database_url: db.url.clone(),
        data_dir: db.dir.path().join("data"),
        site_root: db.dir.path().display().to_string(),
        tls: Some(cert.files.clone()),
        ..marktchat_server::Config::default()
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = marktchat_server::spawn(config, async {
        let _ = stopped.await;
    })
    .await
    .expect("server starts");
    let addr = running.addr;
    let (_, token) = marktchat_services::testing::user_with_session(&running.services, "Ada").await;
    let mut socket = wss(&cert, addr, Some(&session_cookie(&token))).await.expect("101");
    hello(&mut socket).await;

    stop.send(()).unwrap();
    // The socket is told the server restarts (1012), and the close handshake completes.
    let mut code = None;
    loop {
        match tokio::time::timeout(PATIENCE, socket.next()).await.expect("the socket closes") {
            Some(Ok(Message::Close(frame))) => code = frame.map(|f| u16::from(f.code)),
            Some(Ok(_)) => continue,
            Some(Err(_)) | None => break,
        }
    }
    assert_eq!(code, Some(1012));
    let served = tokio::time::timeout(Duration::from_secs(20), running.handle).await;
    assert!(matches!(served, Ok(Ok(Ok(())))), "serving ends cleanly: {served:?}");
    // The accept loop is gone with the listener: nothing answers on the port.
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while TcpStream::connect(addr).await.is_ok() {
        assert!(tokio::time::Instant::now() < deadline, "the port is still open");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
