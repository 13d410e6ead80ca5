//! [`Progress`]: boto3's `Callback`, called with the bytes transferred.

use std::fmt;
use std::sync::Arc;

/// A progress callback, called with the number of bytes transferred since
/// its previous call, as boto3's `Callback`. The amount is negative when a
/// download range is retried: the bytes it had written are taken back, so
/// the running total is always the bytes that will end up in the result.
///
/// Uploads report each part when S3 has accepted it (file parts are sent
/// straight from the file, so there is no finer point to report from);
/// downloads report every chunk as it is written.
///
/// ```
/// use std::sync::atomic::{AtomicI64, Ordering};
/// use std::sync::Arc;
/// use boto::s3::transfer::Progress;
///
/// let total = Arc::new(AtomicI64::new(0));
/// let seen = total.clone();
/// let progress = Progress::new(move |n| {
///     seen.fetch_add(n, Ordering::Relaxed);
/// });
/// progress.report(1024);
/// progress.report(-24);
/// assert_eq!(total.load(Ordering::Relaxed), 1000);
/// ```
#[derive(Clone)]
pub struct Progress(Arc<dyn Fn(i64) + Send + Sync>);

impl Progress {
    /// A callback from a closure (called from the transfer's tasks, possibly
    /// from several threads at once).
    pub fn new(f: impl Fn(i64) + Send + Sync + 'static) -> Progress {
        Progress(Arc::new(f))
    }

    /// Reports `bytes` transferred (negative to take bytes back).
    pub fn report(&self, bytes: i64) {
        if bytes != 0 {
            (self.0)(bytes);
        }
    }
}

impl fmt::Debug for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Progress(..)")
    }
}

/// Reports to an optional callback.
pub(crate) fn report(progress: Option<&Progress>, bytes: u64, sign: i64) {
    if let Some(p) = progress {
        p.report(sign * i64::try_from(bytes).unwrap_or(i64::MAX));
    }
}
