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
//! Where the counts live ([`Limit`]): on SQLite, which one process serves, in memory
//! (a restart forgets them, acceptable for a brute-force brake); on PostgreSQL, where
//! several instances may serve one installation, in the database
//! ([`shared::SharedCounts`]), so that the 6th wrong password is refused whichever
//! instance gets it. Addresses and visitors are then counted by a keyed hash with the
//! configured secret (`--limit-secret`), the same on every instance.

mod open;
mod shared;
pub use open::{Leases, OpenLimit, OpenSlot, LEASE_FOR, RENEW_EVERY};
pub use shared::SharedCounts;

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
/// [`AddressKey`] ([`Limits::visitor`]), the key the configured secret or random per
/// process, never stored. The address itself
/// stays with the visitor's connection and goes when it ends; this key lingers only
/// in the limits' memory, until their windows pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VisitorKey(u64);

/// How [`VisitorKey`]s are made: with the configured secret (the same key on every
/// instance), or a key random per process.
enum VisitorHasher {
    Random(std::hash::RandomState),
    Secret(Vec<u8>),
}

impl VisitorHasher {
    fn key(&self, ip: IpAddr) -> VisitorKey {
        use sha2::Digest;
        use std::hash::BuildHasher;
        let address = AddressKey::from(ip);
        match self {
            VisitorHasher::Random(r) => VisitorKey(r.hash_one(address)),
            VisitorHasher::Secret(secret) => {
                let mut h = sha2::Sha256::new();
                h.update(secret);
                h.update(b"visitor\0");
                h.update(address.limit_bytes());
                let d = h.finalize();
                VisitorKey(u64::from_be_bytes(d[..8].try_into().unwrap_or_default()))
            }
        }
    }
}

/// What a limit counts, as bytes for the keyed hash the database stores.
pub trait LimitKey: Hash + Eq + Clone {
    fn limit_bytes(&self) -> Vec<u8>;
}

impl LimitKey for String {
    fn limit_bytes(&self) -> Vec<u8> {
        self.as_bytes().to_vec()
    }
}

impl LimitKey for AddressKey {
    fn limit_bytes(&self) -> Vec<u8> {
        match self.0 {
            IpAddr::V4(v4) => v4.octets().to_vec(),
            IpAddr::V6(v6) => v6.octets().to_vec(),
        }
    }
}

impl LimitKey for VisitorKey {
    fn limit_bytes(&self) -> Vec<u8> {
        self.0.to_be_bytes().to_vec()
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

/// One limit: at most `max` hits per key within its window, counted in memory or, when
/// the database is shared by several instances, in the database.
pub struct Limit<K> {
    name: &'static str,
    local: SlidingWindow<K>,
    window: Duration,
    max: usize,
    shared: Option<SharedCounts>,
}

/// Hits counted for an attempt under way, in memory or in the database. Dropped
/// without [`keep`](Self::keep), they are given back.
#[must_use = "a reservation is given back when dropped"]
pub enum Held<'a, K: Hash + Eq + Clone> {
    Local(Reservation<'a, K>),
    Shared(SharedReservation),
}

/// Hits counted in the database; given back (in the background) unless kept.
pub struct SharedReservation(Option<shared::SharedHold>);

impl Drop for SharedReservation {
    fn drop(&mut self) {
        if let Some(hold) = self.0.take() {
            hold.give_back_later();
        }
    }
}

impl<K: Hash + Eq + Clone> Held<'_, K> {
    /// The attempt counts (it failed, or it used what the limit protects).
    pub fn keep(self) {
        match self {
            Held::Local(r) => r.keep(),
            Held::Shared(mut r) => r.0 = None,
        }
    }
}

impl<K: LimitKey> Limit<K> {
    pub fn new(
        name: &'static str,
        window: Duration,
        max: usize,
        shared: Option<SharedCounts>,
    ) -> Self {
        Limit { name, local: SlidingWindow::new(window, max), window, max, shared }
    }

    /// Counts `n` hits for `key` if they fit; otherwise counts nothing and says how
    /// long until they would. If the database cannot be reached, this instance's own
    /// count decides (and the fault is logged).
    pub async fn reserve_n(&self, key: K, n: usize) -> Result<Held<'_, K>, Duration> {
        if let Some(shared) = &self.shared {
            let hashed = shared.hash(self.name, &key.limit_bytes());
            match shared.reserve(self.name, hashed, n, self.window, self.max).await {
                Ok(Ok(hold)) => return Ok(Held::Shared(SharedReservation(Some(hold)))),
                Ok(Err(wait)) => return Err(wait),
                Err(e) => {
                    tracing::warn!(error = %e.report(), limit = self.name, "counting in the database failed; counting here");
                }
            }
        }
        self.local.reserve_n(key, n).map(Held::Local)
    }

    /// [`reserve_n`](Self::reserve_n) for one hit.
    pub async fn reserve(&self, key: K) -> Result<Held<'_, K>, Duration> {
        self.reserve_n(key, 1).await
    }

    /// Forgets every hit of `key` (e.g. an account's failures after a good login).
    pub async fn clear(&self, key: &K) {
        self.local.clear(key);
        if let Some(shared) = &self.shared {
            let hashed = shared.hash(self.name, &key.limit_bytes());
            if let Err(e) = shared.clear(self.name, &hashed).await {
                tracing::warn!(error = %e.report(), limit = self.name, "cannot clear a limit");
            }
        }
    }
}

