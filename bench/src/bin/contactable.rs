//! `marktchat-contactable`: "whom may this user contact", first page of 50, among many
//! users (`ContactRules::contactable`, what `/sync/users/{id}/contactable` answers),
//! beside the bare query for the same page without any rule.
//!
//! Seeds the database first: users with 1–4 tags drawn Zipf-like from 200 place tags
//! and 30 team tags, and 100 rules (a place or a team reaches a few places). Prints
//! progress on stderr and the results as `key=value` lines on stdout.

use clap::Parser;
use marktchat_services::audit::Actor;
use marktchat_services::contact_rules::{ContactRules, RuleDraft};
use marktchat_services::Database;
use marktchat_shared::UserId;
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Args {
    /// A fresh database (it is filled).
    #[arg(long)]
    database_url: String,
    #[arg(long, default_value_t = 1_000_000)]
    users: usize,
    /// How many actors are timed (each several times).
    #[arg(long, default_value_t = 20)]
    actors: usize,
}

/// A small deterministic generator (xorshift), so every run has the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Zipf-like: rank r with weight 1/r, by inverse transform on the harmonic sum.
    fn zipf(&mut self, n: usize) -> usize {
        let h: f64 = (1..=n).map(|r| 1.0 / r as f64).sum();
        let mut x = (self.next() % 1_000_000) as f64 / 1_000_000.0 * h;
        for r in 1..=n {
            x -= 1.0 / r as f64;
            if x <= 0.0 {
                return r - 1;
            }
        }
        n - 1
    }
}

fn place(i: usize) -> String {
    format!("Place{i:03}")
}
fn team(i: usize) -> String {
    format!("Team{i:02}")
}

async fn seed(db: &Database, users: usize, rng: &mut Rng) -> anyhow::Result<Vec<UserId>> {
    let started = Instant::now();
    let mut ids = Vec::with_capacity(users);
    let now = 1_700_000_000_000i64;
    for chunk_start in (0..users).step_by(500) {
        let n = 500.min(users - chunk_start);
        let mut tx = db.begin().await?;
        let mut user_rows = Vec::with_capacity(n);
        let mut tag_rows = Vec::new();
        for k in 0..n {
            let i = chunk_start + k;
            let id = format!("{:08x}-0000-4000-8000-{:012x}", rng.next() as u32, i);
            let mut tags = vec![place(rng.zipf(200))];
            for _ in 0..rng.below(3) {
                let t = if rng.below(2) == 0 { place(rng.zipf(200)) } else { team(rng.zipf(30)) };
                if !tags.contains(&t) {
                    tags.push(t);
                }
            }
            for t in tags {
                tag_rows.push(format!("('{id}', '{t}')"));
            }
            user_rows.push(format!(
                "('{id}', '{id}@example.test', 'User {i}', 'user {i}', '!', 'user', 'de', 1, {now}, {now})"
            ));
            ids.push(UserId(id));
        }
        // Generated here, not typed by anyone: literal values keep the seeding fast.
        sqlx::query(&format!(
            "INSERT INTO users (id, email, display_name, name_key, password_hash, role, language,
                                notify_messages, created_at, updated_at) VALUES {}",
            user_rows.join(", ")
        ))
        .execute(&mut *tx)
        .await?;
        sqlx::query(&format!(
            "INSERT INTO user_tags (user_id, tag) VALUES {}",
            tag_rows.join(", ")
        ))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        if (chunk_start / 500) % 200 == 0 {
            eprintln!("  {} of {users} users ({:.0?})", chunk_start + n, started.elapsed());
        }
    }
    Ok(ids)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let db = Database::connect(&args.database_url).await?;
    db.migrate().await?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    eprintln!("Seeding {} users with tags", args.users);
    let ids = seed(&db, args.users, &mut rng).await?;
    let rules = ContactRules::new(&db);
    let actor = Actor::Operator;
    for r in 0..100 {
        let from = if r % 3 == 0 { team(r % 30) } else { place(rng.zipf(200)) };
        let outcome: Vec<String> = (0..1 + rng.below(3)).map(|_| place(rng.below(200))).collect();
        let mut outcome_unique = outcome.clone();
        outcome_unique.sort();
        outcome_unique.dedup();
        let draft = RuleDraft::check(&format!("hasTag({from})"), &outcome_unique, None)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        rules.create_rule(&actor, draft).await?;
    }
    rules.set_restrictions(&actor, true).await?;
    eprintln!("Timing contactable for {} actors", args.actors);
    let mut ours = Vec::new();
    let mut bare = Vec::new();
    let mut found = 0usize;
    for a in 0..args.actors {
        let me = &ids[rng.below(ids.len())];
        // Warm: the compiled rules are cached after the first call.
        let (page, _) = rules.contactable(me, 50, None).await?;
        found += page.len();
        for _ in 0..5 {
            let t = Instant::now();
            rules.contactable(me, 50, None).await?;
            ours.push(t.elapsed());
            let t = Instant::now();
            let _: Vec<(String, String)> = sqlx::query_as(
                "SELECT id, display_name FROM users WHERE id <> $1 AND id > $2 ORDER BY id LIMIT $3",
            )
            .bind(&me.0)
            .bind("")
            .bind(51i64)
            .fetch_all(db.pool())
            .await?;
            bare.push(t.elapsed());
        }
        if a % 5 == 0 {
            eprintln!("  actor {a}: {} contactable on the first page", page.len());
        }
    }
    let (ours, bare) = (median(ours), median(bare));
    println!("users={}", args.users);
    println!("actors={}", args.actors);
    println!("found_per_page={:.1}", found as f64 / args.actors as f64);
    println!("ours_ms={:.3}", ours.as_secs_f64() * 1000.0);
    println!("bare_ms={:.3}", bare.as_secs_f64() * 1000.0);
    Ok(())
}
