//! Per-chapter work shared out between the cores, results kept in reading order.

use std::num::NonZeroUsize;
use std::sync::Mutex;
use std::thread;

/// Below this much input, starting threads costs more than it saves.
const WORTH_SHARING: usize = 256 * 1024;

/// Workers get a large stack, like the main thread: chapters may nest deeply.
const WORKER_STACK: usize = 256 * 1024 * 1024;

/// How many threads are worth starting: the cores, at most 8.
pub(crate) fn cores() -> usize {
    thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .min(8)
}

/// `items.iter().map(work).collect()`, each item on a thread of its own (the first
/// on this one). An item whose thread cannot be started is done here.
pub(crate) fn map_each<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let work = &work;
    thread::scope(|scope| {
        let started: Vec<_> = items
            .iter()
            .skip(1)
            .map(|item| {
                thread::Builder::new()
                    .stack_size(WORKER_STACK)
                    .spawn_scoped(scope, move || work(item))
                    .ok()
            })
            .collect();
        let mut results = Vec::with_capacity(items.len());
        results.extend(items.first().map(work));
        for (handle, item) in started.into_iter().zip(items.iter().skip(1)) {
            results.push(match handle {
                Some(handle) => handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                None => work(item),
            });
        }
        results
    })
}

/// `items.into_iter().map(work).collect()`, on every core.
///
/// The items are cut into contiguous batches of about equal `weight`; this thread
/// and the workers each take the next batch nobody has taken, until none is left,
/// so a worker that cannot be started only means less help. Small inputs and
/// one-core machines stay on this thread.
pub(crate) fn map_in_order<T: Send, R: Send>(
    items: Vec<T>,
    weight: impl Fn(&T) -> usize,
    work: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    let total: usize = items.iter().map(&weight).sum();
    let threads = cores().min(items.len());
    if threads < 2 || total < WORTH_SHARING {
        return items.into_iter().map(work).collect();
    }

    let batches = (threads * 4).min(items.len());
    let share = total.div_ceil(batches);
    let mut cut: Vec<Vec<T>> = vec![Vec::new()];
    let mut filled = 0;
    for item in items {
        if filled >= share {
            cut.push(Vec::new());
            filled = 0;
        }
        filled += weight(&item);
        cut.last_mut().expect("one batch at least").push(item);
    }
    let todo: Vec<Mutex<Option<Vec<T>>>> = cut.into_iter().map(|b| Mutex::new(Some(b))).collect();
    let done: Vec<Mutex<Option<Vec<R>>>> = todo.iter().map(|_| Mutex::new(None)).collect();
    let take_batches = || {
        for (batch, result) in todo.iter().zip(&done) {
            let taken = batch.lock().unwrap_or_else(|p| p.into_inner()).take();
            if let Some(batch) = taken {
                let mapped = batch.into_iter().map(&work).collect();
                *result.lock().unwrap_or_else(|p| p.into_inner()) = Some(mapped);
            }
        }
    };
    thread::scope(|scope| {
        for _ in 1..threads {
            let _ = thread::Builder::new()
                .stack_size(WORKER_STACK)
                .spawn_scoped(scope, take_batches);
        }
        take_batches();
    });
    done.into_iter()
        .flat_map(|result| {
            result
                .into_inner()
                .unwrap_or_else(|p| p.into_inner())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_for_small_and_large_inputs() {
        for count in [0, 1, 3, 1000] {
            let items: Vec<usize> = (0..count).collect();
            let mapped = map_in_order(items, |_| WORTH_SHARING / 10, |i| i * 2);
            assert_eq!(mapped, (0..count).map(|i| i * 2).collect::<Vec<_>>());
        }
    }
}
