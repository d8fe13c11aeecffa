//! Files a program leaves in `/box/out/` (matplotlib figures included), collected after every
//! process of the sandbox is gone.
//!
//! How the host reaches them without ever following a path the sandbox can write (the lesson
//! of Judge0's CVE-2024-28185): before any user code runs, the bootstrap creates `/box/out`,
//! opens it and sends that directory fd over a socket pair whose other end only the supervisor
//! holds, then closes its end. After the run the supervisor receives the fd (a message queued
//! on a socket outlives its sender), checks it is a directory on a tmpfs owned by the slot
//! uid, and reads entries relative to it only:
//!
//! - names come from `getdents` of that directory, so they hold no `/`; `.` and `..` are skipped;
//! - each entry is `fstatat(AT_SYMLINK_NOFOLLOW)`ed, then `openat(O_NOFOLLOW | O_NONBLOCK |
//!   O_NOCTTY)`ed and `fstat`ed again: only a regular file with one link, on the same
//!   filesystem, whose inode did not change, is read. Symlinks (to `/etc/shadow`, to
//!   `/dev/zero`), hard links, FIFOs, sockets and devices are skipped with a note, and nothing
//!   blocks: the program has stopped, and `O_NONBLOCK` would return at once even on a FIFO;
//! - a file is read only up to the remaining byte budget (plus one byte, to see it is larger).
//!
//! Bounds: `/box` is a size-limited tmpfs (charged to the memory cgroup), so nothing the
//! program writes reaches the host's disk; the collector scans at most [`MAX_SCANNED`] entries,
//! keeps at most `max_files` files and `max_total_bytes` bytes, and says what it left out.

use std::{
    collections::BTreeSet,
    ffi::CStr,
    io::{IoSliceMut, Read},
    mem::MaybeUninit,
    os::fd::OwnedFd,
};

use rustix::{
    fs::{AtFlags, Dir, FileType, Mode, OFlags},
    net::{RecvAncillaryBuffer, RecvAncillaryMessage, RecvFlags},
};

/// Directory entries looked at, at most, whatever the program created (10,000 empty files cost
/// the program nothing but inodes; reading them all would cost the host).
pub const MAX_SCANNED: usize = 1024;
/// Longest artifact name kept, in bytes.
pub const MAX_NAME_BYTES: usize = 100;
/// How many reasons for leaving files out are reported.
const MAX_NOTES: usize = 8;

/// Limits on what one run may hand back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArtifactLimits {
    pub max_files: usize,
    pub max_total_bytes: u64,
}

impl Default for ArtifactLimits {
    fn default() -> Self {
        Self {
            max_files: 16,
            max_total_bytes: 8 * 1024 * 1024,
        }
    }
}

/// One file from `/box/out`, under its sanitised name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Artifact {
    pub name: String,
    pub data: Vec<u8>,
}

/// What a run handed back.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Artifacts {
    /// In name order.
    pub files: Vec<Artifact>,
    /// Why files were left out, in words ("link.txt: a symbolic link"), at most a few.
    pub skipped: Vec<String>,
    /// Whether anything was left out.
    pub truncated: bool,
}

impl Artifacts {
    fn skip(&mut self, why: String) {
        self.truncated = true;
        if self.skipped.len() < MAX_NOTES {
            self.skipped.push(why);
        }
    }
}

/// Receives the `/box/out` directory fd the bootstrap sent, without waiting: `None` when there
/// is none (the sandbox died before its bootstrap sent it) or the message is not one fd.
pub(crate) fn receive_dir(socket: &OwnedFd) -> Option<OwnedFd> {
    let mut space = [MaybeUninit::<u8>::uninit(); rustix::cmsg_space!(ScmRights(2))];
    let mut control = RecvAncillaryBuffer::new(&mut space);
    let mut byte = [0u8; 1];
    let received = rustix::net::recvmsg(
        socket,
        &mut [IoSliceMut::new(&mut byte)],
        &mut control,
        RecvFlags::DONTWAIT | RecvFlags::CMSG_CLOEXEC,
    )
    .ok()?;
    if received.bytes != 1 || byte != *b"o" {
        return None;
    }
    // Every fd received is owned here and closed when dropped; exactly one is expected.
    let mut fds: Vec<OwnedFd> = Vec::new();
    for message in control.drain() {
        if let RecvAncillaryMessage::ScmRights(rights) = message {
            fds.extend(rights);
        }
    }
    (fds.len() == 1).then(|| fds.pop()).flatten()
}

