use anyhow::Context;
use clap::Parser;
use marktchat_server::cli::{Cli, Command, CreateUser, SeedArgs, ServeArgs, UserCommand};
use marktchat_server::startup::redact;
use marktchat_server::Config;
use marktchat_services::accounts::NewAccount;
use marktchat_services::images::ImageStore;
use marktchat_services::seed::{SeedOptions, SeedReport, Stage};
use marktchat_services::storage::Storage;
use marktchat_services::{Database, Error};
use marktchat_shared::{Language, Role};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// mimalloc instead of glibc's allocator: page rendering allocates a lot, and glibc's
/// malloc/free took a quarter of the CPU under load (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    // Seeding draws a progress bar: only warnings may come between.
    let default_filter = match cli.command {
        Some(Command::Seed(_) | Command::Export(_) | Command::Import(_)) => "warn,sqlx=error",
        _ => "info,sqlx=warn,tower_http=info",
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| default_filter.into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let result = match cli.command {
        None => serve(cli.serve).await,
        Some(Command::Serve(args)) => serve(*args).await,
        Some(Command::Migrate(args)) => migrate(&args.database_url).await,
        Some(Command::User(UserCommand::Create(args))) => create_user(args).await,
        Some(Command::Seed(args)) => seed(args).await,
        Some(Command::ApiClient(command)) => api_client(command).await,
        Some(Command::Restrictions { state, database }) => {
            restrictions(state, &database.database_url).await
        }
        Some(Command::Export(args)) => marktchat_server::transfer::export(args).await,
        Some(Command::Import(args)) => marktchat_server::transfer::import(args).await,
        Some(Command::Routes) => {
            for path in marktchat_server::startup::page_paths() {
                println!("{path}");
            }
            Ok(())
        }
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
        data_dir: args.data.data_dir.clone(),
        storage_url: args.data.storage_url.clone(),
        site_root: args.site_root(),
        public_url: args.public_url.clone(),
        trust_proxy: args.trust_proxy,
        trusted_hops: usize::from(args.trusted_hops),
        registrations_per_hour: args.registrations_per_hour as usize,
        messages_per_minute: args.messages_per_minute as usize,
        sync_requests_per_minute: args.sync_requests_per_minute as usize,
        tls: args.tls(),
        bot_knowledge: args.bot_knowledge.clone(),
        bot: marktchat_server::bot::BotSettings {
            idle: std::time::Duration::from_secs(u64::from(args.bot_idle_minutes) * 60),
            sockets_per_address: args.bot_chats_per_address as usize,
            ..Default::default()
        },
        bot_messages_per_address_minute: args.bot_messages_per_minute as usize,
        nats: args.nats_url.clone().map(|url| marktchat_server::startup::NatsConfig {
            url,
            subject: args.nats_subject.clone(),
        }),
        limit_secret: args.limit_secret.clone(),
        max_sockets: args.max_sockets as usize,
        smtp_url: args.smtp_url.clone(),
        mail_from: args.mail_from.clone(),
        ..Config::default()
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
    let scheme = if config.tls.is_some() { "https" } else { "http" };
    tracing::info!("marktchat is listening on {scheme}://{}", running.addr);
    running.handle.await.context("server task failed")??;
    tracing::info!("stopped");
    Ok(())
}

async fn api_client(command: marktchat_server::cli::ApiClientCommand) -> anyhow::Result<()> {
    use marktchat_server::cli::ApiClientCommand as C;
    use marktchat_services::api_clients::{ApiClients, Scope};
    let url = match &command {
        C::Create { database, .. } | C::Revoke { database, .. } => database.database_url.clone(),
    };
    let db =
        Database::connect(&url).await.with_context(|| format!("cannot open {}", redact(&url)))?;
    db.migrate().await?;
    let clients = ApiClients::new(&db);
    match command {
        C::Create { name, scopes, .. } => {
            let scopes = scopes
                .split(',')
                .map(|s| {
                    Scope::parse(s.trim()).ok_or_else(|| {
                        anyhow::anyhow!(
                            "--scopes: unknown scope {:?} (use TAG_RULE_READ, TAG_RULE_WRITE, \
                             USER_READ, USER_WRITE)",
                            s.trim()
                        )
                    })
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let token =
                clients.create(&name, &scopes).await.map_err(|e| anyhow::anyhow!(e.report()))?;
            eprintln!("API client {name:?} created; its token (shown only now):");
            println!("{token}");
        }
        C::Revoke { name, .. } => {
            clients.revoke(&name).await.map_err(|e| anyhow::anyhow!(e.report()))?;
            eprintln!("API client {name:?} revoked");
        }
    }
    Ok(())
}

async fn restrictions(state: marktchat_server::cli::Switch, url: &str) -> anyhow::Result<()> {
    let db =
        Database::connect(url).await.with_context(|| format!("cannot open {}", redact(url)))?;
    db.migrate().await?;
    let on = state == marktchat_server::cli::Switch::Enable;
    marktchat_services::contact_rules::ContactRules::new(&db)
        .set_restrictions(&marktchat_services::audit::Actor::Operator, on)
        .await
        .map_err(|e| anyhow::anyhow!(e.report()))?;
    if on {
        eprintln!("interaction restrictions are on: only contact rules allow new conversations");
    } else {
        eprintln!("interaction restrictions are off: anyone may start a conversation");
    }
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
        Error::Invalid(problems) => anyhow::anyhow!(
            "{}",
            problems
                .iter()
                .map(|p| format!("--{}: {}", cli_flag(p.field), p.problem))
                .collect::<Vec<_>>()
                .join("\n")
        ),
        other => other.into(),
    })?;
    if args.admin {
        new.role = Role::Admin;
    }
    let db = Database::connect(&args.database.database_url)
        .await
        .with_context(|| format!("cannot open {}", redact(&args.database.database_url)))?;
    db.migrate().await?;
    let services = marktchat_services::Services::new(db, marktchat_services::Settings::default());
    let profile = services.accounts().register(new, None).await.map_err(|e| match e {
        Error::EmailTaken => anyhow::anyhow!("--email: {} is already registered", args.email),
        other => anyhow::anyhow!(other.report()),
    })?;
    eprintln!(
        "created {} {} <{}>",
        if profile.role == Role::Admin { "admin" } else { "user" },
        profile.display_name,
        profile.email
    );
    println!("{}", profile.id);
    Ok(())
}

async fn seed(args: SeedArgs) -> anyhow::Result<()> {
    if args.users == 0 && args.listings == 0 {
        anyhow::bail!("nothing to do: give --users N and/or --listings M (more than 0)");
    }
    let url = &args.database.database_url;
    let db =
        Database::connect(url).await.with_context(|| format!("cannot open {}", redact(url)))?;
    db.migrate().await?;
    let store = match args.images {
        false => None,
        true => {
            let storage = Storage::open(args.data.storage_url.as_deref(), &args.data.data_dir)?;
            storage.check().await.with_context(|| format!("cannot use {}", storage.describe()))?;
            Some(ImageStore::new(storage))
        }
    };
    let opts = SeedOptions {
        users: args.users as usize,
        listings: args.listings as usize,
        images: args.images,
        seed: args.seed,
        password: args.password.clone(),
    };
    let started = Instant::now();
    let mut bar = ProgressBar::new(std::io::stderr().is_terminal());
    let result =
        marktchat_services::seed::seed(&db, store.as_ref(), &opts, &mut |stage, done, total| {
            bar.update(stage, done, total)
        })
        .await;
    bar.finish();
    // Closing the pool checkpoints SQLite's WAL into the database file now.
    db.pool().close().await;
    let report = result.map_err(|e| match (e.problem_for(marktchat_shared::Field::Password), e) {
        (Some(problem), _) => anyhow::anyhow!("--password: {problem}"),
        // Messages for the operator, as they are.
        (None, Error::Refused(message)) => anyhow::anyhow!(message),
        (None, other) => other.into(),
    });
    let report = if args.images {
        report.with_context(|| format!("images go to {}", args.data.data_dir.display()))?
    } else {
        report?
    };
    eprintln!("{}", summary(&report, started.elapsed()));
    if let (Some((first, last)), Some(password)) = (&report.emails, &report.password) {
        let who = if first == last { first.clone() } else { format!("{first} … {last}") };
        println!("Log in as {who} with the password: {password}");
    }
    Ok(())
}

/// "Seeded 1,000 users, 100,000 listings and 16 images (149,812 on listings) in 8.2 s".
fn summary(r: &SeedReport, elapsed: Duration) -> String {
    let mut parts = Vec::new();
    if r.users > 0 {
        parts.push(format!("{} users", thousands(r.users)));
    }
    parts.push(format!("{} listings", thousands(r.listings)));
    if r.images > 0 {
        parts.push(format!(
            "{} images ({} on listings)",
            thousands(r.images),
            thousands(r.listing_images)
        ));
    }
    let list = match parts.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => parts.join(""),
    };
    format!("Seeded {list} in {:.1} s", elapsed.as_secs_f64())
}