/// Every limit the services enforce, with the defaults below.
pub struct Limits {
    /// Failed logins per account (the e-mail address as typed, normalised).
    pub login_accounts: Limit<String>,
    /// Failed logins per client address.
    pub login_addresses: Limit<AddressKey>,
    /// Wrong current passwords (password change, account deletion) per user.
    pub reauth: Limit<String>,
    /// Registrations per client address.
    pub registrations: Limit<AddressKey>,
    /// Password reset requests per client address, every request counted.
    pub reset_addresses: Limit<AddressKey>,
    /// Mails with a link (password reset, address confirmation) per recipient address
    /// (normalised): nobody can have us send a stream of them to one address.
    pub link_mails: Limit<String>,
    /// Address changes asked for per user (each mails two addresses).
    pub email_changes: Limit<String>,
    /// Uploaded images per user.
    pub uploads: Limit<String>,
    /// Chat messages per user (all tabs and conversations together).
    pub messages: Limit<String>,
    /// Sync API requests per API client.
    pub sync_requests: Limit<String>,
    /// Help-bot messages per visitor address (each socket has its own limit too).
    pub bot_messages: Limit<VisitorKey>,
    /// Deletions by chat code per visitor address, in the widget and on the delete
    /// page together: every request counts, found or not (a widget's request names
    /// at most fifty codes).
    pub bot_codes: Limit<VisitorKey>,
    /// How visitors' addresses become [`VisitorKey`]s.
    visitors: VisitorHasher,
    /// The database side, when limits count for all instances.
    shared: Option<SharedCounts>,
    /// This instance's leases of open connections, when they count for all instances.
    leases: Option<Leases>,
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
    /// Limits counted in this process's memory only (one instance).
    pub fn new(s: &LimitSettings) -> Self {
        Limits::counting(s, None, None)
    }

    /// Limits counted in the database for all instances (`shared`), visitors keyed by
    /// `secret`; without them, in memory with a key random per process.
    pub fn counting(
        s: &LimitSettings,
        shared: Option<SharedCounts>,
        secret: Option<&[u8]>,
    ) -> Self {
        const HOUR: Duration = Duration::from_secs(3600);
        const MINUTE: Duration = Duration::from_secs(60);
        macro_rules! limit {
            ($name:literal, $window:expr, $max:expr) => {
                Limit::new($name, $window, $max, shared.clone())
            };
        }
        Limits {
            login_accounts: limit!("login_account", s.login_window, s.login_failures_per_account),
            login_addresses: limit!("login_address", s.login_window, s.login_failures_per_address),
            reauth: limit!("reauth", s.login_window, s.login_failures_per_account),
            registrations: limit!("registration", HOUR, s.registrations_per_hour),
            reset_addresses: limit!("reset_address", HOUR, 10),
            link_mails: limit!("link_mail", HOUR, 3),
            email_changes: limit!("email_change", HOUR, 5),
            uploads: limit!("upload", HOUR, s.images_per_hour),
            messages: limit!("message", MINUTE, s.messages_per_minute),
            sync_requests: limit!("sync_request", MINUTE, s.sync_requests_per_minute),
            bot_messages: limit!("bot_message", MINUTE, s.bot_messages_per_address_minute),
            bot_codes: limit!("bot_code", s.bot_codes_window, s.bot_codes_per_address),
            visitors: match secret {
                Some(secret) => VisitorHasher::Secret(secret.to_vec()),
                None => VisitorHasher::Random(std::hash::RandomState::new()),
            },
            leases: shared.clone().map(Leases::new),
            shared,
        }
    }

    /// A cap of `max` connections open at once per key under `name`, counted for all
    /// instances where the limits are.
    pub fn open_limit<K: LimitKey>(&self, name: &'static str, max: usize) -> OpenLimit<K> {
        OpenLimit::new(name, max, self.leases.clone())
    }

    /// Keeps this instance's open connections counted (every [`RENEW_EVERY`]).
    pub async fn renew_leases(&self) -> crate::Result<u64> {
        match &self.leases {
            Some(leases) => leases.renew().await,
            None => Ok(0),
        }
    }

    /// This instance stops: its open connections no longer count.
    pub async fn release_leases(&self) -> crate::Result<u64> {
        match &self.leases {
            Some(leases) => leases.release_all().await,
            None => Ok(0),
        }
    }

    /// A help-bot visitor's key: a keyed hash of their address (the address itself is
    /// never kept).
    pub fn visitor(&self, ip: IpAddr) -> VisitorKey {
        self.visitors.key(ip)
    }

    /// Deletes counts that no longer matter (hourly); returns how many rows went.
    pub async fn purge(&self) -> crate::Result<u64> {
        let counts = match &self.shared {
            Some(shared) => shared.purge().await?,
            None => 0,
        };
        let leases = match &self.leases {
            Some(leases) => leases.purge().await?,
            None => 0,
        };
        Ok(counts + leases)
    }

    /// Whether the limits count for all instances together.
    pub fn shared(&self) -> bool {
        self.shared.is_some()
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
