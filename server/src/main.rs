use anyhow::Context;
use clap::Parser;
use marktchat_server::cli::{Cli, Command, CreateUser, ServeArgs, UserCommand};
use marktchat_server::startup::redact;
use marktchat_server::Config;
use marktchat_services::accounts::NewAccount;
use marktchat_services::{Database, Error};
use marktchat_shared::{Language, Role};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        None => serve(cli.serve).await,
        Some(Command::Serve(args)) => serve(args).await,
        Some(Command::Migrate(args)) => migrate(&args.database_url).await,
        Some(Command::User(UserCommand::Create(args))) => create_user(args).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let config = Config {
        addr: args.addr,
        database_url: args.database.database_url.clone(),
        site_root: args.site_root(),
        public_url: args.public_url.clone(),
        trust_proxy: args.trust_proxy,
    };
    if !std::path::Path::new(&config.site_root).join("pkg").is_dir() {
        tracing::warn!(
            site_root = %config.site_root,
            "no built front end found (pkg/ missing): pages render but will not hydrate; \
             build with `cargo leptos build --release` or set --site-root"
        );
    }
    let running = marktchat_server::spawn(config.clone(), shutdown_signal()).await?;
    tracing::info!(database = %redact(&config.database_url), "database ready");
    tracing::info!("marktchat is listening on http://{}", running.addr);
    running.handle.await.context("server task failed")??;
    tracing::info!("stopped");
    Ok(())
}

async fn migrate(url: &str) -> anyhow::Result<()> {
    eprintln!("migrating {} …", redact(url));
    let db =
        Database::connect(url).await.with_context(|| format!("cannot open {}", redact(url)))?;
    db.migrate().await?;
    eprintln!("database is up to date");
    Ok(())
}

async fn create_user(args: CreateUser) -> anyhow::Result<()> {
    let mut new = NewAccount::parse(&args.email, &args.name, &args.password, Language::default())
        .map_err(|e| match e {
        Error::Invalid { field, problem } => {
            anyhow::anyhow!("--{}: {problem}", cli_flag(field))
        }
        other => other.into(),
    })?;
    if args.admin {
        new.role = Role::Admin;
    }
    let db = Database::connect(&args.database.database_url)
        .await
        .with_context(|| format!("cannot open {}", redact(&args.database.database_url)))?;
    db.migrate().await?;
    let profile = marktchat_services::accounts::Accounts::new(&db).register(new).await.map_err(
        |e| match e {
            Error::EmailTaken => anyhow::anyhow!("--email: {} is already registered", args.email),
            other => other.into(),
        },
    )?;
    eprintln!(
        "created {} {} <{}>",
        if profile.role == Role::Admin { "admin" } else { "user" },
        profile.display_name,
        profile.email
    );
    println!("{}", profile.id);
    Ok(())
}

fn cli_flag(field: marktchat_shared::Field) -> &'static str {
    use marktchat_shared::Field;
    match field {
        Field::Email => "email",
        Field::DisplayName => "name",
        _ => "password",
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
