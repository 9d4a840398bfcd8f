//! A throwaway S3-compatible server for the tests of the object-store seam: `s3s-fs`
//! (crates.io, installed by `scripts/test.sh`) serving a temporary folder, a bucket
//! being a subfolder, on a free port; stopped when dropped. Never one that happens to
//! run on the machine; a machine without `s3s-fs` fails these tests (they never skip).

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const ACCESS_KEY: &str = "marktchat-test";
pub const SECRET_KEY: &str = "marktchat-test-secret";

pub struct S3Server {
    pub port: u16,
    child: Child,
    /// The served folder: `<root>/<bucket>/<key>`.
    pub root: tempfile::TempDir,
}

/// The `s3s-fs` binary: `MARKTCHAT_TEST_S3S_FS`, the one on `PATH`, or cargo's.
fn binary() -> String {
    if let Ok(b) = std::env::var("MARKTCHAT_TEST_S3S_FS") {
        return b;
    }
    let cargo_bin =
        std::env::var("HOME").map(|h| format!("{h}/.cargo/bin/s3s-fs")).unwrap_or_default();
    for candidate in ["s3s-fs", cargo_bin.as_str()] {
        if Command::new(candidate).arg("--version").output().is_ok_and(|o| o.status.success()) {
            return candidate.to_owned();
        }
    }
    panic!(
        "s3s-fs is not installed: ./scripts/test.sh installs it \
         (cargo install s3s-fs --version 0.14.1 --features binary)"
    )
}

impl S3Server {
    /// Starts the server with the buckets `buckets` (empty folders).
    pub async fn start(buckets: &[&str]) -> S3Server {
        let root = tempfile::tempdir().unwrap();
        for bucket in buckets {
            std::fs::create_dir(root.path().join(bucket)).unwrap();
        }
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(binary())
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY])
            .arg(root.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("s3s-fs starts");
        let deadline = Instant::now() + Duration::from_secs(10);
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            assert!(Instant::now() < deadline, "s3s-fs did not start listening");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        S3Server { port, child, root }
    }

    /// The standard `AWS_*` variables that point a client at this server.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ENDPOINT", format!("http://127.0.0.1:{}", self.port)),
            ("AWS_ACCESS_KEY_ID", ACCESS_KEY.to_owned()),
            ("AWS_SECRET_ACCESS_KEY", SECRET_KEY.to_owned()),
            ("AWS_REGION", "us-east-1".to_owned()),
            ("AWS_ALLOW_HTTP", "true".to_owned()),
            ("AWS_VIRTUAL_HOSTED_STYLE_REQUEST", "false".to_owned()),
        ]
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
