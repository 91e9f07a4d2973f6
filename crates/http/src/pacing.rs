//! When the next request of one service may start: a minimum gap between
//! starts, one pause for every request when the service answers 429 with
//! `Retry-After`, and a gap learned from how many requests the service
//! let through between two such answers.
//!
//! Services such as Spotify count requests over a rolling window and
//! publish no number. Without pacing a long run bursts until refused,
//! waits, and bursts again: each burst ends in a 429 for every request in
//! flight. Two 429s close together say how many requests fit in the time
//! between them; starting them that far apart (5% slower) keeps the run at
//! the limit without being refused again.

use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;

/// Two 429s further apart than this say nothing about the rate (the run
/// may have been idle, waiting for a person).
const LEARN_WITHIN: Duration = Duration::from_secs(120);
/// Fewer requests than this between two 429s is a refusal, not a rate.
const LEARN_FROM: u64 = 8;
/// The slowest learned pace: beyond it a service is down, not limiting.
const MAX_LEARNED_GAP: Duration = Duration::from_millis(500);

/// The pacing state of one client (shared by its clones).
pub(crate) struct Pacer {
    state: Mutex<State>,
}

struct State {
    gap: Duration,
    next_start: Instant,
    paused_until: Instant,
    last_limited: Option<Instant>,
    started_since: u64,
}

impl Pacer {
    /// Starts at least `min_gap` apart (zero: no gap until one is learned).
    pub(crate) fn new(min_gap: Duration) -> Pacer {
        let now = Instant::now();
        Pacer {
            state: Mutex::new(State {
                gap: min_gap,
                next_start: now,
                paused_until: now,
                last_limited: None,
                started_since: 0,
            }),
        }
    }

    /// Waits until a request may start, and counts it.
    pub(crate) async fn wait_turn(&self) {
        let mut st = self.state.lock().await;
        let at = st.next_start.max(st.paused_until);
        // Holding the lock while waiting keeps the starts in order.
        tokio::time::sleep_until(at).await;
        st.next_start = Instant::now() + st.gap;
        st.started_since += 1;
    }

    /// The service refused a request as rate limited, asking to wait
    /// `retry_after`: nothing starts before then, and the gap may grow.
    pub(crate) async fn limited(&self, retry_after: Duration) {
        let mut st = self.state.lock().await;
        let now = Instant::now();
        if now < st.paused_until {
            return; // another request of the burst that caused this pause
        }
        if let Some(last) = st.last_limited {
            let period = now - last;
            if period <= LEARN_WITHIN && st.started_since >= LEARN_FROM {
                let fits = (period / st.started_since as u32).mul_f64(1.05);
                st.gap = st.gap.max(fits.min(MAX_LEARNED_GAP));
                tracing::info!(
                    gap_ms = st.gap.as_millis() as u64,
                    "rate limited again; spacing requests out"
                );
            }
        }
        st.last_limited = Some(now);
        st.started_since = 0;
        st.paused_until = now + retry_after;
    }

    #[cfg(test)]
    async fn gap(&self) -> Duration {
        self.state.lock().await.gap
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_429_pauses_every_start_and_two_close_ones_set_the_pace() {
        let pacer = Pacer::new(Duration::ZERO);
        let t0 = Instant::now();
        for _ in 0..100 {
            pacer.wait_turn().await;
        }
        assert_eq!(Instant::now(), t0, "no gap before any 429");
        pacer.limited(Duration::from_secs(10)).await;
        // A second 429 of the same burst changes nothing.
        pacer.limited(Duration::from_secs(10)).await;
        pacer.wait_turn().await;
        assert_eq!(Instant::now() - t0, Duration::from_secs(10));
        assert_eq!(pacer.gap().await, Duration::ZERO);
        for _ in 1..100 {
            pacer.wait_turn().await;
        }
        // 100 requests in the 30 s between two 429s: 0.3 s each, +5%.
        tokio::time::advance(Duration::from_secs(20)).await;
        pacer.limited(Duration::from_secs(1)).await;
        assert_eq!(pacer.gap().await, Duration::from_millis(315));
        let before = Instant::now();
        pacer.wait_turn().await;
        pacer.wait_turn().await;
        assert_eq!(
            Instant::now() - before,
            Duration::from_millis(1_315),
            "the pause, then the gap"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_few_refusals_or_distant_ones_teach_nothing() {
        let pacer = Pacer::new(Duration::from_millis(5));
        pacer.wait_turn().await;
        pacer.limited(Duration::from_secs(1)).await;
        pacer.wait_turn().await;
        pacer.limited(Duration::from_secs(1)).await;
        assert_eq!(
            pacer.gap().await,
            Duration::from_millis(5),
            "one request between"
        );
        for _ in 0..50 {
            pacer.wait_turn().await;
        }
        tokio::time::advance(Duration::from_secs(600)).await;
        pacer.limited(Duration::from_secs(1)).await;
        assert_eq!(
            pacer.gap().await,
            Duration::from_millis(5),
            "ten minutes apart"
        );
    }
}