/// Collects the files of `dir` (see the module doc). `owner` is the slot uid the directory must
/// belong to (`None` when the sandbox runs as the supervisor's own uid).
pub(crate) fn collect(dir: &OwnedFd, owner: Option<u32>, limits: &ArtifactLimits) -> Artifacts {
    let mut artifacts = Artifacts::default();
    let Ok(dir_stat) = rustix::fs::fstat(dir) else {
        return artifacts;
    };
    let is_tmpfs = rustix::fs::fstatfs(dir).is_ok_and(|fs| fs.f_type == libc::TMPFS_MAGIC);
    if FileType::from_raw_mode(dir_stat.st_mode) != FileType::Directory
        || !is_tmpfs
        || owner.is_some_and(|uid| dir_stat.st_uid != uid)
    {
        artifacts.skip("/box/out is not the sandbox's own directory; nothing was collected".into());
        return artifacts;
    }
    let Ok(entries) = Dir::read_from(dir) else {
        return artifacts;
    };
    let mut names: Vec<Vec<u8>> = Vec::new();
    for entry in entries {
        let Ok(entry) = entry else { break };
        let name = entry.file_name().to_bytes();
        if name == b"." || name == b".." {
            continue;
        }
        if names.len() == MAX_SCANNED {
            artifacts.skip(format!(
                "/box/out holds more than {MAX_SCANNED} entries; only {MAX_SCANNED} were looked at"
            ));
            break;
        }
        names.push(name.to_vec());
    }
    names.sort();
    let mut taken = BTreeSet::new();
    let mut budget = limits.max_total_bytes;
    for raw in names {
        let shown = sanitise(&raw);
        if artifacts.files.len() == limits.max_files {
            artifacts.skip(format!("{shown}: more than {} files", limits.max_files));
            continue;
        }
        match read_one(dir, &raw, dir_stat.st_dev, budget) {
            Ok(data) => {
                let name = unique(shown, &mut taken);
                budget -= data.len() as u64;
                artifacts.files.push(Artifact { name, data });
            }
            Err(why) => artifacts.skip(format!("{shown}: {why}")),
        }
    }
    artifacts
}

/// Reads one entry of `dir` if it is a plain file of at most `budget` bytes.
fn read_one(dir: &OwnedFd, name: &[u8], dev: u64, budget: u64) -> Result<Vec<u8>, String> {
    let name = std::ffi::CString::new(name).map_err(|_| "an unreadable name".to_string())?;
    let name: &CStr = &name;
    let before = rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW)
        .map_err(|e| format!("cannot be inspected ({e})"))?;
    check_plain(&before)?;
    let file = rustix::fs::openat(
        dir,
        name,
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| format!("cannot be opened ({e})"))?;
    let stat = rustix::fs::fstat(&file).map_err(|e| format!("cannot be inspected ({e})"))?;
    check_plain(&stat)?;
    if stat.st_ino != before.st_ino || stat.st_dev != dev {
        return Err("changed while it was collected".into());
    }
    let size = u64::try_from(stat.st_size).unwrap_or(u64::MAX);
    if size > budget {
        return Err(format!(
            "{} bytes, over the {budget} bytes left of the artifact limit",
            size
        ));
    }
    let mut data = Vec::with_capacity(size as usize);
    std::fs::File::from(file)
        .take(budget + 1)
        .read_to_end(&mut data)
        .map_err(|e| format!("cannot be read ({e})"))?;
    if data.len() as u64 > budget {
        return Err(format!(
            "over the {budget} bytes left of the artifact limit"
        ));
    }
    Ok(data)
}

