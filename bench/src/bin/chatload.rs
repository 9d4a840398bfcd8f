//! `marktchat-chatload`: the chat load generator (see `marktchat_bench::chatload`).
//! Prints progress on stderr and the results as `key=value` lines on stdout.

use clap::{Args, Parser, Subcommand};
use marktchat_bench::chatload::{self, Options, Report};
use std::time::Duration;

#[derive(Parser)]
#[command(about = "WebSocket load for marktchat's /ws and the bare relay")]
struct Cli {
    #[command(subcommand)]
    what: What,
}

#[derive(Subcommand)]
enum What {
    /// Load on the app: creates users, sessions and conversations in its database.
    App {
        #[command(flatten)]
        load: Load,
        /// The app's database (users and sessions are created there).
        #[arg(long)]
        database_url: String,
    },
    /// The same load on the bare relay.
    Relay {
        #[command(flatten)]
        load: Load,
    },
    /// Opens idle sockets to the app and reports its memory per socket.
    Idle {
        #[arg(long)]
        addr: std::net::SocketAddr,
        #[arg(long)]
        database_url: String,
        #[arg(long, default_value_t = 10_000)]
        sockets: usize,
        /// The server's process id (for its memory).
        #[arg(long)]
        server_pid: u32,
    },
}

#[derive(Args)]
struct Load {
    /// The server; given more than once, instances of one installation that a group's
    /// members connect to in turn (every message then crosses instances).
    #[arg(long, required = true)]
    addr: Vec<std::net::SocketAddr>,
    #[arg(long, default_value_t = 1000)]
    clients: usize,
    /// Group sizes, repeated: "2,2,3" makes two pairs and a three, and so on.
    #[arg(long, default_value = "2,2,3")]
    groups: String,
    /// Messages per second over all clients.
    #[arg(long, default_value_t = 1000.0)]
    rate: f64,
    /// Characters per message.
    #[arg(long, default_value_t = 100)]
    size: usize,
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// The server's process id, for its peak memory.
    #[arg(long)]
    server_pid: Option<u32>,
}

impl Load {
    fn options(&self) -> Options {
        Options {
            addrs: self.addr.clone(),
            rate: self.rate,
            size: self.size.clamp(21, 4000),
            duration: Duration::from_secs(self.duration),
            drain: Duration::from_secs(10),
            progress: true,
        }
    }

    fn groups(&self) -> Vec<usize> {
        self.groups.split(',').filter_map(|g| g.trim().parse().ok()).collect()
    }
}

fn print(report: &Report, pid: Option<u32>) {
    println!("clients={}", report.clients);
    println!("sent={}", report.sent);
    println!("acked={}", report.acked);
    println!("delivered={}", report.delivered);
    println!("delivered_per_sec={:.0}", report.delivered_per_sec());
    println!("p50_ms={:.2}", report.p50_ms);
    println!("p99_ms={:.2}", report.p99_ms);
    println!("max_ms={:.2}", report.max_ms);
    println!("lost={}", report.lost);
    println!("doubled={}", report.doubled);
    println!("refused={}", report.refused);
    println!("reconnects={}", report.reconnects);
    if let Some((_, peak)) = pid.and_then(chatload::memory_kib) {
        println!("peak_rss_mib={:.0}", peak as f64 / 1024.0);
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().what {
        What::App { load, database_url } => {
            let db = marktchat_services::Database::connect(&database_url).await?;
            eprintln!("    creating {} users, sessions and conversations", load.clients);
            let specs = chatload::prepare_app(&db, load.clients, &load.groups()).await?;
            let report = chatload::run(specs, &load.options()).await?;
            print(&report, load.server_pid);
        }
        What::Relay { load } => {
            let specs = chatload::prepare_relay(load.clients, &load.groups());
            let report = chatload::run(specs, &load.options()).await?;
            print(&report, load.server_pid);
        }
        What::Idle { addr, database_url, sockets, server_pid } => {
            let db = marktchat_services::Database::connect(&database_url).await?;
            eprintln!("    creating {sockets} users and sessions");
            let users = chatload::create_users(&db, sockets).await?;
            let cookies: Vec<String> = users
                .iter()
                .map(|(_, t)| format!("{}={t}", marktchat_services::sessions::SESSION_COOKIE))
                .collect();
            let (before, _) = chatload::memory_kib(server_pid).unwrap_or((0, 0));
            let open = chatload::idle_sockets(addr, &cookies, true).await?;
            tokio::time::sleep(Duration::from_secs(2)).await;
            let (after, peak) = chatload::memory_kib(server_pid).unwrap_or((0, 0));
            println!("sockets={}", open.len());
            println!("rss_before_mib={:.0}", before as f64 / 1024.0);
            println!("rss_after_mib={:.0}", after as f64 / 1024.0);
            println!("peak_rss_mib={:.0}", peak as f64 / 1024.0);
            println!(
                "kib_per_socket={:.1}",
                after.saturating_sub(before) as f64 / open.len().max(1) as f64
            );
            drop(open);
        }
    }
    Ok(())
}
