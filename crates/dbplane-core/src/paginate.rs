//! Every item of a paginated list, as a stream: the loop behind every generated `.stream()`.
//!
//! Two styles, declared in the spec (`x-dbplane-pagination`): `offset` (`offset`/`limit`
//! query parameters, a total count in the answer: OTC RDS) and `page` (`page`/`size`, 1-based,
//! with a `page` object giving `totalPages`: OCP). The stream asks for one page at a time,
//! keeps the caller's filters and page size, and ends on the last page (a short or empty
//! page, or the total reached) or on the first error.
//!
//! A walk always ends, whatever the server sends: within [`ListLimits`] (pages, items, and
//! one deadline for the whole walk), on a page that repeats the one before it, and with an
//! [`Error::List`] — never silently — when the pages end short of the total the server gave.

use std::future::Future;
use std::hash::{Hash, Hasher};
use std::time::Duration;

use futures_util::stream::{self, Stream, StreamExt};
use serde::Serialize;

use crate::error::{Error, ListStop, TransportError, TransportKind};

/// What one page answered: its items and what it says of the rest.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<I> {
    /// The page's items.
    pub items: Vec<I>,
    /// The total number of items (offset style), if the answer gives it.
    pub total: Option<u64>,
    /// The total number of pages (page style), if the answer gives it.
    pub total_pages: Option<u64>,
}

/// The bounds of one list walk. A cap reached with more to read ends the walk with
/// [`Error::List`] ([`ListStop::PageCap`], [`ListStop::ItemCap`]); the deadline with a
/// transport error ([`TransportKind::Deadline`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListLimits {
    /// The most pages one walk requests.
    pub max_pages: u64,
    /// The most items one walk yields.
    pub max_items: u64,
    /// The time allowed for the whole walk, every page included (`None`: no bound beyond
    /// each page's own call deadline).
    pub deadline: Option<Duration>,
}

impl ListLimits {
    /// Default page cap: 1,000 pages of the services' largest page size (100 for OTC and
    /// Huawei, 1,000 for some OCP lists) reach 100,000 items, more than any account holds of
    /// instances, backups or tasks, while a server that never ends a list is stopped within
    /// minutes.
    pub const DEFAULT_MAX_PAGES: u64 = 1_000;
    /// Default item cap: 100,000 items, a few hundred MiB at most of typed answers.
    pub const DEFAULT_MAX_ITEMS: u64 = 100_000;

    /// At most `pages` pages (at least 1).
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.max_pages = pages.max(1);
        self
    }

    /// At most `items` items (at least 1).
    pub fn max_items(mut self, items: u64) -> Self {
        self.max_items = items.max(1);
        self
    }

    /// The whole walk within `deadline`.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }
}

impl Default for ListLimits {
    fn default() -> Self {
        Self {
            max_pages: Self::DEFAULT_MAX_PAGES,
            max_items: Self::DEFAULT_MAX_ITEMS,
            deadline: None,
        }
    }
}

/// Items of every page by `offset`/`limit`, from `first` (the offset and the page size, or
/// the error the request's own values give: then the stream is that error alone); `fetch`
/// sends one page's request.
pub fn by_offset<'a, I, F, Fut>(
    first: Result<(u64, u64), Error>,
    limits: ListLimits,
    fetch: F,
) -> impl Stream<Item = Result<I, Error>> + 'a
where
    I: Serialize + 'a,
    F: FnMut(u64, u64) -> Fut + 'a,
    Fut: Future<Output = Result<Page<I>, Error>> + 'a,
{
    let start = first.map(|(offset, limit)| Cursor {
        style: Style::Offset,
        at: offset,
        size: limit.max(1),
    });
    walk(start, limits, fetch)
}

/// Items of every page by `page`/`size` (1-based), from `first` (the page and the page size,
/// or the error the request's own values give).
pub fn by_page<'a, I, F, Fut>(
    first: Result<(u64, u64), Error>,
    limits: ListLimits,
    fetch: F,
) -> impl Stream<Item = Result<I, Error>> + 'a
where
    I: Serialize + 'a,
    F: FnMut(u64, u64) -> Fut + 'a,
    Fut: Future<Output = Result<Page<I>, Error>> + 'a,
{
    let start = first.map(|(page, size)| Cursor {
        style: Style::Page,
        at: page.max(1),
        size: size.max(1),
    });
    walk(start, limits, fetch)
}

