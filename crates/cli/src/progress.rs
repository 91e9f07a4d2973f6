//! Progress bars on stderr (indicatif), shown only when stderr is a terminal.

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use musync_core::Progress;

/// A bar for one long read; hidden when stderr is not a terminal. A bar of
/// a pair also holds the group that draws both.
pub struct Bar(ProgressBar, Option<MultiProgress>);

impl Bar {
    /// A bar labelled `label`, length unknown until the service says.
    pub fn new(label: &str) -> Bar {
        Bar(Self::styled(label, ProgressDrawTarget::stderr()), None)
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
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        // Styled while hidden: a bar styled on stderr would draw a line the
        // group does not know about, and it would stay on the terminal.
        let hidden = ProgressDrawTarget::hidden;
        let (l, r) = (Self::styled(left, hidden()), Self::styled(right, hidden()));
        (
            Bar(multi.add(l), Some(multi.clone())),
            Bar(multi.add(r), Some(multi)),
        )
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        self.0.finish_and_clear();
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
