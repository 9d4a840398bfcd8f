//! `marktchat export` and `marktchat import`: `services::transfer` with a progress bar
//! per table (indicatif; plain lines when stderr is not a terminal) and the counts at
//! the end.

use crate::cli::{ExportArgs, ImportArgs};
use crate::startup::redact;
use anyhow::Context;
use marktchat_services::storage::Storage;
use marktchat_services::transfer::{self, Moved, Progress};
use marktchat_services::Database;
use std::io::IsTerminal;

/// One bar per stage, or a line per stage where nothing can be drawn.
struct Bars {
    bar: Option<indicatif::ProgressBar>,
    terminal: bool,
    stage: String,
    started: std::time::Instant,
}

impl Bars {
    fn new() -> Bars {
        Bars {
            bar: None,
            terminal: std::io::stderr().is_terminal(),
            stage: String::new(),
            started: std::time::Instant::now(),
        }
    }

    fn finish_stage(&mut self) {
        if let Some(bar) = self.bar.take() {
            if self.terminal {
                bar.finish();
            } else {
                eprintln!(
                    "{}: {} in {:.1} s",
                    self.stage,
                    bar.position(),
                    self.started.elapsed().as_secs_f64()
                );
            }
        }
    }
}

impl Progress for Bars {
    fn stage(&mut self, name: &str, total: u64) {
        self.finish_stage();
        let bar = if self.terminal {
            indicatif::ProgressBar::new(total)
        } else {
            indicatif::ProgressBar::hidden()
        };
        bar.set_length(total);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{prefix:>26} [{bar:30}] {human_pos}/{human_len} ({per_sec}, {eta} left)",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar.set_prefix(name.to_owned());
        self.stage = name.to_owned();
        self.started = std::time::Instant::now();
        self.bar = Some(bar);
    }

    fn advance(&mut self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }
}

fn summary(what: &str, moved: &Moved) {
    let rows: u64 = moved.counts.values().sum();
    eprintln!(
        "{what}: {rows} rows in {} tables, {} files; every count checked",
        moved.counts.len(),
        moved.files
    );
    for (table, n) in &moved.counts {
        eprintln!("  {table:>26}: {n}");
    }
}

async fn open(database_url: &str) -> anyhow::Result<Database> {
    let db = Database::connect(database_url)
        .await
        .map_err(|e| anyhow::anyhow!("cannot open {}: {}", redact(database_url), e.report()))?;
    db.migrate()
        .await
        .map_err(|e| anyhow::anyhow!("cannot migrate the database: {}", e.report()))?;
    Ok(db)
}

pub async fn export(args: ExportArgs) -> anyhow::Result<()> {
    let db = open(&args.database.database_url).await?;
    let storage = Storage::open(args.data.storage_url.as_deref(), &args.data.data_dir)?;
    let file =
        std::fs::OpenOptions::new().write(true).create_new(true).open(&args.out).with_context(
            || format!("cannot create {} (it must not exist yet)", args.out.display()),
        )?;
    let mut out = std::io::BufWriter::new(file);
    let mut bars = Bars::new();
    let moved = transfer::export(&db, &storage, &mut out, args.sessions, &mut bars).await;
    bars.finish_stage();
    let moved = moved.map_err(|e| {
        let _ = std::fs::remove_file(&args.out);
        anyhow::anyhow!("the export failed (nothing written): {}", e.report())
    })?;
    summary(&format!("exported to {}", args.out.display()), &moved);
    Ok(())
}

pub async fn import(args: ImportArgs) -> anyhow::Result<()> {
    let file = std::fs::File::open(&args.input)
        .with_context(|| format!("cannot read {}", args.input.display()))?;
    let db = open(&args.database.database_url).await?;
    let storage = Storage::open(args.data.storage_url.as_deref(), &args.data.data_dir)?;
    storage
        .check()
        .await
        .with_context(|| format!("cannot store files in {}", storage.describe()))?;
    let mut bars = Bars::new();
    let moved = transfer::import(&db, &storage, std::io::BufReader::new(file), &mut bars).await;
    bars.finish_stage();
    let moved = moved.map_err(|e| anyhow::anyhow!("the import failed: {}", e.report()))?;
    summary(&format!("imported into {}", redact(&args.database.database_url)), &moved);
    Ok(())
}