/// Where a generated `.stream()` starts, from one of its builder's fields (`offset`, `limit`,
/// `page`, `size`): its value, `default` when unset, or the error the request would give
/// for it (a value that does not convert, or one below zero) — never a silent default.
pub fn start_field<T: std::fmt::Display>(
    name: &'static str,
    field: &Result<Option<T>, String>,
    default: u64,
) -> Result<u64, Error> {
    let invalid = |rule: String| Error::InvalidInput {
        parameter: name.to_string(),
        rule,
    };
    match field {
        Err(why) => Err(invalid(why.clone())),
        Ok(None) => Ok(default),
        Ok(Some(value)) => {
            let text = value.to_string();
            text.parse()
                .map_err(|_| invalid(format!("must be a whole number of at least 0, got {text}")))
        }
    }
}

/// A walk's start or page size, as any integer type a spec gives the parameter (`i64`,
/// `u32`, `NonZeroU64`…): a value the type cannot hold fails the builder's setter, which the
/// walk reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position(pub u64);

macro_rules! position_into {
    ($($ty:ty),* ; $($nonzero:ty => $via:ty),*) => {
        $(impl TryFrom<Position> for $ty {
            type Error = std::num::TryFromIntError;
            fn try_from(position: Position) -> Result<Self, Self::Error> {
                <$ty>::try_from(position.0)
            }
        })*
        $(impl TryFrom<Position> for $nonzero {
            type Error = std::num::TryFromIntError;
            fn try_from(position: Position) -> Result<Self, Self::Error> {
                <$nonzero>::try_from(<$via>::try_from(position.0)?)
            }
        })*
    };
}
impl From<Position> for u64 {
    fn from(position: Position) -> Self {
        position.0
    }
}
position_into!(
    i32, i64, u32;
    std::num::NonZeroU32 => u32,
    std::num::NonZeroU64 => u64,
    std::num::NonZeroI32 => i32,
    std::num::NonZeroI64 => i64
);

/// The error a generated `.stream()` gives when the next start does not fit the request's
/// parameter type.
pub fn start_out_of_range(start: u64) -> Error {
    Error::List {
        pages: 0,
        items: 0,
        stop: ListStop::StartOutOfRange { start },
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Offset,
    Page,
}

/// Where the next page starts: an offset or a page number, and the page size asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cursor {
    style: Style,
    at: u64,
    size: u64,
}

/// The state of a walk between pages.
struct Walk<F> {
    next: Option<Cursor>,
    fetch: F,
    limits: ListLimits,
    /// When the first page was asked for.
    started: Option<tokio::time::Instant>,
    first: u64,
    pages: u64,
    items: u64,
    previous: Option<u64>,
}

/// What one step of a walk hands on: a page's items, then possibly the error that ends it.
type Step<I> = Vec<Result<I, Error>>;

fn walk<'a, I, F, Fut>(
    start: Result<Cursor, Error>,
    limits: ListLimits,
    fetch: F,
) -> impl Stream<Item = Result<I, Error>> + 'a
where
    I: Serialize + 'a,
    F: FnMut(u64, u64) -> Fut + 'a,
    Fut: Future<Output = Result<Page<I>, Error>> + 'a,
{
    let (next, refused) = match start {
        Ok(start) => (Some(start), None),
        Err(error) => (None, Some(error)),
    };
    let state = Walk {
        next,
        fetch,
        limits,
        started: None,
        first: next.map_or(0, |start| start.at),
        pages: 0,
        items: 0,
        previous: None,
    };
    let pages = stream::unfold(state, |mut state| async move {
        let cursor = state.next.take()?;
        let step = state.step(cursor).await;
        Some((stream::iter(step), state))
    })
    .flatten();
    stream::iter(refused.map(Err)).chain(pages)
}

