//! Work on every core, results in order: what lets a plan resolve and render its workloads in
//! parallel while the output step ([`super::assemble`]) still sees every object in plan order.
//!
//! The threads are rayon's: the pool the plan runs in (inside
//! [`rayon::ThreadPool::install`]), else the global pool, whose size `RAYON_NUM_THREADS` sets
//! (the number of cores by default). On a pool of one thread a plan does everything on the
//! calling thread, in order, as it always did.

use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, TryRecvError};
use std::time::Duration;

/// How many results may wait for their turn, per thread: enough to keep every thread busy
/// while the calling thread takes results, few enough that a plan's memory does not grow
/// with its size.
const WAITING_PER_THREAD: usize = 32;

/// Whether work is worth handing to other threads: the pool the caller runs in has more than
/// one.
pub(crate) fn is_parallel() -> bool {
    rayon::current_num_threads() > 1
}

/// Runs `main` on the calling thread and `side` on another of rayon's threads at the same
/// time, and gives both results once both are done: work of the plan's own thread and work it
/// does not depend on until later, side by side. On a pool of one thread, `main` then `side`,
/// on the calling thread. A panic in either goes on in the caller once both have ended.
pub(crate) fn beside<A, B: Send>(
    main: impl FnOnce() -> A,
    side: impl FnOnce() -> B + Send,
) -> (A, B) {
    if !is_parallel() {
        let a = main();
        return (a, side());
    }
    let mut b = None;
    let a = rayon::in_place_scope(|scope| {
        let b = &mut b;
        scope.spawn(move |_| *b = Some(side()));
        main()
    });
    // The scope ends once the spawned work has: it set `b`, or its panic went on above.
    (a, b.expect("the side work ended with the scope"))
}

/// `work` of each of `items`, in their order, made on rayon's threads (on a pool of one
/// thread, or for a few items, one after the other on the calling thread).
pub(crate) fn map_in_order<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use rayon::prelude::*;
    if !is_parallel() || items.len() < 64 {
        return items.iter().map(work).collect();
    }
    items.par_iter().with_min_len(32).map(&work).collect()
}

/// Drops `held` on one of rayon's threads, without waiting for it (on a pool of one thread,
/// here): what a finished plan held is let go while its caller goes on.
pub(crate) fn let_go<T: Send + 'static>(held: T) {
    if is_parallel() {
        rayon::spawn(move || drop(held));
    } else {
        drop(held);
    }
}

