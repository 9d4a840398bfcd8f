//! A throwaway SMTP server for tests: accepts every mail and keeps it, as the real
//! sender (lettre) talks to it. It can be stopped and started again on the same port,
//! to play an outage.

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

pub struct Smtp {
    pub port: u16,
    mails: Arc<Mutex<Vec<Vec<u8>>>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Smtp {
    /// Listens on `port` (0: any free one).
    pub async fn start(port: u16) -> Smtp {
        let mut smtp = Smtp { port, mails: Default::default(), task: None };
        smtp.listen().await;
        smtp
    }

    /// A free port nothing listens on yet (for a server that is down at first).
    pub async fn free_port() -> u16 {
        TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().port()
    }

    /// A server that starts later on `port`: down until [`Smtp::listen`].
    pub fn down(port: u16) -> Smtp {
        Smtp { port, mails: Default::default(), task: None }
    }

    pub async fn listen(&mut self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).await.unwrap();
        self.port = listener.local_addr().unwrap().port();
        let mails = self.mails.clone();
        self.task = Some(tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, mails.clone()));
            }
        }));
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every mail received so far, as sent (headers and body).
    pub fn received(&self) -> Vec<Vec<u8>> {
        self.mails.lock().unwrap().clone()
    }

    /// Waits until at least `n` mails arrived (at most `within`); returns them all.
    pub async fn wait_for(&self, n: usize, within: Duration) -> Vec<Vec<u8>> {
        let end = tokio::time::Instant::now() + within;
        loop {
            let got = self.received();
            if got.len() >= n || tokio::time::Instant::now() >= end {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

async fn session(stream: TcpStream, mails: Arc<Mutex<Vec<Vec<u8>>>>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    let _ = write.write_all(b"220 test ESMTP\r\n").await;
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let command = line.get(..4).unwrap_or("").to_ascii_uppercase();
        let answer: &[u8] = match command.as_str() {
            "EHLO" | "HELO" => b"250 test\r\n",
            "DATA" => {
                let _ = write.write_all(b"354 go on\r\n").await;
                let mut mail = Vec::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    let unstuffed = line.strip_prefix('.').unwrap_or(&line);
                    mail.extend_from_slice(unstuffed.as_bytes());
                }
                mails.lock().unwrap().push(mail);
                b"250 queued\r\n"
            }
            "QUIT" => {
                let _ = write.write_all(b"221 bye\r\n").await;
                return;
            }
            _ => b"250 ok\r\n",
        };
        if write.write_all(answer).await.is_err() {
            return;
        }
    }
}