impl<F> Walk<F> {
    /// Requests the page at `cursor` and decides what follows it.
    async fn step<'a, I, Fut>(&mut self, cursor: Cursor) -> Step<I>
    where
        I: Serialize + 'a,
        F: FnMut(u64, u64) -> Fut,
        Fut: Future<Output = Result<Page<I>, Error>> + 'a,
    {
        if self.pages >= self.limits.max_pages {
            let limit = self.limits.max_pages;
            return vec![Err(self.stopped(ListStop::PageCap { limit }))];
        }
        let page = match self.fetch_within_deadline(cursor).await {
            Ok(page) => page,
            Err(error) => return vec![Err(self.located(error))],
        };
        self.pages += 1;
        let fingerprint = fingerprint(&page.items);
        if !page.items.is_empty() && self.previous == Some(fingerprint) {
            let at = cursor.at;
            return vec![Err(self.stopped(ListStop::RepeatedPage { at }))];
        }
        self.previous = Some(fingerprint);
        let count = page.items.len() as u64;
        let room = self.limits.max_items.saturating_sub(self.items);
        let mut step: Step<I> = page
            .items
            .into_iter()
            .take(usize::try_from(room).unwrap_or(usize::MAX))
            .map(Ok)
            .collect();
        self.items += step.len() as u64;
        if count > room {
            let limit = self.limits.max_items;
            step.push(Err(self.stopped(ListStop::ItemCap { limit })));
            return step;
        }
        match self.after(cursor, count, page.total, page.total_pages) {
            Err(stop) => step.push(Err(self.stopped(stop))),
            Ok(Some(_)) if self.items >= self.limits.max_items => {
                let limit = self.limits.max_items;
                step.push(Err(self.stopped(ListStop::ItemCap { limit })));
            }
            Ok(next) => self.next = next,
        }
        step
    }

    /// One page's request, bounded by what is left of the walk's deadline.
    async fn fetch_within_deadline<'a, I, Fut>(&mut self, cursor: Cursor) -> Result<Page<I>, Error>
    where
        F: FnMut(u64, u64) -> Fut,
        Fut: Future<Output = Result<Page<I>, Error>> + 'a,
    {
        let started = *self.started.get_or_insert_with(tokio::time::Instant::now);
        let pending = (self.fetch)(cursor.at, cursor.size);
        let Some(deadline) = self.limits.deadline else {
            return pending.await;
        };
        let remaining = deadline.saturating_sub(started.elapsed());
        match tokio::time::timeout(remaining, pending).await {
            Ok(result) => result,
            Err(_) => Err(TransportError::new(TransportKind::Deadline {
                elapsed: started.elapsed(),
            })
            .into()),
        }
    }

    /// The page after the one at `cursor` that held `count` items, `None` when it was the
    /// last, or why the list cannot be trusted to have ended.
    fn after(
        &self,
        cursor: Cursor,
        count: u64,
        total: Option<u64>,
        total_pages: Option<u64>,
    ) -> Result<Option<Cursor>, ListStop> {
        let last = count == 0 || count < cursor.size;
        match cursor.style {
            Style::Offset => {
                let end = cursor.at.saturating_add(count);
                match total {
                    Some(total) if end >= total => return Ok(None),
                    Some(total) if last => {
                        let received = end.saturating_sub(self.first);
                        return Err(ListStop::ShortOfTotal { received, total });
                    }
                    _ if last => return Ok(None),
                    _ => {}
                }
                let at = cursor
                    .at
                    .checked_add(count)
                    .ok_or(ListStop::StartOutOfRange { start: u64::MAX })?;
                Ok(Some(Cursor { at, ..cursor }))
            }
            Style::Page => {
                match total_pages {
                    Some(pages) if cursor.at >= pages => return Ok(None),
                    Some(total_pages) if last => {
                        return Err(ListStop::ShortOfPages {
                            page: cursor.at,
                            total_pages,
                        })
                    }
                    _ if last => return Ok(None),
                    _ => {}
                }
                let at = cursor
                    .at
                    .checked_add(1)
                    .ok_or(ListStop::StartOutOfRange { start: u64::MAX })?;
                Ok(Some(Cursor { at, ..cursor }))
            }
        }
    }

    /// The walk ends with `stop`.
    fn stopped(&mut self, stop: ListStop) -> Error {
        self.next = None;
        Error::List {
            pages: self.pages,
            items: self.items,
            stop,
        }
    }

    /// A page's own error, with the walk's counts when it is a list error.
    fn located(&mut self, error: Error) -> Error {
        self.next = None;
        match error {
            Error::List { stop, .. } => self.stopped(stop),
            other => other,
        }
    }
}

