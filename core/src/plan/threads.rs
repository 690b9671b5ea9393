//! The threads a plan runs on, for hosts that look after them: a host that chose its own
//! allocator (the Python and Node packages choose mimalloc) asks it, after a plan, to give
//! back what the plan's threads freed, on each of those threads.

/// Runs `f` once on every thread of the pool plans made from the calling thread run on
/// (rayon's current pool: the one the caller runs in, else the global pool), and once on
/// the calling thread when it is not one of them. It returns when every call has returned.
///
/// An allocator with per-thread heaps keeps memory that one thread freed for another until
/// the owning thread looks at its heap again; after a plan the pool's threads sleep, so a
/// host that wants the memory back (to keep its peak low) asks each of them with this.
pub fn on_every_thread(f: impl Fn() + Sync) {
    rayon::broadcast(|_| f());
    if rayon::current_thread_index().is_none() {
        f();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::sync::Mutex;

    fn threads_called(run: impl FnOnce(&(dyn Fn() + Sync))) -> (usize, usize) {
        let calls = Mutex::new(Vec::new());
        run(&|| calls.lock().unwrap().push(std::thread::current().id()));
        let calls = calls.into_inner().unwrap();
        let distinct: HashSet<_> = calls.iter().collect();
        (calls.len(), distinct.len())
    }

    #[test]
    fn inside_a_pool_every_thread_of_the_pool_runs_it_once() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        let (calls, distinct) = pool.install(|| threads_called(|f| on_every_thread(f)));
        assert_eq!((calls, distinct), (3, 3));
    }

    #[test]
    fn outside_a_pool_the_global_pool_and_the_caller_run_it_once_each() {
        let (calls, distinct) = std::thread::spawn(|| threads_called(|f| on_every_thread(f)))
            .join()
            .unwrap();
        assert_eq!(calls, rayon::current_num_threads() + 1);
        assert_eq!(distinct, calls);
    }
}
