//! `marktchat-relay`: the bare WebSocket relay the chat benchmark compares the app
//! with (see `marktchat_bench::relay`).

use clap::Parser;

#[derive(Parser)]
#[command(about = "Bare axum WebSocket relay: same frames and fan-out as /ws, no auth, no storage")]
struct Args {
    #[arg(long, default_value = "127.0.0.1:3902")]
    addr: std::net::SocketAddr,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let listener = tokio::net::TcpListener::bind(args.addr).await?;
    eprintln!("marktchat-relay is listening on ws://{}/ws", listener.local_addr()?);
    axum::serve(listener, marktchat_bench::relay::router()).await?;
    Ok(())
}
