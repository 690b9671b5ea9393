//! Giving back, after a plan, the memory the plan freed: the extension's allocator is
//! mimalloc (see `lib.rs`), whose threads keep what another thread freed for them until they
//! look at their heaps again, and after a plan the planning threads sleep. Without this a
//! plan of 10,000 workloads left 70-200 MiB of freed memory resident (more on a busy
//! machine), which the caller's next large strings (`to_yaml` and writing it) came on top of.

unsafe extern "C" {
    /// mimalloc's own collection (`mi_collect` of mimalloc.h), in the library the global
    /// allocator links (`libmimalloc-sys` declares it only with its `extended` feature).
    fn mi_collect(force: bool);
}

/// Asks mimalloc on every planning thread and on this one to return the memory freed there
/// to the system.
pub fn give_back() {
    // SAFETY: `mi_collect` only walks the calling thread's heap and mimalloc's arenas; it
    // is safe to call on any thread at any time.
    goldpath::plan::on_every_thread(|| unsafe { mi_collect(true) });
}
