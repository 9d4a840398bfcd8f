//! `marktchat-botload`: load on the help bot's socket, and the bare baseline it is
//! compared with (see `marktchat_bench::botload`). Prints progress on stderr and the
//! results as `key=value` lines on stdout.

use clap::{Parser, Subcommand, ValueEnum};
use marktchat_bench::botload::{self, Options};
use marktchat_shared::bot::StorageMode;
use std::time::Duration;

#[derive(Parser)]
#[command(about = "Help-bot load for marktchat's /bot/ws and its bare baseline")]
struct Cli {
    #[command(subcommand)]
    what: What,
}

#[derive(Subcommand)]
enum What {
    /// Chats against a server's /bot/ws (the app's or the bare one's).
    Run {
        #[arg(long)]
        addr: std::net::SocketAddr,
        /// Chats open at once.
        #[arg(long, default_value_t = 500)]
        chats: usize,
        /// Milliseconds between an answer and the chat's next question.
        #[arg(long, default_value_t = 2500)]
        pause_ms: u64,
        /// Seconds of load.
        #[arg(long, default_value_t = 20)]
        duration: u64,
        #[arg(long, value_enum, default_value_t = Mode::Stored)]
        mode: Mode,
    },
    /// Serves the bare baseline: /bot/ws answering every question with one fixed reply.
    Bare {
        #[arg(long, default_value = "127.0.0.1:3925")]
        addr: std::net::SocketAddr,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Mode {
    Stored,
    Private,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().what {
        What::Run { addr, chats, pause_ms, duration, mode } => {
            let options = Options {
                addr,
                chats,
                pause: Duration::from_millis(pause_ms),
                duration: Duration::from_secs(duration),
                mode: match mode {
                    Mode::Stored => StorageMode::Stored,
                    Mode::Private => StorageMode::Private,
                },
                progress: true,
            };
            let r = botload::run(&options).await?;
            println!("chats={}", r.chats);
            println!("started={}", r.started);
            println!("questions={}", r.questions);
            println!("replies={}", r.replies);
            println!("replies_per_sec={:.0}", r.replies_per_sec());
            println!("errors={}", r.errors);
            println!("p50_ms={:.2}", r.p50_ms);
            println!("p99_ms={:.2}", r.p99_ms);
            println!("max_ms={:.2}", r.max_ms);
        }
        What::Bare { addr } => {
            let listener = tokio::net::TcpListener::bind(addr).await?;
            eprintln!("bare help bot listening on ws://{}/bot/ws", listener.local_addr()?);
            axum::serve(listener, botload::bare_router()).await?;
        }
    }
    Ok(())
}
