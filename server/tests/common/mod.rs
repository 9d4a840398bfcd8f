//! Test harness: start the real server on port 0 with a fresh database, and a
//! cookie-keeping client that behaves like a browser (no automatic redirects, so tests
//! can check where a response points).

#![allow(dead_code)]

use marktchat_server::{spawn, Config, Running};
use reqwest::header::{HeaderMap, ACCEPT, REFERER};
use reqwest::redirect::Policy;
use reqwest::{Client, Response, StatusCode};
use std::net::SocketAddr;

pub struct TestApp {
    pub addr: SocketAddr,
    pub running: Running,
    pub db_url: String,
    _dir: tempfile::TempDir,
    _stop: tokio::sync::oneshot::Sender<()>,
}

pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let db_url = format!("sqlite://{}/marktchat.db", dir.path().display());
    let config = Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        database_url: db_url.clone(),
        data_dir: dir.path().join("data"),
        site_root: dir.path().display().to_string(),
        public_url: None,
        trust_proxy: false,
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = spawn(config, async {
        let _ = stopped.await;
    })
    .await
    .expect("server starts");
    TestApp { addr: running.addr, running, db_url, _dir: dir, _stop: stop }
}

impl TestApp {
    /// Where this server keeps uploaded files.
    pub fn data_dir(&self) -> std::path::PathBuf {
        self._dir.path().join("data")
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// A new "browser": its own cookie jar.
    pub fn browser(&self) -> Browser {
        Browser {
            client: Client::builder()
                .cookie_store(true)
                .redirect(Policy::none())
                .timeout(std::time::Duration::from_secs(8))
                .build()
                .unwrap(),
            base: self.url(""),
        }
    }

    /// Registers a user through the form and returns a browser logged in as them.
    pub async fn registered(&self, email: &str, name: &str, password: &str) -> Browser {
        let b = self.browser();
        let res = b
            .form_post(
                "/register",
                "/api/register",
                &[("email", email), ("display_name", name), ("password", password), ("next", "")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::FOUND, "registration of {email} failed");
        b
    }
}

pub struct Browser {
    pub client: Client,
    pub base: String,
}

impl Browser {
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

    pub async fn html(&self, path: &str) -> (StatusCode, String) {
        let res = self.get(path).await;
        let status = res.status();
        (status, res.text().await.unwrap())
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
