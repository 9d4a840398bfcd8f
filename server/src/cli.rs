//! The operator's command line. Command and option names are a contract: docs and
//! scripts rely on them.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;

#[derive(Debug, Parser)]
#[command(
    name = "marktchat",
    version,
    about = "marktchat — self-hostable classifieds marketplace with built-in chat",
    long_about = "marktchat — self-hostable classifieds marketplace with built-in chat.\n\n\
                  Without a command, `marktchat` runs `marktchat serve`.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (the default). Migrates the database first.
    Serve(Box<ServeArgs>),
    /// Create or update the database schema, then exit.
    Migrate(DatabaseArgs),
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Fill the database with realistic demo users and listings (for a first look and
    /// for benchmarks). Migrates the database first.
    Seed(SeedArgs),
    /// Manage Sync API clients (machine access with bearer tokens).
    #[command(subcommand)]
    ApiClient(ApiClientCommand),
    /// Switch interaction restrictions on (only contact rules allow new conversations)
    /// or off (anyone may contact anyone). Migrates the database first.
    Restrictions {
        #[arg(value_enum)]
        state: Switch,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Print the paths of every page the app has (`/users/{id}`, …), one per line, as
    /// the router declares them. The browser tests open each of them.
    Routes,
    /// Write the whole installation (every table, every uploaded file) to one file, to
    /// move it to another database or storage with `import`. Reads one snapshot; stop
    /// the server(s) first to leave nothing behind.
    Export(ExportArgs),
    /// Read an export into an empty installation (a fresh database; the storage may
    /// hold files already). Migrates the database first; checks every count at the end.
    Import(ImportArgs),
}

#[derive(Debug, Clone, Args)]
#[command(after_help = "Example, SQLite to PostgreSQL:\n  \
    marktchat export --out site.jsonl\n  \
    marktchat import --in site.jsonl --database-url postgres://marktchat@db/marktchat")]
pub struct ExportArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(flatten)]
    pub data: DataDirArgs,
    /// The file to write (JSON Lines; an existing file is not overwritten).
    #[arg(long, value_name = "FILE")]
    pub out: std::path::PathBuf,
    /// Carry the sessions too: whoever is logged in stays logged in after the move.
    #[arg(long)]
    pub sessions: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(flatten)]
    pub data: DataDirArgs,
    /// The export to read.
    #[arg(long = "in", value_name = "FILE")]
    pub input: std::path::PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum ApiClientCommand {
    /// Create a client. Prints its token as the last line: it is shown only now.
    Create {
        #[arg(long)]
        name: String,
        /// Comma-separated: TAG_RULE_READ, TAG_RULE_WRITE, USER_READ, USER_WRITE.
        #[arg(long)]
        scopes: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Revoke a client: its token stops working at once.
    Revoke {
        #[arg(long)]
        name: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Switch {
    Enable,
    Disable,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. Prints the new user's id (a UUID) as the last line.
    Create(CreateUser),
}

#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// Database URL: sqlite://FILE (created when missing) or postgres://USER@HOST/DB.
    #[arg(long, env = "MARKTCHAT_DATABASE_URL", default_value = "sqlite://data/marktchat.db")]
    pub database_url: String,
}

#[derive(Debug, Clone, Args)]
pub struct DataDirArgs {
    /// Directory for uploaded files (listing images live in its `images/`).
    #[arg(long, env = "MARKTCHAT_DATA_DIR", default_value = "data")]
    pub data_dir: std::path::PathBuf,
    /// Keep uploaded files in an S3-compatible store instead of --data-dir
    /// (s3://bucket or s3://bucket/prefix), so that instances share no disk. Configured
    /// by AWS_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION and
    /// AWS_ALLOW_HTTP=true for an http:// endpoint.
    #[arg(long, env = "MARKTCHAT_STORAGE_URL", value_name = "URL")]
    pub storage_url: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "MARKTCHAT_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(flatten)]
    pub data: DataDirArgs,
    /// Directory of the built front end (contains pkg/). Also read from LEPTOS_SITE_ROOT,
    /// which `cargo leptos` sets.
    #[arg(long, env = "MARKTCHAT_SITE_ROOT")]
    pub site_root: Option<String>,
    /// Public base URL, e.g. https://markt.example.org (https makes cookies Secure).
    #[arg(long, env = "MARKTCHAT_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Believe X-Forwarded-For (client address) and X-Forwarded-Proto (HTTPS): only
    /// behind your own proxy, which must overwrite or append to them.
    #[arg(long, env = "MARKTCHAT_TRUST_PROXY")]
    pub trust_proxy: bool,
    /// With --trust-proxy: how many proxies of yours stand in front of marktchat. The
    /// client address is that many entries from the right of X-Forwarded-For.
    #[arg(long, env = "MARKTCHAT_TRUSTED_HOPS", default_value_t = 1,
          value_parser = clap::value_parser!(u16).range(1..=10))]
    pub trusted_hops: u16,
    /// New accounts allowed per client address and hour.
    #[arg(long, env = "MARKTCHAT_REGISTRATIONS_PER_HOUR", default_value_t = 20,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub registrations_per_hour: u32,
    /// Chat messages allowed per user and minute (all their tabs together).
    #[arg(long, env = "MARKTCHAT_MESSAGES_PER_MINUTE", default_value_t = 60,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub messages_per_minute: u32,
    /// Sync API requests allowed per API client and minute; past it, 429.
    #[arg(long, env = "MARKTCHAT_SYNC_REQUESTS_PER_MINUTE", default_value_t = 600,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub sync_requests_per_minute: u32,
    /// Serve HTTPS and wss:// with this certificate chain (PEM, the server's certificate
    /// first). Needs --tls-key. Behind a proxy that does TLS, leave both out and use
    /// --trust-proxy.
    #[arg(long, env = "MARKTCHAT_TLS_CERT", value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<std::path::PathBuf>,
    /// The private key of --tls-cert (PEM: PKCS#8, PKCS#1 or SEC1). Needs --tls-cert.
    #[arg(long, env = "MARKTCHAT_TLS_KEY", value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<std::path::PathBuf>,
    /// The help bot's knowledge base, a TOML file (intents with example phrasings and
    /// answers in German and English). Without it, the built-in one is used. Checked
    /// at start: a broken file stops the server with the reason.
    #[arg(long, env = "MARKTCHAT_BOT_KNOWLEDGE", value_name = "FILE")]
    pub bot_knowledge: Option<std::path::PathBuf>,
    /// Minutes without a message after which a help-bot chat ends.
    #[arg(long, env = "MARKTCHAT_BOT_IDLE_MINUTES", default_value_t = 15,
          value_parser = clap::value_parser!(u32).range(1..=1440))]
    pub bot_idle_minutes: u32,
    /// Help-bot chats open at once from one client address.
    #[arg(long, env = "MARKTCHAT_BOT_CHATS_PER_ADDRESS", default_value_t = 20,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub bot_chats_per_address: u32,
    /// Help-bot messages allowed per client address and minute (all its chats).
    #[arg(long, env = "MARKTCHAT_BOT_MESSAGES_PER_MINUTE", default_value_t = 300,
          value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    pub bot_messages_per_minute: u32,
    /// Several instances: carry live events between them over NATS
    /// (nats://host:4222; several servers separated by commas). Without it, events stay
    /// in this process. Use with PostgreSQL.
    #[arg(long, env = "MARKTCHAT_NATS_URL", value_name = "URL")]
    pub nats_url: Option<String>,
    /// The NATS subject this installation's events travel on (one per installation
    /// sharing a NATS server).
    #[arg(
        long,
        env = "MARKTCHAT_NATS_SUBJECT",
        default_value = "marktchat.events",
        requires = "nats_url"
    )]
    pub nats_subject: String,
    /// A secret of at least 32 characters, the same on every instance: limits that
    /// count client addresses store a keyed hash of the address, never the address.
    /// Needed with PostgreSQL (where limits are counted for all instances together).
    #[arg(long, env = "MARKTCHAT_LIMIT_SECRET", value_name = "SECRET", hide_env_values = true)]
    pub limit_secret: Option<String>,
    /// The most live sockets (/ws) this instance keeps open; past it a new one is
    /// closed at once with code 4002.
    #[arg(long, env = "MARKTCHAT_MAX_SOCKETS", default_value_t = 50_000,
          value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    pub max_sockets: u32,
    /// Send mail (password reset links, notices) through this SMTP server:
    /// smtp://host:25 (plain), smtp://user:password@host:587?tls=required (STARTTLS),
    /// smtps://user:password@host (TLS). Without it, mails are written to the log.
    #[arg(long, env = "MARKTCHAT_SMTP_URL", value_name = "URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The sender of mails, e.g. "Markt <noreply@markt.example>".
    #[arg(
        long,
        env = "MARKTCHAT_MAIL_FROM",
        value_name = "ADDRESS",
        default_value = "marktchat <noreply@localhost>"
    )]
    pub mail_from: String,
}

