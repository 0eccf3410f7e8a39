//! Where a waiter polls: the loop behind every generated `wait_until_*` method.
//!
//! A waiter is declared in the spec (`x-dbplane-waiters`): the operation to poll, the field
//! that holds the state (a JSON pointer into the answer), the states that end the wait in
//! success or failure (with the field that explains a failure), the errors to tolerate
//! (for how long), and the delays. The generated method hands this loop a closure that sends
//! the poll; the loop reads the state from the answer, backs off exponentially between
//! `min_delay` and `max_delay` (no jitter: the waits are long and few), and ends with the
//! final state and answer, a [`WaitError::Failed`] naming the failure state and its reason,
//! or a [`WaitError::TimedOut`] with the time spent and the polls made.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use tokio::time::Instant;

use progenitor_client::ResponseValue;
use serde::Serialize;
use serde_json::Value;

use crate::error::{printable, Error};

/// A waiter as the spec declares it (`cargo xtask generate` emits one per waiter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaiterSpec {
    /// The waiter's name in the spec (`instance_stopped`).
    pub name: &'static str,
    /// JSON pointer to the state in the poll's answer (`/instances/0/status`).
    pub state: &'static str,
    /// JSON pointer to the reason of a failure, if the answer gives one.
    pub reason: Option<&'static str>,
    /// States that end the wait in success.
    pub success: &'static [&'static str],
    /// States that end the wait in failure.
    pub failure: &'static [&'static str],
    /// HTTP statuses that do not end the wait (throttling, gateway errors, a resource not
    /// yet visible).
    pub tolerate: &'static [u16],
    /// How long tolerated errors may go on, counted from the first poll (`None`: as long
    /// as the wait).
    pub tolerate_for: Option<Duration>,
    /// The first delay between polls.
    pub min_delay: Duration,
    /// The longest delay between polls.
    pub max_delay: Duration,
    /// The default longest wait.
    pub max_wait: Duration,
}

/// How a wait is going, for a progress display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// Polls made so far.
    pub polls: u32,
    /// Time since the wait began.
    pub elapsed: Duration,
    /// The last state read (`None` when the last poll failed or had no state).
    pub state: Option<String>,
    /// A tolerated error of the last poll, for the display.
    pub note: Option<String>,
}

/// A finished wait: the state that ended it and the last answer.
#[derive(Debug)]
pub struct Waited<T> {
    /// The success state reached.
    pub state: String,
    /// The last answer of the polled operation.
    pub answer: ResponseValue<T>,
    /// Polls made.
    pub polls: u32,
    /// Time spent.
    pub elapsed: Duration,
}

/// Why a wait ended without success.
#[derive(Debug, thiserror::Error)]
pub enum WaitError {
    /// A failure state was reached.
    #[error("`{waiter}` failed: state {} after {polls} poll(s) in {:.0} s{}", printable(state), elapsed.as_secs_f64(), reason.as_deref().map(|r| format!(": {}", printable(r))).unwrap_or_default())]
    Failed {
        /// The waiter.
        waiter: &'static str,
        /// The failure state.
        state: String,
        /// The answer's explanation, if it gives one.
        reason: Option<String>,
        /// Polls made.
        polls: u32,
        /// Time spent.
        elapsed: Duration,
    },
    /// The longest wait passed first.
    #[error("`{waiter}` timed out after {:.0} s and {polls} poll(s); last state: {}", elapsed.as_secs_f64(), last_state.as_deref().map(printable).unwrap_or_else(|| "none".into()))]
    TimedOut {
        /// The waiter.
        waiter: &'static str,
        /// The last state read.
        last_state: Option<String>,
        /// Polls made.
        polls: u32,
        /// Time spent.
        elapsed: Duration,
    },
    /// A poll failed with an error the waiter does not tolerate.
    #[error("`{waiter}` stopped after {polls} poll(s): {source}")]
    Poll {
        /// The waiter.
        waiter: &'static str,
        /// Polls made.
        polls: u32,
        /// The poll's error.
        #[source]
        source: Error,
    },
}

type PollFuture<'a, T> = Pin<Box<dyn Future<Output = Result<ResponseValue<T>, Error>> + Send + 'a>>;
type Poll<'a, T> = Box<dyn FnMut() -> PollFuture<'a, T> + Send + 'a>;
type OnProgress<'a> = Box<dyn FnMut(&Progress) + Send + 'a>;

/// A wait in preparation: set [`Waiter::max_wait`] or [`Waiter::on_progress`], then
/// `.await` it.
pub struct Waiter<'a, T> {
    spec: &'static WaiterSpec,
    poll: Poll<'a, T>,
    max_wait: Duration,
    delays: (Duration, Duration),
    on_progress: Option<OnProgress<'a>>,
    sleep: fn(Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>,
}

