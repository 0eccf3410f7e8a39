//! Every item of a paginated list, as a stream: the loop behind every generated `.stream()`.
//!
//! Two styles, declared in the spec (`x-dbplane-pagination`): `offset` (`offset`/`limit`
//! query parameters, a total count in the answer: OTC RDS) and `page` (`page`/`size`, 1-based,
//! with a `page` object giving `totalPages`: OCP). The stream asks for one page at a time,
//! keeps the caller's filters and page size, and ends on the last page (a short or empty
//! page, or the total reached) or on the first error.

use std::future::Future;

use futures_util::stream::{self, Stream};

use crate::error::Error;

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

/// Where the next page starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cursor {
    Offset { offset: u64, limit: u64 },
    Page { page: u64, size: u64 },
    Done,
}

/// Items of every page by `offset`/`limit`, from `offset`, `limit` per page; `fetch` sends one
/// page's request.
pub fn by_offset<'a, I, F, Fut>(
    offset: u64,
    limit: u64,
    fetch: F,
) -> impl Stream<Item = Result<I, Error>> + 'a
where
    I: 'a,
    F: FnMut(u64, u64) -> Fut + 'a,
    Fut: Future<Output = Result<Page<I>, Error>> + 'a,
{
    pages(
        Cursor::Offset {
            offset,
            limit: limit.max(1),
        },
        move |cursor| match cursor {
            Cursor::Offset { offset, limit } => Some((offset, limit)),
            _ => None,
        },
        fetch,
    )
}

/// Items of every page by `page`/`size` (1-based), from `page`, `size` per page.
pub fn by_page<'a, I, F, Fut>(
    page: u64,
    size: u64,
    fetch: F,
) -> impl Stream<Item = Result<I, Error>> + 'a
where
    I: 'a,
    F: FnMut(u64, u64) -> Fut + 'a,
    Fut: Future<Output = Result<Page<I>, Error>> + 'a,
{
    pages(
        Cursor::Page {
            page: page.max(1),
            size: size.max(1),
        },
        move |cursor| match cursor {
            Cursor::Page { page, size } => Some((page, size)),
            _ => None,
        },
        fetch,
    )
}

fn pages<'a, I, F, Fut>(
    start: Cursor,
    args: fn(Cursor) -> Option<(u64, u64)>,
    mut fetch: F,
) -> impl Stream<Item = Result<I, Error>> + 'a
where
    I: 'a,
    F: FnMut(u64, u64) -> Fut + 'a,
    Fut: Future<Output = Result<Page<I>, Error>> + 'a,
{
    let pages = stream::unfold(start, move |cursor| {
        let request = args(cursor).map(|(a, b)| (a, b, fetch(a, b)));
        async move {
            let (a, b, pending) = request?;
            match pending.await {
                Err(error) => Some((Err(error), Cursor::Done)),
                Ok(page) => {
                    let next = next_cursor(cursor, a, b, &page);
                    Some((Ok(page.items), next))
                }
            }
        }
    });
    use futures_util::StreamExt;
    pages.flat_map(|page| match page {
        Ok(items) => stream::iter(items.into_iter().map(Ok).collect::<Vec<_>>()),
        Err(error) => stream::iter(vec![Err(error)]),
    })
}

/// The page after `page`, or `Done` when it was the last.
fn next_cursor<I>(cursor: Cursor, a: u64, b: u64, page: &Page<I>) -> Cursor {
    let count = page.items.len() as u64;
    if count == 0 || count < b {
        return Cursor::Done;
    }
    match cursor {
        Cursor::Offset { .. } => {
            let offset = a + count;
            if page.total.is_some_and(|total| offset >= total) {
                Cursor::Done
            } else {
                Cursor::Offset { offset, limit: b }
            }
        }
        Cursor::Page { .. } => {
            if page.total_pages.is_some_and(|total| a >= total) {
                Cursor::Done
            } else {
                Cursor::Page {
                    page: a + 1,
                    size: b,
                }
            }
        }
        Cursor::Done => Cursor::Done,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use std::sync::{Arc, Mutex};

    type Asked = Arc<Mutex<Vec<(u64, u64)>>>;
    type PageOf = std::future::Ready<Result<Page<u64>, Error>>;

    fn offset_list(total: u64) -> (Asked, impl FnMut(u64, u64) -> PageOf) {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let log = asked.clone();
        let fetch = move |offset: u64, limit: u64| {
            log.lock().unwrap().push((offset, limit));
            let items = (offset..(offset + limit).min(total)).collect();
            std::future::ready(Ok(Page {
                items,
                total: Some(total),
                total_pages: None,
            }))
        };
        (asked, fetch)
    }

    #[tokio::test]
    async fn offset_pages_give_every_item_once_and_stop_on_the_last() {
        let (asked, fetch) = offset_list(23);
        let items: Vec<u64> = by_offset(0, 10, fetch).map(|r| r.unwrap()).collect().await;
        assert_eq!(items, (0..23).collect::<Vec<_>>());
        assert_eq!(*asked.lock().unwrap(), vec![(0, 10), (10, 10), (20, 10)]);
        let (asked, fetch) = offset_list(20);
        let items: Vec<u64> = by_offset(0, 10, fetch).map(|r| r.unwrap()).collect().await;
        assert_eq!(items.len(), 20);
        assert_eq!(
            asked.lock().unwrap().len(),
            2,
            "the total says page 2 was the last"
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
        let items: Vec<u64> = by_page(1, 10, fetch).map(|r| r.unwrap()).collect().await;
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
        let results: Vec<Result<u64, Error>> = by_offset(0, 1, fetch).collect().await;
        assert_eq!(results.len(), 2);
        assert!(results[0].is_ok() && results[1].is_err());
    }
}
