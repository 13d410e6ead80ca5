//! Adaptive mode's client-side rate limiter: a token bucket whose fill rate
//! follows the CUBIC congestion algorithm, switched on by the first
//! throttling error (as botocore's `ClientRateLimiter`).

use std::sync::Mutex;
use std::time::{Duration, Instant};

const MIN_RATE: f64 = 0.5;
const MAX_RATE_ADJUST_SCALE: f64 = 2.0;
const SMOOTHING: f64 = 0.8;
const TIME_BUCKET_SCALE: f64 = 2.0; // buckets of 0.5 s
const CUBIC_SCALE: f64 = 0.4;
const CUBIC_BETA: f64 = 0.7;

#[derive(Debug)]
pub(super) struct RateLimiter {
    start: Instant,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    enabled: bool,
    // token bucket
    fill_rate: f64,
    max_capacity: f64,
    capacity: f64,
    last_refill: Option<f64>,
    // rate clocker
    measured_rate: f64,
    last_bucket: f64,
    count: f64,
    // cubic
    w_max: f64,
    k: f64,
    last_fail: f64,
}

fn zero_point(w_max: f64) -> f64 {
    (w_max * (1.0 - CUBIC_BETA) / CUBIC_SCALE).cbrt()
}

impl State {
    fn refill(&mut self, now: f64) {
        if let Some(last) = self.last_refill {
            self.capacity = (self.capacity + (now - last) * self.fill_rate).min(self.max_capacity);
        }
        self.last_refill = Some(now);
    }

    fn set_max_rate(&mut self, rate: f64, now: f64) {
        self.refill(now);
        self.fill_rate = rate.max(MIN_RATE);
        self.max_capacity = if rate >= 1.0 { rate } else { 1.0 };
        self.capacity = self.capacity.min(self.max_capacity);
    }

    fn record(&mut self, now: f64) -> f64 {
        let bucket = (now * TIME_BUCKET_SCALE).floor() / TIME_BUCKET_SCALE;
        self.count += 1.0;
        if bucket > self.last_bucket {
            let current = self.count / (bucket - self.last_bucket);
            self.measured_rate = current * SMOOTHING + self.measured_rate * (1.0 - SMOOTHING);
            self.count = 0.0;
            self.last_bucket = bucket;
        }
        self.measured_rate
    }
}

impl RateLimiter {
    pub(super) fn new() -> RateLimiter {
        RateLimiter {
            start: Instant::now(),
            state: Mutex::new(State {
                enabled: false,
                fill_rate: 1.0,
                max_capacity: 1.0,
                capacity: 0.0,
                last_refill: None,
                measured_rate: 0.0,
                last_bucket: 0.0,
                count: 0.0,
                w_max: 0.0,
                k: zero_point(0.0),
                last_fail: 0.0,
            }),
        }
    }

    fn now(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    /// Takes a token; returns how long to wait first when the bucket is
    /// empty (the token is reserved either way, so waiters queue fairly).
    pub(super) fn acquire_delay(&self) -> Option<Duration> {
        let now = self.now();
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if !s.enabled {
            return None;
        }
        s.refill(now);
        s.capacity -= 1.0;
        if s.capacity >= 0.0 {
            None
        } else {
            Some(Duration::from_secs_f64(-s.capacity / s.fill_rate))
        }
    }

    /// Records a response and adjusts the send rate.
    pub(super) fn on_response(&self, throttled: bool) {
        let now = self.now();
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let measured = s.record(now);
        let new_rate = if !throttled {
            CUBIC_SCALE * (now - s.last_fail - s.k).powi(3) + s.w_max
        } else {
            let rate = if s.enabled { measured.min(s.fill_rate) } else { measured };
            s.w_max = rate;
            s.k = zero_point(rate);
            s.last_fail = now;
            s.enabled = true;
            rate * CUBIC_BETA
        };
        s.set_max_rate(new_rate.min(MAX_RATE_ADJUST_SCALE * measured), now);
    }

    #[cfg(test)]
    pub(super) fn snapshot(&self) -> (bool, f64) {
        let s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        (s.enabled, s.fill_rate)
    }
}