impl<T> fmt::Debug for Waiter<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Waiter")
            .field("spec", &self.spec.name)
            .field("max_wait", &self.max_wait)
            .finish_non_exhaustive()
    }
}

impl<'a, T: Serialize + Send + 'a> Waiter<'a, T> {
    /// A wait that sends `poll` until `spec` says it is over.
    pub fn new<F, Fut>(spec: &'static WaiterSpec, mut poll: F) -> Self
    where
        F: FnMut() -> Fut + Send + 'a,
        Fut: Future<Output = Result<ResponseValue<T>, Error>> + Send + 'a,
    {
        Self {
            spec,
            poll: Box::new(move || Box::pin(poll())),
            max_wait: spec.max_wait,
            delays: (spec.min_delay, spec.max_delay),
            on_progress: None,
            sleep: |d| Box::pin(tokio::time::sleep(d)),
        }
    }

    /// The longest wait (default: the spec's `max_wait`).
    pub fn max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = max_wait;
        self
    }

    /// The first and the longest delay between polls (default: the spec's).
    pub fn delays(mut self, min: Duration, max: Duration) -> Self {
        self.delays = (min, max.max(min));
        self
    }

    /// Called after every poll (for a spinner or log lines).
    pub fn on_progress(mut self, f: impl FnMut(&Progress) + Send + 'a) -> Self {
        self.on_progress = Some(Box::new(f));
        self
    }

    /// The delay before poll `polls + 1`: `min` doubled per poll, at most `max`.
    pub fn delay((min, max): (Duration, Duration), polls: u32) -> Duration {
        let doubled = min.saturating_mul(1u32 << polls.saturating_sub(1).min(16));
        doubled.min(max).max(min)
    }

    async fn run(mut self) -> Result<Waited<T>, WaitError> {
        let spec = self.spec;
        let started = Instant::now();
        let mut polls = 0u32;
        let mut last_state = None;
        loop {
            polls += 1;
            // The longest wait is a hard limit: a poll in flight is cut off at it.
            let remaining = self.max_wait.saturating_sub(started.elapsed());
            let Ok(result) = tokio::time::timeout(remaining, (self.poll)()).await else {
                let elapsed = started.elapsed();
                self.progress(
                    polls,
                    elapsed,
                    last_state.clone(),
                    Some("the poll was cut off at the longest wait".into()),
                );
                return Err(WaitError::TimedOut {
                    waiter: spec.name,
                    last_state,
                    polls,
                    elapsed,
                });
            };
            let elapsed = started.elapsed();
            let mut note = None;
            match result {
                Ok(answer) => {
                    let json = serde_json::to_value(answer.as_ref()).unwrap_or(Value::Null);
                    let state = json.pointer(spec.state).and_then(text);
                    if let Some(state) = &state {
                        if spec.success.contains(&state.as_str()) {
                            self.progress(polls, elapsed, Some(state.clone()), None);
                            return Ok(Waited {
                                state: state.clone(),
                                answer,
                                polls,
                                elapsed,
                            });
                        }
                        if spec.failure.contains(&state.as_str()) {
                            let reason = spec
                                .reason
                                .and_then(|r| json.pointer(r))
                                .and_then(text)
                                .filter(|r| !r.is_empty());
                            return Err(WaitError::Failed {
                                waiter: spec.name,
                                state: state.clone(),
                                reason,
                                polls,
                                elapsed,
                            });
                        }
                    } else {
                        note = Some(format!("no state at {}", spec.state));
                    }
                    last_state = state;
                }
                Err(error) if self.tolerates(&error, elapsed) => {
                    note = Some(error.to_string());
                }
                Err(source) => {
                    return Err(WaitError::Poll {
                        waiter: spec.name,
                        polls,
                        source,
                    })
                }
            }
            self.progress(polls, elapsed, last_state.clone(), note);
            let delay = Self::delay(self.delays, polls);
            if elapsed + delay > self.max_wait {
                return Err(WaitError::TimedOut {
                    waiter: spec.name,
                    last_state,
                    polls,
                    elapsed,
                });
            }
            (self.sleep)(delay).await;
        }
    }

    fn tolerates(&self, error: &Error, elapsed: Duration) -> bool {
        let in_time = self.spec.tolerate_for.is_none_or(|limit| elapsed <= limit);
        let status = error.status().unwrap_or_default();
        let tolerated_status = self.spec.tolerate.contains(&status);
        let transient = matches!(error, Error::Transport(t) if !matches!(t.kind, crate::TransportKind::BodyTooLarge { .. }));
        in_time && (tolerated_status || transient)
    }

    fn progress(
        &mut self,
        polls: u32,
        elapsed: Duration,
        state: Option<String>,
        note: Option<String>,
    ) {
        if let Some(f) = &mut self.on_progress {
            f(&Progress {
                polls,
                elapsed,
                state,
                note,
            });
        }
    }
}

