//! Slot uids that are unique on the host, whichever processes hold them.
//!
//! `code-remote serve`, `worker` and `run` on one host all start from the same `uid_base`. A
//! sandbox uid is only an isolation boundary (and an RLIMIT_NPROC account) if no two sandboxes
//! of different processes share it, so a process owns a slot uid only while it holds an
//! exclusive `flock` on `<runtime_dir>/slots/<uid>.lock`. It takes the first free uids from
//! `uid_base` upwards; the kernel drops the locks when the process exits, even by SIGKILL, so a
//! crashed holder frees its uids at once.
//!
//! The lock directory is created by the supervisor (root) and refused unless it is a real
//! directory of ours that nobody else can write; sandboxes never see it (no `/run` inside).
//! What this does not do: lock anything when the supervisor is not root (the sandboxes then
//! share its uid anyway; see weaker mode).

use std::{
    fs::{DirBuilder, File, OpenOptions},
    io,
    os::{
        fd::AsRawFd,
        unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt},
    },
    path::{Path, PathBuf},
};

use crate::{Error, Result};

/// How many uids from `uid_base` upwards a process may take its slot uids from; all of them
/// must own nothing on the host.
pub const SLOT_UID_SPAN: u32 = 1024;

/// The uids of one [`crate::Sandbox`]'s slots, with the locks that make them its own.
pub(crate) struct SlotUids {
    uids: Vec<u32>,
    /// Held for as long as the slots are ours; closing them releases the uids.
    _locks: Vec<File>,
}

impl SlotUids {
    /// Locks the first `count` free uids of `base .. base + SLOT_UID_SPAN` in `dir`.
    pub fn lock(dir: &Path, base: u32, count: usize) -> Result<SlotUids> {
        Self::lock_within(dir, base, SLOT_UID_SPAN, count)
    }

    fn lock_within(dir: &Path, base: u32, span: u32, count: usize) -> Result<SlotUids> {
        prepare_dir(dir)?;
        let mut uids = Vec::with_capacity(count);
        let mut locks = Vec::with_capacity(count);
        for uid in base..base.saturating_add(span) {
            if uids.len() == count {
                break;
            }
            if let Some(lock) = try_lock(&dir.join(format!("{uid}.lock")))? {
                uids.push(uid);
                locks.push(lock);
            }
        }
        if uids.len() < count {
            return Err(Error::NoFreeSlotUids {
                dir: dir.to_path_buf(),
                first: base,
                span,
                wanted: count,
            });
        }
        Ok(SlotUids {
            uids,
            _locks: locks,
        })
    }

    /// `base .. base + count` without locks, for a supervisor that does not switch uids.
    pub fn unlocked(base: u32, count: usize) -> SlotUids {
        SlotUids {
            uids: (base..).take(count).collect(),
            _locks: Vec::new(),
        }
    }

    pub fn uid(&self, slot: usize) -> u32 {
        self.uids[slot]
    }

    pub fn all(&self) -> &[u32] {
        &self.uids
    }
}

/// Creates `dir` (and its parent, the runtime directory) if needed, then refuses it unless both
/// are real directories owned by this process's user and writable by nobody else: whoever can
/// write there could hold or steal every slot uid (or plant what bwrap binds into sandboxes).
pub(crate) fn prepare_dir(dir: &Path) -> Result<()> {
    let failed = |source: io::Error| Error::SlotLocks {
        path: dir.to_path_buf(),
        source,
    };
    DirBuilder::new()
        .recursive(true)
        .mode(0o755)
        .create(dir)
        .map_err(failed)?;
    // SAFETY: geteuid has no preconditions.
    let me = unsafe { libc::geteuid() };
    for path in [dir.parent().unwrap_or(dir), dir] {
        let meta = std::fs::symlink_metadata(path).map_err(failed)?;
        let unsafe_because = if !meta.file_type().is_dir() {
            Some("it is not a directory (a symlink?)")
        } else if meta.uid() != me {
            Some("it is owned by another user")
        } else if meta.mode() & 0o022 != 0 {
            Some("others can write to it")
        } else {
            None
        };
        if let Some(why) = unsafe_because {
            return Err(Error::UnsafeRuntimeDir {
                path: PathBuf::from(path),
                why,
            });
        }
    }
    Ok(())
}

