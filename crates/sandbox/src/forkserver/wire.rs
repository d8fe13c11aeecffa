//! One launch request on the wire, from the supervisor to the fork server: bwrap's path and
//! arguments and the [`LauncherSetup`] (its fds travel beside it, as `SCM_RIGHTS`). Fields are
//! length-prefixed byte strings and little-endian integers; a malformed request decodes to `None`.

use std::{ffi::CString, path::Path};

use std::os::unix::ffi::OsStrExt;

use crate::launch::{IdMaps, LauncherSetup, ScratchMounts, StagingPaths};

/// A decoded request: what the fork server needs to start one launcher.
pub struct Request {
    pub bwrap: CString,
    pub args: Vec<CString>,
    /// `keep_fds` is left empty: the fork server fills it in from the fds that came along.
    pub setup: LauncherSetup,
}

pub fn encode(bwrap: &Path, args: &[String], setup: &LauncherSetup) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(16 * 1024));
    w.bytes(bwrap.as_os_str().as_bytes());
    w.u32(args.len() as u32);
    for arg in args {
        w.bytes(arg.as_bytes());
    }
    w.list(&setup.cgroup_procs);
    w.flag(setup.staging.is_some());
    if let Some(staging) = &setup.staging {
        w.bytes(staging.hide.as_bytes());
        w.list(&staging.create);
        w.bytes(staging.target.as_bytes());
    }
    w.flag(setup.scratch.is_some());
    if let Some(scratch) = &setup.scratch {
        w.bytes(scratch.root.as_bytes());
        w.u32(scratch.dirs.len() as u32);
        for (dir, options) in &scratch.dirs {
            w.bytes(dir.as_bytes());
            w.bytes(options.as_bytes());
        }
    }
    w.u32(setup.rlimits.len() as u32);
    for &(resource, value) in &setup.rlimits {
        #[allow(clippy::unnecessary_cast, reason = "a c_int with musl")]
        w.u32(resource as u32);
        w.u64(value);
    }
    w.flag(setup.uid.is_some());
    w.u32(setup.uid.unwrap_or(0));
    w.flag(setup.own_userns.is_some());
    if let Some(maps) = &setup.own_userns {
        w.bytes(maps.uid_map.as_bytes());
        w.bytes(maps.gid_map.as_bytes());
    }
    w.0
}

pub fn decode(buf: &[u8]) -> Option<Request> {
    let mut r = Reader(buf);
    let bwrap = r.cstring()?;
    let args = r.list()?;
    let cgroup_procs = r.list()?;
    let staging = match r.flag()? {
        true => Some(StagingPaths {
            hide: r.cstring()?,
            create: r.list()?,
            target: r.cstring()?,
        }),
        false => None,
    };
    let scratch = match r.flag()? {
        true => {
            let root = r.cstring()?;
            let count = r.count()?;
            let mut dirs = Vec::with_capacity(count);
            for _ in 0..count {
                dirs.push((r.cstring()?, r.cstring()?));
            }
            Some(ScratchMounts { root, dirs })
        }
        false => None,
    };
    let count = r.count()?;
    let mut rlimits = Vec::with_capacity(count);
    for _ in 0..count {
        rlimits.push((r.u32()? as libc::__rlimit_resource_t, r.u64()?));
    }
    let has_uid = r.flag()?;
    let uid = r.u32()?;
    let own_userns = match r.flag()? {
        true => Some(IdMaps {
            uid_map: r.cstring()?,
            gid_map: r.cstring()?,
        }),
        false => None,
    };
    if !r.0.is_empty() {
        return None;
    }
    Some(Request {
        bwrap,
        args,
        setup: LauncherSetup {
            cgroup_procs,
            staging,
            scratch,
            rlimits,
            uid: has_uid.then_some(uid),
            keep_fds: Vec::new(),
            own_userns,
        },
    })
}

struct Writer(Vec<u8>);

impl Writer {
    fn u32(&mut self, value: u32) {
        self.0.extend_from_slice(&value.to_le_bytes());
    }