/// A page's identity: the hash of its items' JSON (a repeated page has the same).
fn fingerprint<I: Serialize>(items: &[I]) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    match serde_json::to_vec(items) {
        Ok(bytes) => bytes.hash(&mut hasher),
        Err(_) => items.len().hash(&mut hasher),
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    type Asked = Arc<Mutex<Vec<(u64, u64)>>>;
    type PageOf = std::future::Ready<Result<Page<u64>, Error>>;

    /// A list of `len` items whose answers claim `total`.
    fn offset_list(len: u64, total: Option<u64>) -> (Asked, impl FnMut(u64, u64) -> PageOf) {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let log = asked.clone();
        let fetch = move |offset: u64, limit: u64| {
            log.lock().unwrap().push((offset, limit));
            let items = (offset..offset.saturating_add(limit).min(len)).collect();
            std::future::ready(Ok(Page {
                items,
                total,
                total_pages: None,
            }))
        };
        (asked, fetch)
    }

    async fn run<S: Stream<Item = Result<u64, Error>>>(stream: S) -> (Vec<u64>, Option<Error>) {
        let results: Vec<Result<u64, Error>> = stream.collect().await;
        let mut items = Vec::new();
        let mut error = None;
        for (i, result) in results.into_iter().enumerate() {
            match result {
                Ok(item) => {
                    assert!(error.is_none(), "an item after the error, at {i}");
                    items.push(item)
                }
                Err(e) => {
                    assert!(error.is_none(), "a second error: {e}");
                    error = Some(e)
                }
            }
        }
        (items, error)
    }

    fn stop(error: Option<Error>) -> ListStop {
        match error {
            Some(Error::List { stop, .. }) => stop,
            other => panic!("expected a list error, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn offset_pages_give_every_item_once_and_stop_on_the_last() {
        let (asked, fetch) = offset_list(23, Some(23));
        let (items, error) = run(by_offset(Ok((0, 10)), ListLimits::default(), fetch)).await;
        assert!(error.is_none(), "{error:?}");
        assert_eq!(items, (0..23).collect::<Vec<_>>());
        assert_eq!(*asked.lock().unwrap(), vec![(0, 10), (10, 10), (20, 10)]);
        let (asked, fetch) = offset_list(20, Some(20));
        let (items, error) = run(by_offset(Ok((0, 10)), ListLimits::default(), fetch)).await;
        assert!(error.is_none(), "{error:?}");
        assert_eq!(items.len(), 20);
        assert_eq!(
            asked.lock().unwrap().len(),
            2,
            "the total says page 2 was the last"
        );
        let (asked, fetch) = offset_list(20, None);
        let (items, error) = run(by_offset(Ok((0, 10)), ListLimits::default(), fetch)).await;
        assert!(error.is_none(), "{error:?}");
        assert_eq!(items.len(), 20);
        assert_eq!(
            asked.lock().unwrap().len(),
            3,
            "no total: the empty page ends it"
        );
    }

    #[tokio::test]
    async fn page_style_counts_from_one_and_trusts_total_pages() {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let log = asked.clone();
        let fetch = move |page: u64, size: u64| {
            log.lock().unwrap().push(page);
            let start = (page - 1) * size;
            let items: Vec<u64> = (start..(start + size).min(25)).collect();
            std::future::ready(Ok(Page {
                items,
                total: None,
                total_pages: Some(3),
            }))
        };
        let (items, error) = run(by_page(Ok((1, 10)), ListLimits::default(), fetch)).await;
        assert!(error.is_none(), "{error:?}");
        assert_eq!(items.len(), 25);
        assert_eq!(*asked.lock().unwrap(), vec![1, 2, 3]);
    }

    #[tokio::test]
    async fn the_first_error_ends_the_stream() {
        let mut calls = 0;
        let fetch = move |offset: u64, _| {
            calls += 1;
            std::future::ready(if calls == 2 {
                Err(crate::ApiError::decode(500, None, b"{}").into())
            } else {
                Ok(Page {
                    items: vec![offset],
                    total: None,
                    total_pages: None,
                })
            })
        };
        let results: Vec<Result<u64, Error>> = by_offset(Ok((0, 1)), ListLimits::default(), fetch)
            .collect()
            .await;
        assert_eq!(results.len(), 2);
        assert!(results[0].is_ok() && results[1].is_err());
    }

    #[tokio::test]
    async fn a_server_repeating_the_same_full_page_is_stopped_at_the_second_page() {
        for total in [None, Some(u64::MAX), Some(1_000_000)] {
            let asked = Arc::new(Mutex::new(0u32));
            let log = asked.clone();
            let fetch = move |_, _| {
                *log.lock().unwrap() += 1;
                std::future::ready(Ok(Page {
                    items: (0..100u64).collect(),
                    total,
                    total_pages: None,
                }))
            };
            let (items, error) = run(by_offset(Ok((0, 100)), ListLimits::default(), fetch)).await;
            assert_eq!(stop(error), ListStop::RepeatedPage { at: 100 });
            assert_eq!(items.len(), 100, "the first page's items, once");
            assert_eq!(*asked.lock().unwrap(), 2);
        }
        // Page style, the same page for every page number.
        let fetch = |_, _| {
            std::future::ready(Ok(Page {
                items: vec![1u64, 2],
                total: None,
                total_pages: None,
            }))
        };
        let (items, error) = run(by_page(Ok((1, 2)), ListLimits::default(), fetch)).await;
        assert_eq!(stop(error), ListStop::RepeatedPage { at: 2 });
        assert_eq!(items, vec![1, 2]);
    }

    #[tokio::test]
    async fn pages_ending_short_of_the_total_end_with_an_error_not_silently() {
        // 3 items where the total says 500 (one short page).
        let (_, fetch) = offset_list(3, Some(500));
        let (items, error) = run(by_offset(Ok((0, 100)), ListLimits::default(), fetch)).await;
        assert_eq!(items.len(), 3);
        assert_eq!(
            stop(error),
            ListStop::ShortOfTotal {
                received: 3,
                total: 500
            }
        );
        // An empty first page while the total says 500.
        let (_, fetch) = offset_list(0, Some(500));
        let (items, error) = run(by_offset(Ok((0, 100)), ListLimits::default(), fetch)).await;
        assert!(items.is_empty());
        let error = error.expect("an error");
        assert!(error.to_string().contains("total says 500"), "{error}");
        // Counted from the caller's offset.
        let (_, fetch) = offset_list(250, Some(500));
        let (items, error) = run(by_offset(Ok((200, 100)), ListLimits::default(), fetch)).await;
        assert_eq!(items.len(), 50);
        assert_eq!(
            stop(error),
            ListStop::ShortOfTotal {
                received: 50,
                total: 500
            }
        );
        // Page style: a short page 2 of 5.
        let fetch = |page: u64, _| {
            let items = if page == 1 { vec![1u64, 2] } else { vec![3] };
            std::future::ready(Ok(Page {
                items,
                total: None,
                total_pages: Some(5),
            }))
        };
        let (items, error) = run(by_page(Ok((1, 2)), ListLimits::default(), fetch)).await;
        assert_eq!(items, vec![1, 2, 3]);
        assert_eq!(
            stop(error),
            ListStop::ShortOfPages {
                page: 2,
                total_pages: 5
            }
        );
    }

    #[tokio::test]
    async fn the_page_and_item_caps_end_a_list_that_goes_on() {
        // Distinct pages forever, and a total that never comes.
        let (asked, fetch) = offset_list(u64::MAX, None);
        let limits = ListLimits::default().max_pages(5);
        let (items, error) = run(by_offset(Ok((0, 10)), limits, fetch)).await;
        assert_eq!(stop(error), ListStop::PageCap { limit: 5 });
        assert_eq!(items.len(), 50);
        assert_eq!(asked.lock().unwrap().len(), 5);
        let (asked, fetch) = offset_list(u64::MAX, Some(u64::MAX));
        let limits = ListLimits::default().max_items(25);
        let (items, error) = run(by_offset(Ok((0, 10)), limits, fetch)).await;
        assert_eq!(stop(error), ListStop::ItemCap { limit: 25 });
        assert_eq!(items, (0..25).collect::<Vec<_>>());
        assert_eq!(asked.lock().unwrap().len(), 3);
        // Exactly at the cap with more to come.
        let (_, fetch) = offset_list(u64::MAX, None);
        let limits = ListLimits::default().max_items(20);
        let (items, error) = run(by_offset(Ok((0, 10)), limits, fetch)).await;
        assert_eq!(stop(error), ListStop::ItemCap { limit: 20 });
        assert_eq!(items.len(), 20);
        // A list that ends within the caps is not an error.
        let (_, fetch) = offset_list(20, Some(20));
        let limits = ListLimits::default().max_items(20).max_pages(2);
        let (items, error) = run(by_offset(Ok((0, 10)), limits, fetch)).await;
        assert!(error.is_none(), "{error:?}");
        assert_eq!(items.len(), 20);
        // The default caps hold without any set.
        let (asked, fetch) = offset_list(u64::MAX, None);
        let (items, error) = run(by_offset(Ok((0, 1_000)), ListLimits::default(), fetch)).await;
        assert_eq!(
            stop(error),
            ListStop::ItemCap {
                limit: ListLimits::DEFAULT_MAX_ITEMS
            }
        );
        assert_eq!(items.len() as u64, ListLimits::DEFAULT_MAX_ITEMS);
        assert_eq!(asked.lock().unwrap().len(), 100);
    }

    #[tokio::test]
    async fn an_offset_at_the_end_of_the_integers_ends_with_an_error() {
        let (_, fetch) = offset_list(u64::MAX, None);
        let (items, error) = run(by_offset(
            Ok((u64::MAX - 5, 10)),
            ListLimits::default(),
            fetch,
        ))
        .await;
        assert_eq!(items.len(), 5);
        assert!(
            error.is_none(),
            "a short page ends a list without a total: {error:?}"
        );
        let fetch = |offset: u64, _| {
            std::future::ready(Ok(Page {
                items: vec![offset, offset],
                total: None,
                total_pages: None,
            }))
        };
        let (_, error) = run(by_offset(
            Ok((u64::MAX - 1, 2)),
            ListLimits::default(),
            fetch,
        ))
        .await;
        assert!(matches!(stop(error), ListStop::StartOutOfRange { .. }));
    }

    #[tokio::test]
    async fn a_start_the_request_refuses_is_the_streams_only_item() {
        let field: Result<Option<i32>, String> = Err("out of range for i32".into());
        let first = start_field("offset", &field, 0).map(|at| (at, 10));
        let (asked, fetch) = offset_list(10, None);
        let (items, error) = run(by_offset(first, ListLimits::default(), fetch)).await;
        assert!(items.is_empty());
        let error = error.expect("the field's error");
        assert!(error.to_string().contains("invalid `offset`"), "{error}");
        assert!(asked.lock().unwrap().is_empty(), "nothing was sent");
        let negative: Result<Option<i32>, String> = Ok(Some(-5));
        let error = start_field("offset", &negative, 0).unwrap_err();
        assert!(error.to_string().contains("got -5"), "{error}");
        assert_eq!(start_field::<i32>("limit", &Ok(None), 100).unwrap(), 100);
        assert_eq!(start_field("limit", &Ok(Some(7u32)), 100).unwrap(), 7);
    }

    #[tokio::test(start_paused = true)]
    async fn the_deadline_covers_the_whole_walk_not_each_page() {
        // Every page takes 4 s; the walk has 10 s: the third page is cut off.
        let asked = Arc::new(Mutex::new(0u32));
        let log = asked.clone();
        let fetch = move |offset: u64, limit: u64| {
            *log.lock().unwrap() += 1;
            async move {
                tokio::time::sleep(Duration::from_secs(4)).await;
                Ok(Page {
                    items: (offset..offset + limit).collect(),
                    total: None,
                    total_pages: None,
                })
            }
        };
        let started = tokio::time::Instant::now();
        let limits = ListLimits::default().deadline(Duration::from_secs(10));
        let (items, error) = run(by_offset(Ok((0, 10)), limits, fetch)).await;
        assert_eq!(items.len(), 20);
        match error {
            Some(Error::Transport(t)) => {
                assert!(matches!(t.kind, TransportKind::Deadline { .. }), "{t}")
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(started.elapsed(), Duration::from_secs(10));
        assert_eq!(*asked.lock().unwrap(), 3);
    }
}