#[derive(Debug, Clone, Args)]
pub struct CreateUser {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// E-mail address (the login).
    #[arg(long)]
    pub email: String,
    /// Display name.
    #[arg(long)]
    pub name: String,
    /// Password (at least 10 characters).
    #[arg(long)]
    pub password: String,
    /// Make the user an administrator.
    #[arg(long)]
    pub admin: bool,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = "Demo users are demo1@example.org, demo2@example.org, … (numbering \
                        continues after the demo users already there); they all share one \
                        password, printed at the end.\n\n\
                        Example: marktchat seed --users 1000 --listings 100000 --images")]
pub struct SeedArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(flatten)]
    pub data: DataDirArgs,
    /// How many demo users to create. With 0, listings go to the users already there.
    #[arg(
        long,
        value_name = "N",
        allow_negative_numbers = true,
        default_value_t = 20,
        value_parser = clap::value_parser!(u32).range(0..=1_000_000)
    )]
    pub users: u32,
    /// How many listings to create, spread over the new demo users.
    #[arg(
        long,
        value_name = "M",
        allow_negative_numbers = true,
        default_value_t = 500,
        value_parser = clap::value_parser!(u32).range(0..=10_000_000)
    )]
    pub listings: u32,
    /// Give listings 0–3 generated pictures (stored under --data-dir).
    #[arg(long)]
    pub images: bool,
    /// Random seed: the same seed gives the same data on a fresh database.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// The demo users' password (default: a random one, printed at the end).
    #[arg(long)]
    pub password: Option<String>,
}

