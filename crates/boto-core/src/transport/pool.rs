//! The connection pool: idle connections kept per destination, at most
//! `max_pool_connections` each (botocore's `max_pool_connections`, as
//! hyper's "max idle per host"), the most recently used taken first.
//!
//! The pool only stores connections; nothing runs in the background. An
//! idle connection is looked at when a request wants one: it is dropped
//! when it has been idle longer than `pool_idle_timeout`, and polled once
//! to see whether the server closed it in the meantime. Connections opened
//! beyond the cap (concurrent calls) are closed when they come back.
//!
//! A destination is a scheme and authority, and the tokio runtime the
//! connection was opened on: a socket is registered with that runtime's I/O
//! driver, and a connection used from another runtime would wait on a
//! driver that may not be running (a blocking client's private runtime
//! between calls), so clients on different runtimes never share one.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use http::uri::{Authority, Scheme};

use super::conn::Conn;

/// A connection idle for longer than this is checked only after the runtime
/// has had a chance to collect its I/O events: a current-thread runtime
/// (the blocking client's) does not poll its driver between calls, so a
/// close from the server may not be known yet. Back-to-back calls never
/// pay for it.
const RECHECK_AFTER: Duration = Duration::from_millis(100);

/// Where a connection goes: scheme, authority, and the runtime it belongs
/// to. Authorities compare as written (not case-insensitively, as
/// [`Authority`] does byte by byte, slowly): one spelled in two cases only
/// gets two lists.
#[derive(Clone, Debug)]
pub(super) struct Key {
    scheme: Scheme,
    authority: Authority,
    runtime: Option<tokio::runtime::Id>,
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.authority.as_str() == other.authority.as_str()
            && self.scheme == other.scheme
            && self.runtime == other.runtime
    }
}

impl Eq for Key {}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.scheme.as_str().hash(state);
        self.authority.as_str().hash(state);
        self.runtime.hash(state);
    }
}

impl Key {
    /// The key for a destination, on the current runtime.
    pub(super) fn new(scheme: Scheme, authority: Authority) -> Key {
        let runtime = tokio::runtime::Handle::try_current().ok().map(|h| h.id());
        Key { scheme, authority, runtime }
    }
}

/// The pool. Cheap to clone; clones share the idle connections.
#[derive(Clone)]
pub(super) struct Pool(Arc<Shared>);

type IdleMap = HashMap<Key, Vec<Idle>, foldhash::fast::RandomState>;

struct Shared {
    idle: Mutex<IdleMap>,
    max_idle: usize,
    idle_timeout: Duration,
}

/// An idle connection and when it went idle. A key's list is in that order
/// (oldest first).
struct Idle {
    conn: Conn,
    since: Instant,
}

impl Pool {
    /// A pool keeping at most `max_idle` idle connections per key, each for
    /// at most `idle_timeout`.
    pub(super) fn new(max_idle: usize, idle_timeout: Duration) -> Pool {
        Pool(Arc::new(Shared { idle: Mutex::new(IdleMap::default()), max_idle, idle_timeout }))
    }

    /// An idle connection to `key` that can take a request now, if there is
    /// one. Connections found expired or closed are dropped on the way.
    pub(super) async fn checkout(&self, key: &Key) -> Option<Conn> {
        loop {
            let now = Instant::now();
            let (found, expired) = {
                let mut idle = self.lock();
                match idle.get_mut(key) {
                    Some(list) => {
                        let expired = self.expire(list, now);
                        (list.pop(), expired)
                    }
                    None => (None, Vec::new()),
                }
            };
            drop(expired);
            let Idle { mut conn, since } = found?;
            if now.saturating_duration_since(since) >= RECHECK_AFTER {
                tokio::task::yield_now().await;
            }
            if conn.is_open() {
                return Some(conn);
            }
        }
    }

    /// Gives back a connection whose last response was read to its end. It
    /// is kept when it is still open and ready for a request and the key is
    /// not at its cap; otherwise it is closed.
    pub(super) fn put(&self, key: Key, mut conn: Conn) {
        if self.0.max_idle == 0 || !conn.is_idle() {
            return;
        }
        let now = Instant::now();
        let (rejected, expired) = {
            let mut idle = self.lock();
            let list = idle.entry(key).or_default();
            let expired = self.expire(list, now);
            if list.len() >= self.0.max_idle {
                (Some(conn), expired)
            } else {
                list.push(Idle { conn, since: now });
                (None, expired)
            }
        };
        // Closing connections (a system call each) happens outside the lock.
        drop((rejected, expired));
    }

    /// Takes the connections of `list` idle for `idle_timeout` or longer.
    fn expire(&self, list: &mut Vec<Idle>, now: Instant) -> Vec<Idle> {
        let n = list.iter().take_while(|i| now.saturating_duration_since(i.since) >= self.0.idle_timeout).count();
        if n == 0 {
            Vec::new()
        } else {
            list.drain(..n).collect()
        }
    }

    fn lock(&self) -> MutexGuard<'_, IdleMap> {
        self.0.idle.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How many idle connections `key` has (tests).
    #[cfg(test)]
    pub(super) fn idle_count(&self, key: &Key) -> usize {
        self.lock().get(key).map_or(0, Vec::len)
    }
}
