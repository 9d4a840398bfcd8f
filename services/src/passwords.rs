//! Password hashing (Argon2id) with a bound on the machine it may use.
//!
//! One hash takes about 19 MiB and tens of milliseconds of one core. Unbounded, a few
//! hundred parallel logins (anonymous, cheap to send) would allocate gigabytes. So at
//! most `concurrent` hashes run at a time (about one per core), at most `queue` more
//! wait for a turn, and anything beyond that is refused at once with [`Error::Busy`]
//! (HTTP 503 with `Retry-After`), before it costs anything.

use crate::error::{Error, Result};
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, SaltString};
use argon2::{Argon2, PasswordVerifier};
use marktchat_shared::Password;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::Semaphore;

/// How long a refused request is told to wait before trying again.
const RETRY_AFTER: Duration = Duration::from_secs(2);
/// The longest a queued hash waits for its turn before it is refused.
const MAX_WAIT: Duration = Duration::from_secs(5);

/// The gate every password hash and check goes through. Cheap to clone.
#[derive(Clone)]
pub struct Hasher {
    running: Arc<Semaphore>,
    /// Hashes running or waiting.
    admitted: Arc<AtomicUsize>,
    max_admitted: usize,
    /// The threads that hash: always the same few, so the memory a hash leaves with
    /// the allocator (glibc keeps a 19 MiB block per thread arena) is bounded by
    /// their number, not by how many threads a burst would have used.
    workers: std::sync::mpsc::Sender<Job>,
}

type Job = Box<dyn FnOnce() + Send>;

impl Hasher {
    /// `concurrent` hashes at a time, `queue` more waiting.
    pub fn new(concurrent: usize, queue: usize) -> Self {
        let concurrent = concurrent.max(1);
        let (workers, jobs) = std::sync::mpsc::channel::<Job>();
        let jobs = Arc::new(std::sync::Mutex::new(jobs));
        for i in 0..concurrent {
            let jobs = jobs.clone();
            let spawned = std::thread::Builder::new().name(format!("password-hash-{i}")).spawn(
                move || loop {
                    let job = jobs.lock().unwrap_or_else(|p| p.into_inner()).recv();
                    match job {
                        // A panicking hash fails its request (its answer is dropped),
                        // not the thread.
                        Ok(job) => {
                            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                        }
                        Err(_) => return, // every Hasher is gone
                    }
                },
            );
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a password hashing thread");
            }
        }
        Hasher {
            running: Arc::new(Semaphore::new(concurrent)),
            admitted: Arc::new(AtomicUsize::new(0)),
            max_admitted: concurrent + queue,
            workers,
        }
    }

    /// One hash per core, and a queue of four per core (a few hundred milliseconds).
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Hasher::new(cores, 4 * cores)
    }

    /// Hashes a new password (Argon2id with the crate's defaults: OWASP's m=19 MiB,
    /// t=2, p=1).
    pub async fn hash(&self, password: Password) -> Result<String> {
        self.run(move || {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(password.expose().as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| Error::internal("password hashing failed", e))
        })
        .await?
    }

    /// Whether `password` matches `hash`. With no hash (an unknown user) a dummy hash
    /// is checked, so the answer takes as long as for a real account.
    pub async fn verify(&self, password: String, hash: Option<String>) -> Result<bool> {
        static DUMMY: OnceLock<String> = OnceLock::new();
        self.run(move || {
            let real = hash.is_some();
            let hash = hash.unwrap_or_else(|| {
                DUMMY
                    .get_or_init(|| {
                        let salt = SaltString::generate(&mut OsRng);
                        Argon2::default()
                            .hash_password(b"not a real password", &salt)
                            .map(|h| h.to_string())
                            .unwrap_or_default()
                    })
                    .clone()
            });
            let parsed = PasswordHash::new(&hash)
                .map_err(|e| Error::internal("a stored password hash is unreadable", e))?;
            let ok = Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok();
            Ok(real && ok)
        })
        .await?
    }

    /// Runs `work` on a hashing thread once it is its turn; refuses at once when the
    /// queue is full, or after [`MAX_WAIT`] in it.
    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
        let admitted = self.admitted.fetch_add(1, Ordering::SeqCst);
        let _admission = Admission(&self.admitted);
        if admitted >= self.max_admitted {
            return Err(Error::Busy { retry_after: RETRY_AFTER });
        }
        let _turn = tokio::time::timeout(MAX_WAIT, self.running.acquire())
            .await
            .map_err(|_| Error::Busy { retry_after: RETRY_AFTER })?
            .map_err(|e| Error::internal("the password hashing queue is closed", e))?;
        let (done, result) = tokio::sync::oneshot::channel();
        self.workers
            .send(Box::new(move || {
                let _ = done.send(work());
            }))
            .map_err(|_| Error::inconsistent("the password hashing threads are gone"))?;
        result.await.map_err(|e| Error::internal("a password hashing task stopped", e))
    }
}

/// Leaves the count of admitted hashes when the request is done, however it ends.
struct Admission<'a>(&'a AtomicUsize);

impl Drop for Admission<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_queue_is_refused_at_once_and_nothing_is_lost() {
        let hasher = Hasher::new(1, 2);
        // Each piece of work holds its turn long enough for all twelve to arrive.
        let tasks: Vec<_> = (0..12)
            .map(|_| {
                let h = hasher.clone();
                tokio::spawn(async move {
                    h.run(|| std::thread::sleep(Duration::from_millis(300))).await
                })
            })
            .collect();
        let mut done = 0;
        let mut busy = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(()) => done += 1,
                Err(Error::Busy { .. }) => busy += 1,
                Err(e) => panic!("unexpected {e:?}"),
            }
        }
        assert_eq!((done, busy), (3, 9), "one running and two waiting; the rest refused");
        // the gate is open again afterwards, and hashing works through it
        let password = Password::parse("a long enough secret", None).unwrap();
        let hash = hasher.hash(password).await.unwrap();
        assert!(hasher.verify("a long enough secret".into(), Some(hash.clone())).await.unwrap());
        assert!(!hasher.verify("wrong".into(), Some(hash)).await.unwrap());
        assert!(!hasher.verify("a long enough secret".into(), None).await.unwrap());
    }
}
