//! When and how long to wait before trying a call again.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

/// Bounded retries with exponential backoff and full jitter, on connection failures and on
/// 429/502/503/504. Each attempt is signed again with a fresh date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 disables retries.
    pub max_attempts: u32,
    /// Backoff before the second attempt; doubled for each further one.
    pub initial_backoff: Duration,
    /// Upper bound of one backoff.
    pub max_backoff: Duration,
    /// A server asking (`Retry-After`, `RateLimit-Reset`) for a longer wait than this is not retried.
    pub max_retry_after: Duration,
    /// Randomise each backoff between zero and its bound (recommended).
    pub jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(20),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// The most attempts a runtime makes for one call.
    pub const MAX_ATTEMPTS: u32 = 10;

    /// One attempt only.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Statuses worth another attempt of an operation that is safe to repeat: throttling
    /// and gateway failures (only 429 for the others; see [`crate::Runtime::execute`]).
    pub fn is_retryable_status(status: u16) -> bool {
        matches!(status, 429 | 502 | 503 | 504)
    }

    /// The wait before attempt `next_attempt` (2 for the first retry), or `None` when the
    /// server asks for longer than [`RetryPolicy::max_retry_after`].
    pub fn delay(&self, next_attempt: u32, asked: Option<Duration>) -> Option<Duration> {
        if let Some(asked) = asked {
            return (asked <= self.max_retry_after).then_some(asked);
        }
        let exponent = next_attempt.saturating_sub(2).min(16);
        let bound = self
            .initial_backoff
            .saturating_mul(1 << exponent)
            .min(self.max_backoff);
        Some(if self.jitter {
            bound.mul_f64(fastrand::f64())
        } else {
            bound
        })
    }
}

/// The wait a response asks for: `Retry-After` (seconds or an HTTP date), else OCP's
/// `RateLimit-Reset` (seconds).
pub fn asked_delay(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(value) = header("retry-after") {
        if let Ok(seconds) = value.parse::<u64>() {
            return Some(Duration::from_secs(seconds));
        }
        if let Ok(date) = httpdate::parse_http_date(value) {
            return Some(date.duration_since(now).unwrap_or_default());
        }
    }
    header("ratelimit-reset")
        .and_then(|v| v.parse::<u64>().ok())
        .map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn backoff_doubles_up_to_the_bound() {
        let policy = RetryPolicy {
            jitter: false,
            ..RetryPolicy::default()
        };
        let delays: Vec<_> = (2..=8)
            .map(|n| policy.delay(n, None).unwrap().as_millis())
            .collect();
        assert_eq!(delays, vec![200, 400, 800, 1600, 3200, 5000, 5000]);
    }

    #[test]
    fn jitter_stays_below_the_bound() {
        let policy = RetryPolicy::default();
        for _ in 0..100 {
            assert!(policy.delay(3, None).unwrap() <= Duration::from_millis(400));
        }
    }

    #[test]
    fn server_requested_waits_win_but_are_bounded() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.delay(2, Some(Duration::from_secs(7))),
            Some(Duration::from_secs(7))
        );
        assert_eq!(policy.delay(2, Some(Duration::from_secs(3600))), None);
    }

    #[test]
    fn retry_after_seconds_date_and_ratelimit_reset() {
        let now = httpdate::parse_http_date("Tue, 10 Sep 2024 02:07:58 GMT").unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("ratelimit-reset", HeaderValue::from_static("4"));
        assert_eq!(asked_delay(&headers, now), Some(Duration::from_secs(4)));
        headers.insert(
            "retry-after",
            HeaderValue::from_static("Tue, 10 Sep 2024 02:08:08 GMT"),
        );
        assert_eq!(asked_delay(&headers, now), Some(Duration::from_secs(10)));
        headers.insert("retry-after", HeaderValue::from_static("2"));
        assert_eq!(asked_delay(&headers, now), Some(Duration::from_secs(2)));
        assert_eq!(asked_delay(&HeaderMap::new(), now), None);
    }

    #[test]
    fn only_throttling_and_gateway_failures_are_retried() {
        let retried: Vec<u16> = (400..600)
            .filter(|s| RetryPolicy::is_retryable_status(*s))
            .collect();
        assert_eq!(retried, vec![429, 502, 503, 504]);
    }
}
