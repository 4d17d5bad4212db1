//! Per-chapter work shared out between the cores with rayon, results kept in
//! reading order.
//!
//! A pool of our own, not rayon's global one: its workers need a large stack, and
//! a program that uses us in-process may have configured the global pool already.

use std::sync::LazyLock;

use rayon::prelude::*;

/// Below this much input, handing work to other threads costs more than it saves.
const WORTH_SHARING: usize = 256 * 1024;

/// Workers get a large stack, like the main thread: chapters may nest deeply.
const WORKER_STACK: usize = 256 * 1024 * 1024;

/// Started on first use (never for small books); `None` when the system refuses
/// threads, and then everything runs on the calling thread.
static POOL: LazyLock<Option<rayon::ThreadPool>> = LazyLock::new(|| {
    rayon::ThreadPoolBuilder::new()
        .num_threads(cores())
        .stack_size(WORKER_STACK)
        .thread_name(|i| format!("mdbook-frameworks-{i}"))
        .build()
        .ok()
});

/// How many threads are worth using: the cores, at most 8.
pub(crate) fn cores() -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(8)
}

/// `items.iter().map(work).collect()`, each item free to go to a core of its own
/// (for a few large pieces of work, such as one citation batch per core).
pub(crate) fn map_each<T: Sync, R: Send>(
    items: &[T],
    work: impl Fn(&T) -> R + Sync + Send,
) -> Vec<R> {
    match POOL.as_ref() {
        Some(pool) if items.len() > 1 => {
            pool.install(|| items.par_iter().with_max_len(1).map(work).collect())
        }
        _ => items.iter().map(work).collect(),
    }
}

/// `items.into_iter().map(work).collect()`, on every core when the items' total
/// `weight` (about the bytes of Markdown each reads or writes) makes that worth
/// it; one-core machines and small books stay on this thread. The heaviest
/// items start first, so that one large item (a reference list with every
/// back-reference of the book) does not start last while the other cores idle.
pub(crate) fn map_in_order<T: Send, R: Send>(
    items: Vec<T>,
    weight: impl Fn(&T) -> usize,
    work: impl Fn(T) -> R + Sync + Send,
) -> Vec<R> {
    let weights: Vec<usize> = items.iter().map(weight).collect();
    let total: usize = weights.iter().sum();
    let Some(pool) = POOL
        .as_ref()
        .filter(|_| cores() > 1 && items.len() > 1 && total >= WORTH_SHARING)
    else {
        return items.into_iter().map(work).collect();
    };
    let mut indexed: Vec<(usize, T)> = items.into_iter().enumerate().collect();
    indexed.sort_by_key(|&(i, _)| std::cmp::Reverse(weights[i]));
    let mut done: Vec<(usize, R)> =
        pool.install(|| indexed.into_par_iter().map(|(i, t)| (i, work(t))).collect());
    done.sort_unstable_by_key(|&(i, _)| i);
    done.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_for_small_and_large_inputs() {
        for count in [0, 1, 3, 1000] {
            let items: Vec<usize> = (0..count).collect();
            let mapped = map_in_order(items, |&i| WORTH_SHARING / 10 + i % 7, |i| i * 2);
            assert_eq!(mapped, (0..count).map(|i| i * 2).collect::<Vec<_>>());
            let each = map_each(&(0..count).collect::<Vec<_>>(), |i| i + 1);
            assert_eq!(each, (1..=count).collect::<Vec<_>>());
        }
    }
}