    fn u64(&mut self, value: u64) {
        self.0.extend_from_slice(&value.to_le_bytes());
    }

    fn flag(&mut self, value: bool) {
        self.0.push(u8::from(value));
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.u32(bytes.len() as u32);
        self.0.extend_from_slice(bytes);
    }

    fn list(&mut self, items: &[CString]) {
        self.u32(items.len() as u32);
        for item in items {
            self.bytes(item.as_bytes());
        }
    }
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Some(head)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn flag(&mut self) -> Option<bool> {
        match self.take(1)? {
            [0] => Some(false),
            [1] => Some(true),
            _ => None,
        }
    }

    /// A count of items that each take at least 4 bytes: never more than could follow.
    fn count(&mut self) -> Option<usize> {
        let count = self.u32()? as usize;
        (count <= self.0.len() / 4).then_some(count)
    }

    /// A byte string without NUL.
    fn cstring(&mut self) -> Option<CString> {
        let len = self.u32()? as usize;
        CString::new(self.take(len)?).ok()
    }

    fn list(&mut self) -> Option<Vec<CString>> {
        let count = self.count()?;
        (0..count).map(|_| self.cstring()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(text: &str) -> CString {
        CString::new(text).unwrap()
    }

    #[test]
    fn a_request_decodes_to_what_was_encoded() {
        let setup = LauncherSetup {
            cgroup_procs: vec![c("/sys/fs/cgroup/a/cgroup.procs")],
            staging: Some(StagingPaths {
                hide: c("/opt"),
                create: vec![c("/opt/py"), c("/opt/py/lib")],
                target: c("/opt/py/lib"),
            }),
            scratch: Some(ScratchMounts {
                root: c("/run/mnt"),
                dirs: vec![(c("/run/mnt/box"), c("mode=1777,size=10"))],
            }),
            rlimits: vec![(libc::RLIMIT_NOFILE, 64), (libc::RLIMIT_CPU, u64::MAX)],
            uid: Some(60_001),
            keep_fds: vec![3],
            own_userns: Some(IdMaps {
                uid_map: c("1 1 99\n"),
                gid_map: c("1 1 98\n"),
            }),
        };
        let args = vec!["--ro-bind".to_string(), "/usr".to_string(), String::new()];
        let request = decode(&encode(Path::new("/usr/bin/bwrap"), &args, &setup)).unwrap();
        assert_eq!(request.bwrap, c("/usr/bin/bwrap"));
        assert_eq!(request.args, vec![c("--ro-bind"), c("/usr"), c("")]);
        let got = request.setup;
        assert_eq!(got.cgroup_procs, setup.cgroup_procs);
        let staging = got.staging.unwrap();
        assert_eq!(staging.create, vec![c("/opt/py"), c("/opt/py/lib")]);
        assert_eq!(
            (staging.hide, staging.target),
            (c("/opt"), c("/opt/py/lib"))
        );
        assert_eq!(got.scratch.unwrap().dirs, setup.scratch.unwrap().dirs);
        assert_eq!(got.rlimits, setup.rlimits);
        assert_eq!(got.uid, Some(60_001));
        assert!(
            got.keep_fds.is_empty(),
            "the fork server decides which fds are kept"
        );
        assert_eq!(got.own_userns.unwrap().gid_map, c("1 1 98\n"));
    }

    #[test]
    fn a_truncated_or_padded_request_is_refused() {
        let setup = LauncherSetup {
            cgroup_procs: Vec::new(),
            staging: None,
            scratch: None,
            rlimits: Vec::new(),
            uid: None,
            keep_fds: Vec::new(),
            own_userns: None,
        };
        let mut bytes = encode(Path::new("/bwrap"), &["a".into()], &setup);
        assert!(decode(&bytes).is_some());
        bytes.push(0);
        assert!(decode(&bytes).is_none());
        bytes.truncate(bytes.len() - 2);
        assert!(decode(&bytes).is_none());
        // A huge count cannot make the decoder allocate for items that are not there.
        assert!(decode(&[1, 0, 0, 0, b'x', 0xff, 0xff, 0xff, 0xff]).is_none());
    }
}