/// Runs `work` on each of `items` on rayon's threads and hands each result to `take`, on the
/// calling thread, in the order of `items`, as soon as it is next. At most
/// [`WAITING_PER_THREAD`] results per thread are made ahead of the one `take` waits for. The
/// first error of `take` ends the run (work already started finishes and is dropped; no more
/// starts). A panic in `work` goes on in the caller.
pub(crate) fn ordered<T, R, E>(
    items: &[T],
    work: impl Fn(&T) -> R + Sync,
    mut take: impl FnMut(&T, R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Sync,
    R: Send,
{
    let ahead = WAITING_PER_THREAD * rayon::current_num_threads().max(1);
    let stop = AtomicBool::new(false);
    let (sender, receiver) = mpsc::channel::<(usize, std::thread::Result<Option<R>>)>();
    rayon::in_place_scope(|scope| {
        let (work, stop) = (&work, &stop);
        let spawn = |i: usize| {
            let sender = sender.clone();
            scope.spawn(move |_| {
                let result = panic::catch_unwind(AssertUnwindSafe(|| {
                    (!stop.load(Relaxed)).then(|| work(&items[i]))
                }));
                // The receiver is gone only when the run has ended.
                let _ = sender.send((i, result));
            });
        };
        let mut started = 0;
        while started < items.len().min(ahead) {
            spawn(started);
            started += 1;
        }
        let mut arrived = HashMap::new();
        for (i, item) in items.iter().enumerate() {
            let result = loop {
                if let Some(result) = arrived.remove(&i) {
                    break result;
                }
                let (j, result) = receive(&receiver);
                arrived.insert(j, result);
            };
            if started < items.len() {
                spawn(started);
                started += 1;
            }
            let outcome = match result {
                Ok(Some(result)) => take(item, result),
                // Work is skipped only once the run has stopped, which ends this loop.
                Ok(None) => unreachable!("work skipped while the run goes on"),
                Err(payload) => {
                    stop.store(true, Relaxed);
                    panic::resume_unwind(payload)
                }
            };
            if let Err(error) = outcome {
                stop.store(true, Relaxed);
                return Err(error);
            }
        }
        Ok(())
    })
}

/// The next result. On a thread of the pool that does the work, waiting must not block it: it
/// runs pending work of the pool meanwhile (on a pool of one thread, nothing else would).
fn receive<M>(receiver: &Receiver<M>) -> M {
    if rayon::current_thread_index().is_none() {
        return receiver
            .recv()
            .expect("the sender is held until every result is received");
    }
    loop {
        match receiver.try_recv() {
            Ok(message) => return message,
            Err(TryRecvError::Disconnected) => {
                unreachable!("the sender is held until every result is received")
            }
            Err(TryRecvError::Empty) => {}
        }
        if rayon::yield_now() != Some(rayon::Yield::Executed) {
            // Nothing to run here: the work is running on another thread.
            match receiver.recv_timeout(Duration::from_micros(200)) {
                Ok(message) => return message,
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    unreachable!("the sender is held until every result is received")
                }
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A rayon pool of `threads` threads (for tests that compare pools).
    pub(crate) fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
    }

    fn squares_in_order(threads: usize) -> Vec<u64> {
        let items: Vec<u64> = (0..500).collect();
        pool(threads).install(|| {
            let mut seen = Vec::new();
            ordered(
                &items,
                |n| {
                    // Later items finish first, out of order.
                    std::thread::sleep(Duration::from_micros(500 - *n));
                    n * n
                },
                |n, square| {
                    assert_eq!(square, n * n);
                    seen.push(square);
                    Ok::<(), ()>(())
                },
            )
            .unwrap();
            seen
        })
    }

    #[test]
    fn results_come_in_the_order_of_the_items_on_any_pool() {
        let expected: Vec<u64> = (0..500).map(|n| n * n).collect();
        assert_eq!(squares_in_order(1), expected);
        assert_eq!(squares_in_order(4), expected);
    }

    #[test]
    fn the_first_error_in_order_ends_the_run() {
        let items: Vec<u32> = (0..1000).collect();
        let mut taken = Vec::new();
        let result = pool(3).install(|| {
            ordered(
                &items,
                |n| *n,
                |_, n| {
                    taken.push(n);
                    if n % 100 == 42 { Err(n) } else { Ok(()) }
                },
            )
        });
        assert_eq!(result, Err(42));
        assert_eq!(taken, (0..=42).collect::<Vec<_>>());
    }

    #[test]
    fn a_panic_in_the_work_reaches_the_caller() {
        let items: Vec<u32> = (0..50).collect();
        let caught = panic::catch_unwind(|| {
            pool(2).install(|| {
                ordered(
                    &items,
                    |n| assert_ne!(*n, 30, "work failed"),
                    |_, ()| Ok::<(), ()>(()),
                )
            })
        });
        assert!(caught.is_err());
    }

    #[test]
    fn side_work_runs_on_another_thread_beside_the_callers() {
        for threads in [1, 2, 4] {
            let caller = std::thread::current().id();
            let (a, (b, side_thread)) = pool(threads).install(|| {
                let caller = std::thread::current().id();
                let (tx, rx) = mpsc::channel::<()>();
                beside(
                    || {
                        // On several threads the side work runs meanwhile: it signals.
                        if threads > 1 {
                            rx.recv_timeout(Duration::from_secs(30)).unwrap();
                        }
                        (caller, std::thread::current().id())
                    },
                    move || {
                        let _ = tx.send(());
                        (7, std::thread::current().id())
                    },
                )
            });
            assert_eq!(b, 7);
            assert_eq!(a.0, a.1, "the main work runs on the calling thread");
            assert_ne!(a.0, caller);
            if threads > 1 {
                assert_ne!(side_thread, a.0, "the side work on another thread");
            } else {
                assert_eq!(side_thread, a.0, "one thread: both on the caller");
            }
        }
    }

    #[test]
    fn mapped_results_keep_the_order_of_the_items() {
        let items: Vec<u64> = (0..1000).collect();
        for threads in [1, 2, 4] {
            let squares = pool(threads).install(|| map_in_order(&items, |n| n * n));
            assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_panic_beside_reaches_the_caller() {
        for threads in [1, 3] {
            let caught = panic::catch_unwind(|| {
                pool(threads).install(|| beside(|| 1, || panic!("side work failed")))
            });
            assert!(caught.is_err());
        }
    }

    #[test]
    fn a_run_from_outside_any_pool_uses_the_global_one() {
        let items: Vec<u32> = (0..100).collect();
        let mut sum = 0;
        ordered(
            &items,
            |n| n + 1,
            |_, n| {
                sum += n;
                Ok::<(), ()>(())
            },
        )
        .unwrap();
        assert_eq!(sum, (1..=100).sum::<u32>());
    }
}
