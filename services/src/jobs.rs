//! Periodic jobs that one instance runs for all: every instance asks on its own timer,
//! and the first to [`claim`] a job for its period runs it; the others skip it. A claim
//! is one statement (an upsert that only moves the start time forward once the period
//! has passed), so two instances cannot both win, on SQLite or PostgreSQL, and no lock
//! is held while the job runs. If the winner dies mid-job, the next period's claim
//! goes to whoever asks first.

use crate::clock::now;
use crate::db::Database;
use crate::error::Result;
use std::time::Duration;

/// Claims `job` for this period of `every`: `true` if this instance should run it now.
pub async fn claim(db: &Database, job: &str, every: Duration) -> Result<bool> {
    let t = now().millis();
    let every = i64::try_from(every.as_millis()).unwrap_or(i64::MAX);
    let done = sqlx::query(
        "INSERT INTO job_runs (name, started_at) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET started_at = excluded.started_at
         WHERE job_runs.started_at <= $3",
    )
    .bind(job)
    .bind(t)
    .bind(t.saturating_sub(every))
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Backend;
    use marktchat_test_macros::db_test;

    #[db_test]
    async fn one_claim_per_period_whoever_asks(backend: Backend) {
        let (db, _dir) = crate::db::test_db(backend).await;
        let hour = Duration::from_secs(3600);
        // Two instances asking at once: exactly one wins.
        let (a, b) = tokio::join!(claim(&db, "sweep", hour), claim(&db, "sweep", hour));
        assert!(a.unwrap() ^ b.unwrap(), "exactly one of two simultaneous claims wins");
        assert!(!claim(&db, "sweep", hour).await.unwrap(), "not again within the hour");
        assert!(claim(&db, "other", hour).await.unwrap(), "jobs are claimed separately");
        // Once the period has passed, the next claim wins again.
        sqlx::query("UPDATE job_runs SET started_at = started_at - 3600001 WHERE name = 'sweep'")
            .execute(db.pool())
            .await
            .unwrap();
        assert!(claim(&db, "sweep", hour).await.unwrap());
        assert!(!claim(&db, "sweep", hour).await.unwrap());
    }
}
