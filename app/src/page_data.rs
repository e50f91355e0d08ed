//! The data a page waits for before it renders, fetched where the page awaits it.

use futures_util::future::{BoxFuture, FutureExt, Shared};
use leptos::prelude::*;

/// A server function's answer that a page awaits inside `Suspend`, made like a `Resource`.
///
/// Pages render on the server only; just the islands hydrate. A `Resource` spawns a task and
/// registers its value for hydration, work that no browser ever uses on these pages. A
/// `PageData` polls the server function's future where the page awaits it. The handle is
/// `Copy` like a resource, and every await of it yields the same answer.
pub struct PageData<T: 'static>(StoredValue<Shared<BoxFuture<'static, T>>>);

impl<T> PageData<T>
where
    T: Clone + Send + Sync + 'static,
{
    /// Starts `fetch` with what `source` reads now, untracked, as `Resource::new` would on the
    /// server. The fetch itself runs when the page first awaits it.
    pub fn new<S, Fut>(source: impl FnOnce() -> S, fetch: impl FnOnce(S) -> Fut) -> Self
    where
        Fut: Future<Output = T> + Send + 'static,
    {
        Self(StoredValue::new(fetch(untrack(source)).boxed().shared()))
    }
}

impl<T> Clone for PageData<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for PageData<T> {}

impl<T> IntoFuture for PageData<T>
where
    T: Clone + Send + Sync + 'static,
{
    type Output = T;
    type IntoFuture = Shared<BoxFuture<'static, T>>;

    /// Like awaiting a `Resource`, this panics if the page that made the data is gone.
    fn into_future(self) -> Self::IntoFuture {
        self.0.get_value()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use futures_util::FutureExt;
    use leptos::prelude::*;

    use super::PageData;

    #[test]
    fn the_fetch_runs_once_with_the_source_and_every_await_gets_its_answer() {
        let owner = Owner::new();
        owner.with(|| {
            let runs = Arc::new(AtomicUsize::new(0));
            let counted = Arc::clone(&runs);
            let data = PageData::new(
                || 20,
                move |base| async move {
                    counted.fetch_add(1, Ordering::SeqCst);
                    base + 1
                },
            );
            assert_eq!(runs.load(Ordering::SeqCst), 0, "nothing runs until awaited");
            assert_eq!(data.into_future().now_or_never(), Some(21));
            assert_eq!(data.into_future().now_or_never(), Some(21));
            assert_eq!(runs.load(Ordering::SeqCst), 1);
        });
    }
}