/// 100000 → "100,000" (the command line speaks English).
fn thousands(n: usize) -> String {
    marktchat_shared::Language::En.number(n as u64)
}

/// A progress bar on stderr, redrawn at most ten times a second:
/// `listings [############------------------]  45,000/100,000`. When stderr is not a
/// terminal (logs, CI) it prints one line per finished stage instead.
struct ProgressBar {
    terminal: bool,
    stage: Option<Stage>,
    stage_started: Instant,
    last_drawn: Option<Instant>,
}

impl ProgressBar {
    const WIDTH: usize = 30;

    fn new(terminal: bool) -> Self {
        ProgressBar { terminal, stage: None, stage_started: Instant::now(), last_drawn: None }
    }

    fn update(&mut self, stage: Stage, done: usize, total: usize) {
        if self.stage != Some(stage) {
            self.end_line();
            self.stage = Some(stage);
            self.stage_started = Instant::now();
            self.last_drawn = None;
        }
        let finished = done >= total;
        if !self.terminal {
            if finished {
                eprintln!(
                    "{}: {} done in {:.1} s",
                    label(stage),
                    thousands(total),
                    self.stage_started.elapsed().as_secs_f64()
                );
            }
            return;
        }
        if !finished && self.last_drawn.is_some_and(|t| t.elapsed() < Duration::from_millis(100)) {
            return;
        }
        self.last_drawn = Some(Instant::now());
        let filled = (done.min(total) * Self::WIDTH).checked_div(total).unwrap_or(Self::WIDTH);
        let mut err = std::io::stderr().lock();
        // A failed write to the terminal is no reason to stop seeding.
        let _ = write!(
            err,
            "\r{:<8} [{}{}] {:>w$}/{}",
            label(stage),
            "#".repeat(filled),
            "-".repeat(Self::WIDTH - filled),
            thousands(done),
            thousands(total),
            w = thousands(total).len()
        );
        let _ = err.flush();
    }

    /// Ends the bar's line, if one is drawn.
    fn end_line(&mut self) {
        if self.terminal && self.stage.is_some() {
            eprintln!();
        }
    }

    fn finish(&mut self) {
        self.end_line();
        self.stage = None;
    }
}

fn label(stage: Stage) -> &'static str {
    match stage {
        Stage::Images => "images",
        Stage::Users => "users",
        Stage::Listings => "listings",
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_get_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn summary_names_what_was_made() {
        let report = SeedReport {
            users: 1000,
            listings: 100_000,
            images: 16,
            listing_images: 149_812,
            emails: None,
            password: None,
        };
        assert_eq!(
            summary(&report, Duration::from_millis(8240)),
            "Seeded 1,000 users, 100,000 listings and 16 images (149,812 on listings) in 8.2 s"
        );
        let only = SeedReport { users: 0, images: 0, listing_images: 0, listings: 5, ..report };
        assert_eq!(summary(&only, Duration::from_secs(1)), "Seeded 5 listings in 1.0 s");
    }
}
