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

/// A folder owned by another user than the one this process runs as.
#[derive(Debug, PartialEq, Eq)]
pub struct Foreign {
    pub owner: String,
    pub user: String,
}

/// Whether a process running as `euid` must leave alone a folder owned by
/// `owner`: anyone but its owner, root included — a file root leaves in the
/// data folder stops the service (running as its own user) from opening it.
pub fn refuses(euid: u32, owner: u32) -> bool {
    euid != owner
}

/// The owner of `folder` and this process's user, named, when they differ;
/// `None` when they are the same or the folder does not exist yet.
pub fn foreign_owner(folder: &std::path::Path) -> Option<Foreign> {
    use std::os::unix::fs::MetadataExt;
    let owner = std::fs::metadata(folder).ok()?.uid();
    // SAFETY: geteuid takes nothing and cannot fail.
    let euid = unsafe { libc::geteuid() };
    refuses(euid, owner).then(|| Foreign {
        owner: user_name(owner),
        user: user_name(euid),
    })
}

/// A user's name, or `uid N` when it has none.
fn user_name(uid: u32) -> String {
    let mut buffer = vec![0 as libc::c_char; 1024];
    // SAFETY: `entry` and `buffer` live for the call; getpwuid_r writes the
    // name into `buffer` and sets `found` to `entry` only on success.
    let mut entry: libc::passwd = unsafe { std::mem::zeroed() };
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    let done = unsafe {
        libc::getpwuid_r(
            uid,
            &mut entry,
            buffer.as_mut_ptr(),
            buffer.len(),
            &mut found,
        )
    };
    if done != 0 || found.is_null() || entry.pw_name.is_null() {
        return format!("uid {uid}");
    }
    // SAFETY: on success pw_name points to a NUL-terminated name in `buffer`.
    let name = unsafe { std::ffi::CStr::from_ptr(entry.pw_name) };
    format!("{} (uid {uid})", name.to_string_lossy())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_data_folders_owner_may_use_it_root_included() {
        assert!(!refuses(998, 998), "its owner");
        assert!(refuses(0, 998), "root, on the service's folder");
        assert!(refuses(1000, 998), "another user");
        assert_eq!(user_name(0), "root (uid 0)");
        assert!(user_name(4_000_123).starts_with("uid 4000123"));
    }
}