impl ServeArgs {
    pub fn site_root(&self) -> String {
        self.site_root
            .clone()
            .or_else(|| std::env::var("LEPTOS_SITE_ROOT").ok())
            .unwrap_or_else(|| "target/site".to_owned())
    }

    /// The certificate and key to serve HTTPS with, if both are given (clap refuses
    /// one without the other).
    pub fn tls(&self) -> Option<crate::tls::TlsFiles> {
        match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => {
                Some(crate::tls::TlsFiles { cert: cert.clone(), key: key.clone() })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn no_subcommand_means_serve() {
        let cli = Cli::try_parse_from(["marktchat", "--addr", "127.0.0.1:0"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.serve.addr.port(), 0);
    }

    #[test]
    fn tls_needs_both_files() {
        let both = ["marktchat", "serve", "--tls-cert", "c.pem", "--tls-key", "k.pem"];
        match Cli::try_parse_from(both).unwrap().command {
            Some(Command::Serve(s)) => {
                let tls = s.tls().expect("TLS on");
                assert_eq!((tls.cert.to_str(), tls.key.to_str()), (Some("c.pem"), Some("k.pem")));
            }
            other => panic!("unexpected {other:?}"),
        }
        let plain = Cli::try_parse_from(["marktchat", "serve"]).unwrap();
        assert!(matches!(plain.command, Some(Command::Serve(s)) if s.tls().is_none()));
        for half in [&["--tls-cert", "c.pem"], &["--tls-key", "k.pem"]] {
            for command in [&["marktchat", "serve"][..], &["marktchat"]] {
                let args = command.iter().chain(half.iter()).copied();
                let e = Cli::try_parse_from(args).expect_err("one file without the other");
                assert_eq!(e.kind(), clap::error::ErrorKind::MissingRequiredArgument, "{half:?}");
                let message = e.to_string();
                assert!(message.contains("--tls-"), "{message}");
            }
        }
    }

    #[test]
    fn user_create_parses() {
        let cli = Cli::try_parse_from([
            "marktchat",
            "user",
            "create",
            "--email",
            "a@b.de",
            "--name",
            "A B",
            "--password",
            "long enough pw",
            "--admin",
        ])
        .unwrap();
        match cli.command {
            Some(Command::User(UserCommand::Create(c))) => assert!(c.admin),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn seed_parses_and_checks_its_numbers() {
        let cli = Cli::try_parse_from([
            "marktchat",
            "seed",
            "--users",
            "1000",
            "--listings",
            "100000",
            "--images",
            "--seed",
            "42",
            "--data-dir",
            "/tmp/x",
        ])
        .unwrap();
        match cli.command {
            Some(Command::Seed(s)) => {
                assert_eq!((s.users, s.listings, s.images, s.seed), (1000, 100_000, true, 42));
                assert_eq!(s.data.data_dir, std::path::PathBuf::from("/tmp/x"));
                assert_eq!(s.password, None);
            }
            other => panic!("unexpected {other:?}"),
        }
        let defaults = Cli::try_parse_from(["marktchat", "seed"]).unwrap();
        match defaults.command {
            Some(Command::Seed(s)) => assert_eq!((s.users, s.listings, s.seed), (20, 500, 1)),
            other => panic!("unexpected {other:?}"),
        }
        for bad in [
            &["--users", "-1"][..],
            &["--users", "many"],
            &["--users", "1000001"],
            &["--listings", "10000001"],
            &["--seed", "x"],
            &["--images", "yes"],
        ] {
            let args = ["marktchat", "seed"].into_iter().chain(bad.iter().copied());
            assert!(Cli::try_parse_from(args).is_err(), "{bad:?}");
        }
    }
}
