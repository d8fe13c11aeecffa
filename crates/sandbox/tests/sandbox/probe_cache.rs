//! `SandboxConfig::reuse_probes`: a start reuses an earlier one's probes (bwrap, interpreter,
//! smoke test) only under the same key, only from an entry root alone could have written, and
//! never when reuse is off (`doctor`, servers).

use std::{
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    time::Duration,
};

use code_remote_sandbox::{Limits, Sandbox, SandboxConfig};

use crate::helpers::{program, run, sandbox_with, stdout};

/// A private runtime directory, so no other test or server shares the entry.
struct RuntimeDir(PathBuf);

impl RuntimeDir {
    fn new(name: &str) -> RuntimeDir {
        let dir = std::env::temp_dir().join(format!(
            "code-remote-probe-cache-{}-{name}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        RuntimeDir(dir)
    }

    fn entry(&self) -> PathBuf {
        self.0.join("cache/probes")
    }
}

impl Drop for RuntimeDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Starts sandboxes in `dir` with the same uids each time (the key includes the uid base).
struct Starter<'a> {
    dir: &'a Path,
    uid_base: Option<u32>,
}

impl Starter<'_> {
    /// Whether the start reused cached probes; `None` when the sandbox cannot run here.
    fn start(&mut self, tweak: impl FnOnce(&mut SandboxConfig)) -> Option<Sandbox> {
        sandbox_with(1, |config| {
            config.runtime_dir = self.dir.to_path_buf();
            config.reuse_probes = true;
            match self.uid_base {
                Some(base) => config.uid_base = base,
                None => self.uid_base = Some(config.uid_base),
            }
            tweak(config);
        })
    }

    fn cached(&mut self, tweak: impl FnOnce(&mut SandboxConfig)) -> Option<bool> {
        self.start(tweak).map(|s| s.report().probes_cached)
    }
}

fn hello(sandbox: &Sandbox) -> String {
    let limits = Limits {
        wall_time: Duration::from_secs(10),
        ..Limits::default()
    };
    stdout(&run(sandbox, program("print(1)", limits)))
}

#[test]
fn a_second_start_reuses_the_first_ones_probes_and_runs() {
    let dir = RuntimeDir::new("reuse");
    let mut starter = Starter {
        dir: &dir.0,
        uid_base: None,
    };
    let Some(first) = starter.start(|_| {}) else {
        return;
    };
    assert!(!first.report().probes_cached);
    assert_eq!(hello(&first), "1\n");
    drop(first);
    let meta = std::fs::metadata(dir.entry()).expect("the first start wrote an entry");
    assert_eq!(meta.permissions().mode() & 0o022, 0);

    let second = starter.start(|_| {}).expect("started before");
    assert!(second.report().probes_cached, "{}", second.report());
    assert_eq!(second.report().smoke_test, Some(Ok(())));
    assert!(second.report().is_safe());
    assert_eq!(hello(&second), "1\n");
    drop(second);

    // `doctor` and servers never reuse.
    let fresh = starter.cached(|config| config.reuse_probes = false);
    assert_eq!(fresh, Some(false));
}

#[test]
fn a_changed_key_probes_again() {
    let dir = RuntimeDir::new("key");
    let mut starter = Starter {
        dir: &dir.0,
        uid_base: None,
    };
    if starter.cached(|_| {}).is_none() {
        return;
    }
    let blocked = |config: &mut SandboxConfig| config.blocked_modules = vec!["antigravity".into()];
    assert_eq!(starter.cached(blocked), Some(false));
    assert_eq!(starter.cached(blocked), Some(true));
    // Another interpreter path (a link to the same one) is another key too.
    let link = dir.0.join("python3");
    std::fs::create_dir_all(&dir.0).unwrap();
    std::os::unix::fs::symlink("/usr/bin/python3", &link).unwrap();
    let other_python = |config: &mut SandboxConfig| {
        blocked(config);
        config.python = Some(link.clone());
    };
    assert_eq!(starter.cached(other_python), Some(false));
    assert_eq!(starter.cached(blocked), Some(false));
}

#[test]
fn an_entry_others_could_have_written_is_ignored() {
    let dir = RuntimeDir::new("tamper");
    let mut starter = Starter {
        dir: &dir.0,
        uid_base: None,
    };
    if starter.cached(|_| {}).is_none() {
        return;
    }
    let entry = dir.entry();
    std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(0o664)).unwrap();
    assert_eq!(starter.cached(|_| {}), Some(false));
    // The start that ignored it wrote a fresh, private one.
    assert_eq!(
        std::fs::metadata(&entry).unwrap().permissions().mode() & 0o777,
        0o644
    );
    assert_eq!(starter.cached(|_| {}), Some(true));

    std::os::unix::fs::chown(&entry, Some(65_534), None).unwrap();
    assert_eq!(starter.cached(|_| {}), Some(false));
    assert_eq!(starter.cached(|_| {}), Some(true));

    // A corrupt entry is a miss, not an error.
    std::fs::write(&entry, "code-remote probe cache 1\nkey garbage\n").unwrap();
    assert_eq!(starter.cached(|_| {}), Some(false));
    assert_eq!(starter.cached(|_| {}), Some(true));
}