/// The open, exclusively locked file, or `None` when another process holds it.
fn try_lock(path: &Path) -> Result<Option<File>> {
    let failed = |source: io::Error| Error::SlotLocks {
        path: path.to_path_buf(),
        source,
    };
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .map_err(failed)?;
    // SAFETY: flock on an fd we own.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
        return Ok(Some(file));
    }
    match io::Error::last_os_error() {
        e if e.kind() == io::ErrorKind::WouldBlock => Ok(None),
        e => Err(failed(e)),
    }
}

#[cfg(test)]
mod tests {
    use std::{
        io::{BufRead, BufReader},
        process::{Command, Stdio},
    };

    use super::*;

    const DIR_VAR: &str = "CODE_REMOTE_TEST_SLOT_LOCK_DIR";

    /// A fresh lock directory of this test process.
    fn lock_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir()
            .join(format!("code-remote-test-{}-{name}", std::process::id()))
            .join("slots");
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn two_owners_on_one_host_get_disjoint_uids_and_released_ones_come_back() {
        let dir = lock_dir("disjoint");
        let first = SlotUids::lock(&dir, 70_000, 3).unwrap();
        let second = SlotUids::lock(&dir, 70_000, 3).unwrap();
        assert_eq!(first.all(), [70_000, 70_001, 70_002]);
        assert_eq!(second.all(), [70_003, 70_004, 70_005]);
        drop(first);
        let third = SlotUids::lock(&dir, 70_000, 2).unwrap();
        assert_eq!(third.all(), [70_000, 70_001]);
        let _ = std::fs::remove_dir_all(dir.parent().unwrap());
    }

    #[test]
    fn a_full_span_is_an_error_not_a_shared_uid() {
        let dir = lock_dir("full");
        let _all = SlotUids::lock_within(&dir, 70_000, 4, 4).unwrap();
        assert!(matches!(
            SlotUids::lock_within(&dir, 70_000, 4, 1),
            Err(Error::NoFreeSlotUids { .. })
        ));
        let _ = std::fs::remove_dir_all(dir.parent().unwrap());
    }

    #[test]
    fn a_lock_directory_others_can_write_is_refused() {
        let dir = lock_dir("open");
        std::fs::create_dir_all(&dir).unwrap();
        let mut perms = std::fs::metadata(&dir).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o777);
        std::fs::set_permissions(&dir, perms).unwrap();
        assert!(matches!(
            SlotUids::lock(&dir, 70_000, 1),
            Err(Error::UnsafeRuntimeDir { .. })
        ));
        let _ = std::fs::remove_dir_all(dir.parent().unwrap());
    }

    /// Holds slot uid 70000 of the directory in `DIR_VAR` until it is killed; runs only as the
    /// child process of the test below.
    #[test]
    #[ignore = "helper: started as a separate process by a_killed_holder_frees_its_uid"]
    fn holder_of_one_slot_uid() {
        let Ok(dir) = std::env::var(DIR_VAR) else {
            return;
        };
        let held = SlotUids::lock(Path::new(&dir), 70_000, 1).unwrap();
        println!("holding {}", held.uid(0));
        // Blocks until the parent kills us (it never writes to our stdin).
        let _ = std::io::stdin().read_line(&mut String::new());
    }

    #[test]
    fn a_killed_holder_frees_its_uid() {
        let dir = lock_dir("crash");
        let mut holder = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "slot_uids::tests::holder_of_one_slot_uid",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(DIR_VAR, &dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(holder.stdout.take().unwrap()).lines();
        // libtest prints "test <name> ... " on the same line first.
        let held = lines.find_map(|l| Some(l.ok()?.split_once("holding ")?.1.to_owned()));
        assert_eq!(held.as_deref(), Some("70000"), "the holder did not start");
        assert_eq!(SlotUids::lock(&dir, 70_000, 1).unwrap().all(), [70_001]);
        holder.kill().unwrap();
        holder.wait().unwrap();
        assert_eq!(SlotUids::lock(&dir, 70_000, 1).unwrap().all(), [70_000]);
        let _ = std::fs::remove_dir_all(dir.parent().unwrap());
    }
}
