//! What musync is doing, in sentences for people.
//!
//! Technical events (requests, URLs, retries with their fields) stay under
//! each crate's own `tracing` target. Events worth telling a person ("Reading
//! Road trip on Spotify", "Spotify asked musync to slow down; waiting 30 s")
//! are logged under [`TARGET`] with the [`activity!`](crate::activity!) and
//! [`activity_warn!`](crate::activity_warn!) macros. The wizard's log panel
//! shows them by default; the CLI prints them without `-v`.

/// The `tracing` target of every sentence for people.
pub const TARGET: &str = "musync::activity";

/// Logs a sentence for people at INFO under [`TARGET`].
#[macro_export]
macro_rules! activity {
    ($($arg:tt)+) => {
        $crate::__tracing::info!(target: $crate::activity::TARGET, $($arg)+)
    };
}

/// Logs a sentence for people at WARN under [`TARGET`]: something the person
/// should know even when they asked for quiet (a wait, a retry, a give-up).
#[macro_export]
macro_rules! activity_warn {
    ($($arg:tt)+) => {
        $crate::__tracing::warn!(target: $crate::activity::TARGET, $($arg)+)
    };
}

/// Whether the `done`-th of `total` items is worth a progress sentence: each
/// one of a short list, else about every tenth, and always the last.
pub fn worth_telling(done: usize, total: usize) -> bool {
    if total <= 20 || done == total {
        return true;
    }
    let step = total.div_ceil(10);
    done.is_multiple_of(step)
}

/// `1 song`, `2 songs`: counts in sentences.
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lists_tell_every_item_long_ones_about_every_tenth() {
        assert!((1..=20).all(|i| worth_telling(i, 20)));
        let told: Vec<usize> = (1..=95).filter(|&i| worth_telling(i, 95)).collect();
        assert_eq!(told, [10, 20, 30, 40, 50, 60, 70, 80, 90, 95]);
    }

    #[test]
    fn counts_agree_with_their_number() {
        assert_eq!(count(1, "song", "songs"), "1 song");
        assert_eq!(count(0, "song", "songs"), "0 songs");
        assert_eq!(count(12, "song", "songs"), "12 songs");
    }
}
