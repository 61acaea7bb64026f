//! What the process itself does to keep her data private on the server.

/// Called first thing by every command: files the bot creates (sled's, the
/// keyring's, logs redirected by a shell) are readable by its own user only, and
/// a crash writes no core dump, which would hold keys and plaintexts.
pub fn lock_down() {
    // SAFETY: umask, prctl and setrlimit only change this process's settings and
    // take no pointers but the rlimit, which lives for the call.
    unsafe {
        libc::umask(0o077);
        #[cfg(target_os = "linux")]
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
        let none = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        libc::setrlimit(libc::RLIMIT_CORE, &none);
    }
}

/// glibc gives each thread that allocates an arena of its own (up to eight per
/// core) and keeps what is freed there: with the blocking pool's threads that
/// doubled the bot's resident memory in the load benchmark (42 MiB with one
/// arena, 87 MiB with sixteen, 5,000 women mid-dialogue). Two are enough for two
/// async workers; the other threads mostly wait for the disk.
///
/// It also grows its mmap threshold with every large block freed (up to 32
/// MiB), so large buffers end up in the heap and stay there, and keeps up to
/// twice that threshold free at the heap's top: both fixed at 128 KiB (glibc's
/// starting value), the peak fell from 63.7 to 54.5 MiB (10,000 women
/// mid-dialogue, one run each) with no more CPU per update.
pub fn lean_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a parameter of this process's allocator; it is
    // called first thing, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 128 * 1024);
    }
}
