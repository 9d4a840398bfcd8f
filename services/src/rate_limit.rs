//! Attempt limits in sliding windows: logins per account and per address, wrong
//! current passwords per account, registrations per address, uploaded images per user.
//!
//! Checking and counting are one step ([`SlidingWindow::reserve`]), so a burst of
//! simultaneous attempts cannot all pass the check before any is counted. A
//! [`Reservation`] that is not [`kept`](Reservation::keep) is given back when dropped:
//! an attempt that was never judged (the server was busy) or that succeeded does not
//! count against anyone.
//!
//! Addresses are counted per IPv4 address and per IPv6 /64 network ([`AddressKey`]):
//! one IPv6 client usually has a whole /64 to pick addresses from.
//!
//! The help bot's limits count visitors by a keyed hash of the address
//! ([`VisitorKey`]), never by the address itself.
//!
//! Kept in memory: a restart forgets the counts, and several server instances count
//! separately. Both are acceptable for a brute-force brake.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Keys past which old, empty entries are swept out (bounds the memory of the maps).
const SWEEP_AT: usize = 100_000;

/// A client address as limits count it: IPv4 as is, IPv6 by its /64 network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AddressKey(IpAddr);

impl From<IpAddr> for AddressKey {
    fn from(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(_) => AddressKey(ip),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => AddressKey(IpAddr::V4(v4)),
                None => {
                    let network = u128::from(v6) & !((1u128 << 64) - 1);
                    AddressKey(IpAddr::V6(Ipv6Addr::from(network)))
                }
            },
        }
    }
}

/// A help-bot visitor as the bot's limits count them: a keyed hash of their
/// [`AddressKey`], the key random per process and never stored. The address itself
/// stays with the visitor's connection and goes when it ends; this key lingers only
/// in the limits' memory, until their windows pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VisitorKey(u64);

impl VisitorKey {
    pub fn of(ip: IpAddr) -> VisitorKey {
        use std::hash::BuildHasher;
        static KEY: std::sync::OnceLock<std::hash::RandomState> = std::sync::OnceLock::new();
        VisitorKey(KEY.get_or_init(std::hash::RandomState::new).hash_one(AddressKey::from(ip)))
    }
}

/// How many independently locked parts a window's counts are split into (by key), so
/// that people sending at the same time rarely wait for each other.
const SHARDS: usize = 16;

/// The counts of the keys that hash to one shard.
type Shard<K> = Mutex<HashMap<K, VecDeque<Instant>>>;

/// At most `max` hits per key within `window`.
pub struct SlidingWindow<K> {
    window: Duration,
    max: usize,
    shards: Box<[Shard<K>]>,
    hasher: std::hash::RandomState,
}

impl<K: Hash + Eq + Clone> SlidingWindow<K> {
    pub fn new(window: Duration, max: usize) -> Self {
        SlidingWindow {
            window,
            max,
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
            hasher: std::hash::RandomState::new(),
        }
    }

    fn shard(&self, key: &K) -> std::sync::MutexGuard<'_, HashMap<K, VecDeque<Instant>>> {
        use std::hash::BuildHasher;
        let i = self.hasher.hash_one(key) as usize % SHARDS;
        self.shards[i].lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Counts `n` hits for `key` if they fit; otherwise counts nothing and says how
    /// long until they would.
    pub fn reserve_n(&self, key: K, n: usize) -> Result<Reservation<'_, K>, Duration> {
        let now = Instant::now();
        let mut map = self.shard(&key);
        if map.len() > SWEEP_AT / SHARDS {
            let window = self.window;
            map.retain(|_, q| {
                prune(q, now, window);
                !q.is_empty()
            });
        }
        let q = map.entry(key.clone()).or_default();
        prune(q, now, self.window);
        if q.len() + n > self.max {
            // Room appears as the oldest hits leave the window.
            let freed_by = q.get(q.len() + n - self.max - 1).or(q.back()).copied();
            let wait = freed_by.map_or(self.window, |t| self.window.saturating_sub(now - t));
            return Err(wait.max(Duration::from_secs(1)));
        }
        q.extend(std::iter::repeat_n(now, n));
        drop(map);
        Ok(Reservation { window: self, key: Some(key), at: now, n })
    }

    /// [`reserve_n`](Self::reserve_n) for one hit.
    pub fn reserve(&self, key: K) -> Result<Reservation<'_, K>, Duration> {
        self.reserve_n(key, 1)
    }

    /// Forgets every hit of `key` (e.g. an account's failures after a good login).
    pub fn clear(&self, key: &K) {
        self.shard(key).remove(key);
    }

    fn give_back(&self, key: &K, at: Instant, n: usize) {
        let mut map = self.shard(key);
        if let Some(q) = map.get_mut(key) {
            for _ in 0..n {
                if let Some(i) = q.iter().position(|t| *t == at) {
                    q.remove(i);
                }
            }
            if q.is_empty() {
                map.remove(key);
            }
        }
    }
}

/// Hits counted for an attempt under way. Dropped without [`keep`](Self::keep), they
/// are given back.
#[must_use = "a reservation is given back when dropped"]
pub struct Reservation<'a, K: Hash + Eq + Clone> {
    window: &'a SlidingWindow<K>,
    key: Option<K>,
    at: Instant,
    n: usize,
}

impl<K: Hash + Eq + Clone> Reservation<'_, K> {
    /// The attempt counts (it failed, or it used what the limit protects).
    pub fn keep(mut self) {
        self.key = None;
    }
}

