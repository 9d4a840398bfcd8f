//! A throwaway `nats-server` for the tests of several instances: its own process on a
//! free port with a temporary folder, stopped when dropped. It can be stopped and
//! started again on the same port (an outage). `scripts/test.sh` installs Debian's
//! `nats-server`; a machine without it fails these tests (they never skip).

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct NatsServer {
    pub port: u16,
    child: Option<Child>,
    dir: tempfile::TempDir,
}

/// The `nats-server` binary: `MARKTCHAT_TEST_NATS_SERVER`, or the one on `PATH`, or
/// Debian's.
fn binary() -> String {
    if let Ok(b) = std::env::var("MARKTCHAT_TEST_NATS_SERVER") {
        return b;
    }
    for candidate in ["nats-server", "/usr/sbin/nats-server", "/usr/bin/nats-server"] {
        if Command::new(candidate).arg("--version").output().is_ok_and(|o| o.status.success()) {
            return candidate.to_owned();
        }
    }
    panic!(
        "nats-server is not installed: ./scripts/test.sh installs it (apt-get install nats-server)"
    )
}

/// A free port below the kernel's ephemeral range (32768 and up), so that no other
/// test's port 0 is handed it while an outage test has its server stopped: each test
/// process takes its own stretch, and every port is checked before use.
fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU16, Ordering};
    static NEXT: AtomicU16 = AtomicU16::new(0);
    let base = 21_000 + (std::process::id() % 500) as u16 * 20;
    loop {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let port = 21_000 + (base - 21_000 + n) % 11_000;
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
        assert!(n < 11_000, "no free port for nats-server");
    }
}

impl NatsServer {
    pub async fn start() -> NatsServer {
        let port = free_port();
        let mut server = NatsServer { port, child: None, dir: tempfile::tempdir().unwrap() };
        server.start_again().await;
        server
    }

    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// Stops the server (an outage begins).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on its port, and waits until it takes connections.
    pub async fn start_again(&mut self) {
        assert!(self.child.is_none(), "already running");
        let child = Command::new(binary())
            .args(["-a", "127.0.0.1", "-p", &self.port.to_string()])
            .arg("-sd")
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nats-server starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while tokio::net::TcpStream::connect(("127.0.0.1", self.port)).await.is_err() {
            assert!(Instant::now() < deadline, "nats-server did not start listening");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        // Ours answers, not something else on the port.
        let exited = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten());
        assert!(exited.is_none(), "nats-server on port {} exited: {exited:?}", self.port);
    }
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        self.stop();
    }
}