fn check_plain(stat: &rustix::fs::Stat) -> Result<(), String> {
    match FileType::from_raw_mode(stat.st_mode) {
        FileType::RegularFile if stat.st_nlink == 1 => Ok(()),
        FileType::RegularFile => {
            Err("a hard link (files with several links are not collected)".into())
        }
        FileType::Symlink => Err("a symbolic link (links are not followed)".into()),
        FileType::Directory => {
            Err("a directory (only files directly in /box/out are collected)".into())
        }
        FileType::Fifo => Err("a FIFO (only regular files are collected)".into()),
        FileType::Socket => Err("a socket (only regular files are collected)".into()),
        _ => Err("a device (only regular files are collected)".into()),
    }
}

/// A name safe in a URL path segment, a `Content-Disposition` header and a file system:
/// letters, digits, `.`, `-` and `_`; anything else becomes `_`; no leading dot; at most
/// [`MAX_NAME_BYTES`] bytes, keeping the extension.
pub fn sanitise(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let mut name: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    while name.starts_with('.') {
        name.replace_range(..1, "_");
    }
    if name.len() > MAX_NAME_BYTES {
        let extension = name
            .rfind('.')
            .map(|dot| name[dot..].to_string())
            .filter(|ext| ext.len() <= 10)
            .unwrap_or_default();
        name.truncate(MAX_NAME_BYTES - extension.len());
        name.push_str(&extension);
    }
    if name.is_empty() {
        name.push('_');
    }
    name
}

/// `name`, or `name-2`, `name-3`, … when two raw names sanitise to the same one.
fn unique(name: String, taken: &mut BTreeSet<String>) -> String {
    let mut candidate = name.clone();
    let (stem, extension) = match name.rfind('.') {
        Some(dot) if dot > 0 => (&name[..dot], &name[dot..]),
        _ => (name.as_str(), ""),
    };
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{stem}-{n}{extension}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

/// A connected pair for handing the directory fd out: (supervisor end, sandbox end).
pub(crate) fn socket_pair() -> std::io::Result<(OwnedFd, OwnedFd)> {
    use rustix::net::{AddressFamily, SocketFlags, SocketType};
    let (ours, theirs) = rustix::net::socketpair(
        AddressFamily::UNIX,
        SocketType::SEQPACKET,
        SocketFlags::CLOEXEC,
        None,
    )?;
    // Load-bearing: only the bootstrap may send, and only once; the supervisor never writes.
    rustix::net::shutdown(&ours, rustix::net::Shutdown::Write)?;
    Ok((ours, theirs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_separators_control_characters_and_leading_dots() {
        assert_eq!(sanitise(b"plot.png"), "plot.png");
        assert_eq!(sanitise(b"../../etc/passwd"), "_._.._etc_passwd");
        assert_eq!(sanitise(b"a\nb\x1b[31m.txt"), "a_b__31m.txt");
        assert_eq!(sanitise(b".hidden"), "_hidden");
        assert_eq!(sanitise("résumé.csv".as_bytes()), "r_sum_.csv");
        for name in ["plot.png", "_._.._etc_passwd", "a_b__31m.txt", "_hidden"] {
            assert!(
                name.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
            );
        }
        let long = sanitise(
            &[b'x'; 300]
                .iter()
                .copied()
                .chain(*b".png")
                .collect::<Vec<_>>(),
        );
        assert_eq!(long.len(), MAX_NAME_BYTES);
        assert!(long.ends_with(".png"));
    }

    #[test]
    fn names_that_collide_after_sanitising_are_numbered() {
        let mut taken = BTreeSet::new();
        assert_eq!(unique("a_b.txt".into(), &mut taken), "a_b.txt");
        assert_eq!(unique("a_b.txt".into(), &mut taken), "a_b-2.txt");
        assert_eq!(unique("a_b.txt".into(), &mut taken), "a_b-3.txt");
    }
}
