//! How `--wait` shows progress on stderr: a spinner with the state and the time spent when
//! stderr is a terminal, one plain line per poll otherwise (logs, CI).

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::time::Duration;

use dbplane_core::waiter;
use indicatif::{ProgressBar, ProgressStyle};

/// The display of one wait.
#[derive(Clone)]
pub struct Progress {
    spinner: Option<Arc<ProgressBar>>,
}

impl Progress {
    /// Starts the display; `started` is the answer of the operation that began the work.
    pub fn start(started: &serde_json::Value) -> Self {
        let job = started
            .get("job_id")
            .and_then(serde_json::Value::as_str)
            .map(|j| format!(" (job {})", dbplane_core::error::printable(j)))
            .unwrap_or_default();
        if !std::io::stderr().is_terminal() {
            let _ = writeln!(std::io::stderr(), "waiting{job}");
            return Self { spinner: None };
        }
        let spinner = ProgressBar::new_spinner();
        spinner.set_style(
            ProgressStyle::with_template("{spinner} waiting{msg} [{elapsed}]")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        spinner.set_message(job);
        spinner.enable_steady_tick(Duration::from_millis(120));
        Self {
            spinner: Some(Arc::new(spinner)),
        }
    }

    /// Shows one poll's outcome.
    pub fn update(&self, progress: &waiter::Progress) {
        let state = progress
            .state
            .as_deref()
            .map(dbplane_core::error::printable)
            .unwrap_or_else(|| "unknown".into());
        let note = progress
            .note
            .as_deref()
            .map(|n| format!(" ({})", dbplane_core::error::printable(n)))
            .unwrap_or_default();
        match &self.spinner {
            Some(spinner) => {
                spinner.set_message(format!(": {state}{note}, poll {}", progress.polls))
            }
            None => {
                let _ = writeln!(
                    std::io::stderr(),
                    "state {state}{note} after {} poll(s), {:.0} s",
                    progress.polls,
                    progress.elapsed.as_secs_f64()
                );
            }
        }
    }

    /// Ends the display, with the final state when the wait succeeded.
    pub fn finish(&self, done: Option<(&str, u32, Duration)>) {
        if let Some(spinner) = &self.spinner {
            spinner.finish_and_clear();
        }
        if let Some((state, polls, elapsed)) = done {
            let _ = writeln!(
                std::io::stderr(),
                "done: {} after {polls} poll(s), {:.0} s",
                dbplane_core::error::printable(state),
                elapsed.as_secs_f64()
            );
        }
    }
}