/// A state as text: strings as they are, other JSON values as JSON (`true`, `3`).
fn text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

impl<'a, T: Serialize + Send + 'a> IntoFuture for Waiter<'a, T> {
    type Output = Result<Waited<T>, WaitError>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    static SPEC: WaiterSpec = WaiterSpec {
        name: "thing_done",
        state: "/thing/status",
        reason: Some("/thing/why"),
        success: &["DONE"],
        failure: &["BROKEN"],
        tolerate: &[404],
        tolerate_for: None,
        min_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(4),
        max_wait: Duration::from_secs(5),
    };

    fn answer(body: Value) -> Result<ResponseValue<Value>, Error> {
        let response = http::Response::builder()
            .status(200)
            .body(Vec::new())
            .unwrap();
        let response = reqwest::Response::from(response);
        Ok(ResponseValue::new(
            body,
            response.status(),
            response.headers().clone(),
        ))
    }

    type Answer = std::future::Ready<Result<ResponseValue<Value>, Error>>;

    fn scripted(
        states: Vec<Result<Value, u16>>,
    ) -> (Arc<AtomicU32>, impl FnMut() -> Answer + Send) {
        let calls = Arc::new(AtomicU32::new(0));
        let seen = calls.clone();
        let poll = move || {
            let i = seen.fetch_add(1, Ordering::SeqCst) as usize;
            let step = states[i.min(states.len() - 1)].clone();
            std::future::ready(match step {
                Ok(body) => answer(body),
                Err(status) => Err(crate::ApiError::decode(status, None, b"{}").into()),
            })
        };
        (calls, poll)
    }

    #[tokio::test(start_paused = true)]
    async fn reaches_success_through_pending_and_tolerated_states() {
        let (calls, poll) = scripted(vec![
            Err(404),
            Ok(serde_json::json!({"thing": {"status": "WORKING"}})),
            Ok(serde_json::json!({"thing": {"status": "DONE"}})),
        ]);
        let mut seen = Vec::new();
        let waited = Waiter::new(&SPEC, poll)
            .on_progress(|p| seen.push(p.state.clone()))
            .await
            .unwrap();
        assert_eq!((waited.state.as_str(), waited.polls), ("DONE", 3));
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        assert_eq!(
            seen,
            vec![None, Some("WORKING".into()), Some("DONE".into())]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_failure_state_names_itself_and_its_reason() {
        let (_, poll) = scripted(vec![Ok(
            serde_json::json!({"thing": {"status": "BROKEN", "why": "disk full"}}),
        )]);
        let error = Waiter::new(&SPEC, poll).await.unwrap_err();
        assert!(
            error.to_string().contains("state BROKEN after 1 poll(s)"),
            "{error}"
        );
        assert!(error.to_string().ends_with(": disk full"), "{error}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_timeout_names_time_polls_and_last_state() {
        let (_, poll) = scripted(vec![Ok(
            serde_json::json!({"thing": {"status": "WORKING"}}),
        )]);
        let error = Waiter::new(&SPEC, poll)
            .max_wait(Duration::from_millis(20))
            .await
            .unwrap_err();
        match &error {
            WaitError::TimedOut {
                polls, last_state, ..
            } => {
                assert!(*polls >= 2, "{error}");
                assert_eq!(last_state.as_deref(), Some("WORKING"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn an_error_it_does_not_tolerate_ends_the_wait() {
        let (calls, poll) = scripted(vec![Err(403)]);
        let error = Waiter::new(&SPEC, poll).await.unwrap_err();
        assert!(matches!(error, WaitError::Poll { polls: 1, .. }), "{error}");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_poll_that_hangs_is_cut_off_at_the_longest_wait() {
        let polls = Arc::new(AtomicU32::new(0));
        let seen = polls.clone();
        let poll = move || {
            let first = seen.fetch_add(1, Ordering::SeqCst) == 0;
            async move {
                if first {
                    return answer(serde_json::json!({"thing": {"status": "WORKING"}}));
                }
                // Never answers (a server that holds the poll open).
                std::future::pending::<()>().await;
                unreachable!()
            }
        };
        let started = Instant::now();
        let error = Waiter::new(&SPEC, poll)
            .max_wait(Duration::from_secs(3))
            .await
            .unwrap_err();
        assert_eq!(started.elapsed(), Duration::from_secs(3), "{error}");
        match &error {
            WaitError::TimedOut {
                polls, last_state, ..
            } => {
                assert_eq!(*polls, 2);
                assert_eq!(last_state.as_deref(), Some("WORKING"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn delays_double_within_their_bounds() {
        let delays: Vec<u128> = (1..=5)
            .map(|p| Waiter::<Value>::delay((SPEC.min_delay, SPEC.max_delay), p).as_millis())
            .collect();
        assert_eq!(delays, vec![1, 2, 4, 4, 4]);
    }
}
