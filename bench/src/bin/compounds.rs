//! `marktchat-compounds`: what finding compound words by their parts costs
//! (`shared::search::compound_parts`: "Helm" finds "Fahrradhelm"). On a seeded
//! database it measures word searches (a page of 20 and the count, as the search page
//! runs them) and the size of the index text, first as stored (with the parts), then
//! after rewriting every listing's index text without them: the baseline, in the same
//! run, on the same data. Prints progress on stderr and `key=value` lines on stdout.

use clap::Parser;
use marktchat_services::listings::Listings;
use marktchat_services::Database;
use marktchat_shared::search::{index_text, ResultCount, Search, SearchParams};
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Args {
    /// A seeded database (`marktchat seed`); its index text is rewritten.
    #[arg(long)]
    database_url: String,
    /// Timed runs per word (the median is reported).
    #[arg(long, default_value_t = 15)]
    runs: usize,
}

/// Parts of compounds people search for, and plain words for comparison.
const WORDS: &[&str] = &["helm", "stuhl", "tisch", "lampe", "schrank", "rad", "kinderwagen"];

#[derive(Debug, Default)]
struct Measured {
    /// Per word: median time of page + count, and the count.
    words: Vec<(Duration, String)>,
    index_bytes: i64,
}

async fn measure(db: &Database, listings: &Listings<'_>, runs: usize) -> anyhow::Result<Measured> {
    let mut out = Measured::default();
    for word in WORDS {
        let params = SearchParams { q: (*word).to_owned(), ..SearchParams::default() };
        let search = Search::parse(&params).map_err(|p| anyhow::anyhow!("{p}"))?;
        let mut times = Vec::with_capacity(runs);
        let mut count = String::new();
        for _ in 0..runs {
            let start = Instant::now();
            let page = listings.search_counted(&search, 20).await?;
            times.push(start.elapsed());
            count = match page.count {
                Some(ResultCount::Exactly(n)) => n.to_string(),
                Some(ResultCount::MoreThan(n)) => format!("more than {n}"),
                None => "?".into(),
            };
        }
        times.sort();
        out.words.push((times[times.len() / 2], count));
    }
    let (bytes,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(LENGTH(search_text)), 0) AS BIGINT) FROM listings",
    )
    .fetch_one(db.pool())
    .await?;
    out.index_bytes = bytes;
    Ok(out)
}

/// Rewrites every listing's index text as it was before compound parts: the words only.
async fn drop_parts(db: &Database) -> anyhow::Result<usize> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, title, description FROM listings").fetch_all(db.pool()).await?;
    let mut tx = db.pool().begin().await?;
    for (id, title, description) in &rows {
        sqlx::query("UPDATE listings SET search_text = $1 WHERE id = $2")
            .bind(index_text(&format!("{title}\n{description}")))
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(rows.len())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let db = Database::connect(&args.database_url).await?;
    db.migrate().await?;
    let listings = Listings::new(&db);
    eprintln!("searching {} words, {} runs each, with compound parts …", WORDS.len(), args.runs);
    let with = measure(&db, &listings, args.runs).await?;
    eprintln!("rewriting the index text without them …");
    let n = drop_parts(&db).await?;
    eprintln!("searching again ({n} listings) …");
    let without = measure(&db, &listings, args.runs).await?;
    println!("listings={n}");
    println!("index_bytes_with={}", with.index_bytes);
    println!("index_bytes_without={}", without.index_bytes);
    for (i, word) in WORDS.iter().enumerate() {
        let ((t_with, c_with), (t_without, c_without)) = (&with.words[i], &without.words[i]);
        println!("word={word} with_ms={:.2} without_ms={:.2} with_count={c_with} without_count={c_without}",
            t_with.as_secs_f64() * 1e3, t_without.as_secs_f64() * 1e3);
    }
    Ok(())
}
