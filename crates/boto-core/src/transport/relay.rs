//! The waker a connection is driven with. It passes the connection's
//! wake-ups on to the task using the connection, and can be muted while that
//! task takes a chunk out of the response body: hyper then tells the
//! connection side there is room for more, which would wake the very task
//! that is running, for nothing (the task drives the connection whenever it
//! wants more), and cost it one more poll.
//!
//! A wake-up that comes while muted is remembered, so one from elsewhere (a
//! socket becoming ready, seen by a runtime thread) is never lost.

use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Wake, Waker};

/// See the module documentation.
pub(super) struct Relay {
    task: Mutex<Option<Waker>>,
    muted: AtomicBool,
    missed: AtomicBool,
}

impl Relay {
    /// A relay following no task yet, and the waker that wakes through it.
    pub(super) fn new() -> (Arc<Relay>, Waker) {
        let relay =
            Arc::new(Relay { task: Mutex::new(None), muted: AtomicBool::new(false), missed: AtomicBool::new(false) });
        let waker = Waker::from(relay.clone());
        (relay, waker)
    }

    /// Passes wake-ups on to `task` from now on.
    pub(super) fn follow(&self, task: &Waker) {
        let mut current = self.lock();
        match &*current {
            Some(known) if known.will_wake(task) => {}
            _ => *current = Some(task.clone()),
        }
    }

    /// Passes wake-ups on to nobody (the connection went idle; the task is
    /// not kept alive by it).
    pub(super) fn forget(&self) {
        let task = self.lock().take();
        drop(task);
    }

    /// Holds wake-ups back until [`Relay::unmute`].
    pub(super) fn mute(&self) {
        self.missed.store(false, SeqCst);
        self.muted.store(true, SeqCst);
    }

    /// Passes wake-ups on again; true when one came while muted.
    pub(super) fn unmute(&self) -> bool {
        self.muted.store(false, SeqCst);
        self.missed.swap(false, SeqCst)
    }

    fn lock(&self) -> MutexGuard<'_, Option<Waker>> {
        self.task.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Wake for Relay {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if self.muted.load(SeqCst) {
            self.missed.store(true, SeqCst);
            // Still muted: `unmute` comes later and sees `missed`.
            if self.muted.load(SeqCst) {
                return;
            }
        }
        if let Some(task) = &*self.lock() {
            task.wake_by_ref();
        }
    }
}
