//! Progress bars on stderr (indicatif), shown only when stderr is a terminal.
//!
//! Every bar belongs to one process-wide group, so log lines can be printed
//! above the bars ([`LogWriter`]) instead of through them.

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use musync_core::Progress;
use std::io::Write;
use std::sync::LazyLock;

/// The group that draws every bar of this process.
pub fn group() -> &'static MultiProgress {
    static GROUP: LazyLock<MultiProgress> =
        LazyLock::new(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
    &GROUP
}

/// Writes log lines to stderr with the bars lifted out of the way.
pub struct LogWriter;

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        group().suspend(|| std::io::stderr().write_all(buf))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

/// A bar for one long read; hidden when stderr is not a terminal. A bar of
/// a pair also holds the group that draws both.
pub struct Bar(ProgressBar, Option<MultiProgress>);

impl Bar {
    /// A bar labelled `label`, length unknown until the service says.
    pub fn new(label: &str) -> Bar {
        let bar = Self::styled(label, ProgressDrawTarget::hidden());
        Bar(group().add(bar), None)
    }

    fn styled(label: &str, target: ProgressDrawTarget) -> ProgressBar {
        let bar = ProgressBar::with_draw_target(None, target);
        bar.set_style(
            ProgressStyle::with_template("{prefix:>12} {spinner} {pos}/{len} {wide_msg}")
                .expect("static template"),
        );
        bar.set_prefix(label.to_owned());
        bar
    }

    /// Two bars drawn together (the two sides of a comparison); separate
    /// bars would overwrite each other's line.
    pub fn pair(left: &str, right: &str) -> (Bar, Bar) {
        // Styled while hidden: a bar styled on stderr would draw a line the
        // group does not know about, and it would stay on the terminal.
        let hidden = ProgressDrawTarget::hidden;
        let (l, r) = (Self::styled(left, hidden()), Self::styled(right, hidden()));
        (
            Bar(group().add(l), Some(group().clone())),
            Bar(group().add(r), Some(group().clone())),
        )
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        self.0.finish_and_clear();
        group().remove(&self.0);
        if let Some(group) = &self.1 {
            // Nothing may be left on the terminal once both are done.
            let _ = group.clear();
        }
    }

    /// Counts one more item done.
    pub fn tick(&self) {
        self.0.inc(1);
    }
}

impl Progress for Bar {
    fn set_total(&self, total: u64) {
        self.0.set_length(total);
        self.0.set_style(
            ProgressStyle::with_template("{prefix:>12} [{bar:30}] {pos}/{len} {wide_msg}")
                .expect("static template")
                .progress_chars("=> "),
        );
    }
    fn advance(&self, n: u64) {
        self.0.inc(n);
    }
    fn message(&self, msg: &str) {
        self.0.set_message(msg.to_owned());
    }
}