impl<K: Hash + Eq + Clone> Drop for Reservation<'_, K> {
    fn drop(&mut self) {
        if let Some(key) = self.key.take() {
            self.window.give_back(&key, self.at, self.n);
        }
    }
}

fn prune(q: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while q.front().is_some_and(|t| now.duration_since(*t) >= window) {
        q.pop_front();
    }
}

/// Every limit the services enforce, with the defaults below.
pub struct Limits {
    /// Failed logins per account (the e-mail address as typed, normalised).
    pub login_accounts: SlidingWindow<String>,
    /// Failed logins per client address.
    pub login_addresses: SlidingWindow<AddressKey>,
    /// Wrong current passwords (password change, account deletion) per user.
    pub reauth: SlidingWindow<String>,
    /// Registrations per client address.
    pub registrations: SlidingWindow<AddressKey>,
    /// Uploaded images per user.
    pub uploads: SlidingWindow<String>,
    /// Chat messages per user (all tabs and conversations together).
    pub messages: SlidingWindow<String>,
    /// Sync API requests per API client.
    pub sync_requests: SlidingWindow<String>,
    /// Help-bot messages per visitor address (each socket has its own limit too).
    pub bot_messages: SlidingWindow<VisitorKey>,
    /// Deletions by chat code per visitor address, in the widget and on the delete
    /// page together: every request counts, found or not (a widget's request names
    /// at most fifty codes).
    pub bot_codes: SlidingWindow<VisitorKey>,
}

/// The numbers behind [`Limits`]; operators can change registrations per hour.
#[derive(Debug, Clone)]
pub struct LimitSettings {
    pub login_failures_per_account: usize,
    pub login_failures_per_address: usize,
    pub login_window: Duration,
    pub registrations_per_hour: usize,
    pub images_per_hour: usize,
    pub messages_per_minute: usize,
    pub sync_requests_per_minute: usize,
    pub bot_messages_per_address_minute: usize,
    pub bot_codes_per_address: usize,
    pub bot_codes_window: Duration,
}

impl Default for LimitSettings {
    fn default() -> Self {
        LimitSettings {
            login_failures_per_account: 5,
            login_failures_per_address: 50,
            login_window: Duration::from_secs(15 * 60),
            registrations_per_hour: 20,
            images_per_hour: 100,
            // A fast typist writing one-liners stays well below this.
            messages_per_minute: 60,
            // Ten a second: a directory sync sends its users in batches of 1,000.
            sync_requests_per_minute: 600,
            // Many visitors can share an address (offices, mobile networks).
            bot_messages_per_address_minute: 300,
            // A hundred requests of at most fifty codes: against 2^60 possible codes,
            // guessing is hopeless; visitors behind one address are not hindered.
            bot_codes_per_address: 100,
            bot_codes_window: Duration::from_secs(15 * 60),
        }
    }
}

impl Limits {
    pub fn new(s: &LimitSettings) -> Self {
        const HOUR: Duration = Duration::from_secs(3600);
        Limits {
            login_accounts: SlidingWindow::new(s.login_window, s.login_failures_per_account),
            login_addresses: SlidingWindow::new(s.login_window, s.login_failures_per_address),
            reauth: SlidingWindow::new(s.login_window, s.login_failures_per_account),
            registrations: SlidingWindow::new(HOUR, s.registrations_per_hour),
            uploads: SlidingWindow::new(HOUR, s.images_per_hour),
            messages: SlidingWindow::new(Duration::from_secs(60), s.messages_per_minute),
            sync_requests: SlidingWindow::new(Duration::from_secs(60), s.sync_requests_per_minute),
            bot_messages: SlidingWindow::new(
                Duration::from_secs(60),
                s.bot_messages_per_address_minute,
            ),
            bot_codes: SlidingWindow::new(s.bot_codes_window, s.bot_codes_per_address),
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::new(&LimitSettings::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reservations_count_at_once_and_are_given_back_unless_kept() {
        let w = SlidingWindow::new(Duration::from_secs(60), 3);
        let a = w.reserve("a").unwrap();
        let b = w.reserve("a").unwrap();
        let c = w.reserve("a").unwrap();
        // three under way: a fourth is refused before any of them finished
        let wait = w.reserve("a").err().expect("refused");
        assert!(wait > Duration::from_secs(50) && wait <= Duration::from_secs(60), "{wait:?}");
        assert!(w.reserve("b").is_ok(), "other keys are not affected");
        a.keep();
        b.keep();
        drop(c); // not judged: given back
        let d = w.reserve("a").expect("room again");
        d.keep();
        assert!(w.reserve("a").is_err());
        w.clear(&"a");
        assert!(w.reserve("a").is_ok());
        assert!(w.reserve_n("n", 4).is_err(), "more than the limit at once");
        w.reserve_n("n", 3).unwrap().keep();
        assert!(w.reserve("n").is_err());
    }

    #[test]
    fn the_window_slides() {
        let w = SlidingWindow::new(Duration::from_millis(50), 2);
        w.reserve(1).unwrap().keep();
        w.reserve(1).unwrap().keep();
        assert!(w.reserve(1).is_err());
        std::thread::sleep(Duration::from_millis(60));
        assert!(w.reserve(1).is_ok());
    }

    #[test]
    fn ipv6_clients_count_per_64_network() {
        let key = |s: &str| AddressKey::from(s.parse::<IpAddr>().unwrap());
        assert_eq!(key("2001:db8:1:2:aaaa::1"), key("2001:db8:1:2:ffff:ffff:ffff:ffff"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("::ffff:10.0.0.1"), key("10.0.0.1"));
        assert_ne!(key("10.0.0.1"), key("10.0.0.2"));
    }
}
