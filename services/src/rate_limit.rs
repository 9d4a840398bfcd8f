//! Login attempt limits: failed attempts are counted per account and per client
//! address in a sliding window; past the limit, attempts are refused (even with the
//! right password) until the oldest failure leaves the window.
//!
//! Kept in memory: a restart forgets the counts, and several server instances count
//! separately. Both are acceptable for a brute-force brake.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct LoginLimiter {
    window: Duration,
    max_per_account: usize,
    max_per_address: usize,
    failures: Mutex<HashMap<Key, VecDeque<Instant>>>,
}

#[derive(Clone, PartialEq, Eq, Hash)]
enum Key {
    Account(String),
    Address(IpAddr),
}

impl Default for LoginLimiter {
    fn default() -> Self {
        LoginLimiter::new(Duration::from_secs(15 * 60), 5, 50)
    }
}

impl LoginLimiter {
    pub fn new(window: Duration, max_per_account: usize, max_per_address: usize) -> Self {
        LoginLimiter {
            window,
            max_per_account,
            max_per_address,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(retry_after)` when either the account or the address is over its limit.
    pub fn check(&self, account: &str, address: Option<IpAddr>) -> Result<(), Duration> {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let mut wait = Duration::ZERO;
        let mut keys = vec![(Key::Account(account.to_owned()), self.max_per_account)];
        if let Some(a) = address {
            keys.push((Key::Address(a), self.max_per_address));
        }
        for (key, max) in keys {
            if let Some(q) = map.get_mut(&key) {
                prune(q, now, self.window);
                if q.len() >= max {
                    if let Some(oldest) = q.front() {
                        wait = wait.max(self.window.saturating_sub(now - *oldest));
                    }
                }
            }
        }
        if wait.is_zero() {
            Ok(())
        } else {
            Err(wait.max(Duration::from_secs(1)))
        }
    }

    pub fn record_failure(&self, account: &str, address: Option<IpAddr>) {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            let window = self.window;
            map.retain(|_, q| {
                prune(q, now, window);
                !q.is_empty()
            });
        }
        map.entry(Key::Account(account.to_owned())).or_default().push_back(now);
        if let Some(a) = address {
            map.entry(Key::Address(a)).or_default().push_back(now);
        }
    }

    /// A successful login clears the account's failures (not the address's).
    pub fn record_success(&self, account: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&Key::Account(account.to_owned()));
    }
}

fn prune(q: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while q.front().is_some_and(|t| now.duration_since(*t) >= window) {
        q.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_account_and_address() {
        let l = LoginLimiter::new(Duration::from_secs(60), 3, 5);
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..3 {
            assert!(l.check("a@x.de", Some(ip)).is_ok());
            l.record_failure("a@x.de", Some(ip));
        }
        let wait = l.check("a@x.de", Some(ip)).unwrap_err();
        assert!(wait <= Duration::from_secs(60) && wait >= Duration::from_secs(1));
        // another account from the same address still has room…
        assert!(l.check("b@x.de", Some(ip)).is_ok());
        l.record_failure("b@x.de", Some(ip));
        l.record_failure("c@x.de", Some(ip));
        // …until the address limit (5) is reached
        assert!(l.check("d@x.de", Some(ip)).is_err());
        let other: IpAddr = "10.0.0.2".parse().unwrap();
        assert!(l.check("d@x.de", Some(other)).is_ok());
    }

    #[test]
    fn success_clears_the_account_and_window_expires() {
        let l = LoginLimiter::new(Duration::from_millis(50), 2, 100);
        l.record_failure("a@x.de", None);
        l.record_success("a@x.de");
        l.record_failure("a@x.de", None);
        assert!(l.check("a@x.de", None).is_ok());
        l.record_failure("a@x.de", None);
        assert!(l.check("a@x.de", None).is_err());
        std::thread::sleep(Duration::from_millis(60));
        assert!(l.check("a@x.de", None).is_ok());
    }
}
