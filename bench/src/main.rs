//! `marktchat-bare`: the bare axum + sqlx baseline (see the library's docs).

use clap::Parser;

#[derive(Parser)]
#[command(about = "Bare axum + sqlx baseline for marktchat's page benchmarks")]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:3901")]
    addr: std::net::SocketAddr,
    /// The same database the app serves.
    #[arg(long)]
    database_url: String,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let db = marktchat_services::Database::connect(&args.database_url).await?;
    let listener = tokio::net::TcpListener::bind(args.addr).await?;
    eprintln!("marktchat-bare is listening on http://{}", listener.local_addr()?);
    axum::serve(listener, marktchat_bench::router(db)).await?;
    Ok(())
}
