//! Test harness: start the real server on port 0 with a fresh database, and a
//! cookie-keeping client that behaves like a browser (no automatic redirects, so tests
//! can check where a response points).

#![allow(dead_code)]

pub mod bot;
pub mod chat;
pub mod nats;
pub mod s3;
pub mod smtp;
pub mod sync_api;

use marktchat_server::{spawn, Config, Running};
pub use marktchat_services::db::Backend;
use marktchat_services::testing::TestDatabase;
#[allow(unused_imports)] // not every test file has database tests of both kinds
pub use marktchat_test_macros::db_test;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, ORIGIN, REFERER};
use reqwest::redirect::Policy;
use reqwest::{Client, Response, StatusCode};
use std::net::SocketAddr;

pub struct TestApp {
    pub addr: SocketAddr,
    pub running: Running,
    pub db_url: String,
    pub backend: Backend,
    /// Shared by the instances of one installation ([`TestApp::another_instance`]).
    db: std::sync::Arc<TestDatabase>,
    /// Where this instance keeps uploaded files.
    data: std::path::PathBuf,
    _stop: tokio::sync::oneshot::Sender<()>,
}

/// The real server on port 0 with a fresh database on `backend`.
pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// Like [`spawn_app`], with the configuration changed first (e.g. `trust_proxy`).
pub async fn spawn_app_with(backend: Backend, change: impl FnOnce(&mut Config)) -> TestApp {
    let db = std::sync::Arc::new(TestDatabase::create(backend).await);
    spawn_on(db, "data", change).await
}

/// A server on `db`, with its own data folder `data` in the database's scratch folder.
async fn spawn_on(
    db: std::sync::Arc<TestDatabase>,
    data: &str,
    change: impl FnOnce(&mut Config),
) -> TestApp {
    let data = db.dir.path().join(data);
    let mut config = Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        database_url: db.url.clone(),
        data_dir: data.clone(),
        site_root: db.dir.path().display().to_string(),
        ..Config::default()
    };
    change(&mut config);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = spawn(config, async {
        let _ = stopped.await;
    })
    .await
    .expect("server starts");
    let backend = db.backend;
    TestApp { addr: running.addr, running, db_url: db.url.clone(), backend, db, data, _stop: stop }
}

impl TestApp {
    /// Another instance of the same installation: the same database, its own data
    /// folder (`data` names it), its own process state; configured by `change`.
    pub async fn another_instance(&self, data: &str, change: impl FnOnce(&mut Config)) -> TestApp {
        spawn_on(self.db.clone(), data, change).await
    }

    /// Where this server keeps uploaded files.
    pub fn data_dir(&self) -> std::path::PathBuf {
        self.data.clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// This site's origin, as a browser sends it in `Origin`.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A new "browser": its own cookie jar. Like a real browser it names the page's
    /// origin on every request (state-changing requests without it are refused).
    pub fn browser(&self) -> Browser {
        browser_for(&self.url(""), Default::default())
    }

    /// Registers a user through the form and returns a browser logged in as them.
    pub async fn registered(&self, email: &str, name: &str, password: &str) -> Browser {
        let b = self.browser();
        let res = b.register(email, name, password).await;
        assert_eq!(res.status(), StatusCode::FOUND, "registration of {email} failed");
        // a failed no-JS post is also a redirect: back to the form, with the error
        assert!(!location(&res).starts_with("/register"), "registration of {email} failed");
        b
    }
}

/// A "browser" on the site at `base` (`http://host:port`) with the cookie jar `jar`
/// (shared by the browsers of one person on several instances of one site).
pub fn browser_for(base: &str, jar: std::sync::Arc<reqwest::cookie::Jar>) -> Browser {
    let mut headers = HeaderMap::new();
    headers.insert(ORIGIN, HeaderValue::from_str(base).unwrap());
    Browser {
        jar: jar.clone(),
        client: Client::builder()
            .default_headers(headers)
            .cookie_provider(jar)
            .redirect(Policy::none())
            .timeout(std::time::Duration::from_secs(8))
            .build()
            .unwrap(),
        base: base.to_owned(),
    }
}

pub struct Browser {
    pub client: Client,
    pub base: String,
    pub jar: std::sync::Arc<reqwest::cookie::Jar>,
}

impl Browser {
    /// The `Cookie` header this browser sends to its site (for WebSocket clients).
    pub fn cookie_header(&self) -> String {
        use reqwest::cookie::CookieStore;
        self.jar
            .cookies(&self.base.parse().unwrap())
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    }

    /// Posts the registration form as a browser without JavaScript does.
    pub async fn register(&self, email: &str, name: &str, password: &str) -> Response {
        let form = [("email", email), ("display_name", name), ("password", password), ("next", "")];
        self.form_post("/register", "/api/register", &form).await
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(format!("{}{path}", self.base)).send().await.unwrap()
    }

    pub async fn get_with(&self, path: &str, headers: HeaderMap) -> Response {
        self.client.get(format!("{}{path}", self.base)).headers(headers).send().await.unwrap()
    }

    /// What a browser without JavaScript does: post the form, accept HTML, say where
    /// the form was.
    pub async fn form_post(&self, page: &str, action: &str, form: &[(&str, &str)]) -> Response {
        self.client
            .post(format!("{}{action}", self.base))
            .header(ACCEPT, "text/html,application/xhtml+xml")
            .header(REFERER, format!("{}{page}", self.base))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// What the hydrated app does: call the server function, expect JSON.
    pub async fn call(&self, action: &str, form: &[(&str, &str)]) -> Response {
        self.client
            .post(format!("{}{action}", self.base))
            .header(ACCEPT, "application/json")
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// A page's status and HTML, without Leptos's empty `<!>` markers (they separate
    /// text nodes for hydration and depend on how the view is built), so tests match
    /// the markup a reader sees: `<h1>Admin</h1>`.
    pub async fn html(&self, path: &str) -> (StatusCode, String) {
        let mut accept = HeaderMap::new();
        accept.insert(ACCEPT, "text/html,application/xhtml+xml".parse().unwrap());
        let res = self.get_with(path, accept).await;
        let status = res.status();
        (status, res.text().await.unwrap().replace("<!>", ""))
    }
}

pub fn location(res: &Response) -> String {
    res.headers()
        .get(reqwest::header::LOCATION)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

pub fn set_cookies(res: &Response) -> Vec<String> {
    res.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

pub const PASSWORD: &str = "correct horse battery";

/// Makes an admin as an operator does, with `marktchat user create --admin` on the
/// app's database (password [`PASSWORD`]); asserts it worked and returns its output.
pub fn create_admin(app: &TestApp, email: &str, name: &str) -> std::process::Output {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_marktchat"))
        .args(["user", "create", "--email", email, "--name", name, "--password", PASSWORD])
        .arg("--admin")
        .env("MARKTCHAT_DATABASE_URL", &app.db_url)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out
}

/// The real `marktchat` binary as its own process, on port 0 with a fresh database:
/// for what must be measured on the process (memory) or survive a restart.
pub struct ServerProcess {
    pub addr: SocketAddr,
    child: std::process::Child,
    _db: std::sync::Arc<TestDatabase>,
    /// Its data folder (uploaded files when no object store is given).
    data: std::path::PathBuf,
    /// Environment variables for the process (e.g. `AWS_*`).
    env: Vec<(String, String)>,
    extra: Vec<String>,
    /// `RUST_LOG` for the process.
    log_filter: String,
    /// Every line the process has logged so far.
    log: std::sync::Arc<std::sync::Mutex<String>>,
}

impl ServerProcess {
    pub async fn start(backend: Backend, extra: &[&str]) -> ServerProcess {
        Self::start_logging(backend, extra, "info,marktchat_server::ws=debug").await
    }

    /// Like [`start`](Self::start), logging as `RUST_LOG=filter` says.
    pub async fn start_logging(backend: Backend, extra: &[&str], filter: &str) -> ServerProcess {
        let db = std::sync::Arc::new(TestDatabase::create(backend).await);
        Self::start_on(db, "data", extra, &[], filter).await
    }

    /// One instance of an installation on `db` (shared with the others), with its own
    /// data folder `data`, arguments `extra` and environment `env`.
    pub async fn start_on(
        db: std::sync::Arc<TestDatabase>,
        data: &str,
        extra: &[&str],
        env: &[(&str, &str)],
        filter: &str,
    ) -> ServerProcess {
        let mut process = ServerProcess {
            addr: "127.0.0.1:0".parse().unwrap(),
            child: std::process::Command::new("true").spawn().unwrap(),
            data: db.dir.path().join(data),
            _db: db,
            env: env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            extra: extra.iter().map(|s| s.to_string()).collect(),
            log_filter: filter.into(),
            log: std::sync::Arc::default(),
        };
        let _ = process.child.wait();
        process.child = process.launch().await;
        process
    }

    /// Ends the process at once, as a crash would (SIGKILL).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Everything the process has logged so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// The database's own files (SQLite: the database, its WAL and shared memory).
    pub fn database_files(&self) -> Vec<std::path::PathBuf> {
        std::fs::read_dir(self._db.dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("marktchat.db"))
            })
            .collect()
    }

    /// Stops the server as an operator would (SIGTERM), waits for it to end, and
    /// starts it again on the same address and database.
    pub async fn restart(&mut self) {
        let pid = self.child.id().to_string();
        let status = std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(status.success(), "kill -TERM {pid}");
        let exited = tokio::task::block_in_place(|| self.child.wait()).unwrap();
        assert!(exited.success(), "the server ends cleanly on SIGTERM: {exited}");
        self.child = self.launch().await;
    }

    /// The database the server runs on.
    pub fn database_url(&self) -> &str {
        &self._db.url
    }

    /// Starts the process on `self.addr` (port 0 at first, the same port again on a
    /// restart) and learns its address from the log.
    async fn launch(&mut self) -> std::process::Child {
        use std::io::BufRead;
        let db = &self._db;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_marktchat"))
            .args(["serve", "--addr", &self.addr.to_string(), "--database-url", &db.url])
            .arg("--data-dir")
            .arg(&self.data)
            .arg("--site-root")
            .arg(db.dir.path())
            .args(&self.extra)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .env("RUST_LOG", &self.log_filter)
            .env("NO_COLOR", "1")
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the marktchat binary starts");
        let stderr = child.stderr.take().unwrap();
        let (found, addr) = std::sync::mpsc::channel();
        // Read the log until the address shows, then keep draining it. Each line goes
        // to the test's own output, which the test runner shows only when it fails.
        let log = self.log.clone();
        std::thread::spawn(move || {
            let mut found = Some(found);
            for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("server: {line}");
                {
                    let mut log = log.lock().unwrap();
                    log.push_str(&line);
                    log.push('\n');
                }
                if let Some(at) = line.find("listening on http://") {
                    let rest = &line[at + "listening on http://".len()..];
                    let addr: String =
                        rest.chars().take_while(|c| !c.is_whitespace() && *c != '\u{1b}').collect();
                    if let Some(tx) = found.take() {
                        let _ = tx.send(addr);
                    }
                }
            }
        });
        let addr = tokio::task::spawn_blocking(move || {
            addr.recv_timeout(std::time::Duration::from_secs(30))
                .expect("the server says where it listens")
        })
        .await
        .unwrap();
        self.addr = addr.parse().expect("an address");
        child
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The most memory the process has used so far (VmHWM), in KiB.
    pub fn peak_memory_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("the process's status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM in /proc/<pid>/status")
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
