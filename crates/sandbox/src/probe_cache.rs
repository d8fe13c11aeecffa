//! What [`crate::Sandbox::new`] found by probing (bubblewrap's version, the interpreter's probe)
//! and a passed smoke test, kept between one-shot runs (`code-remote run`) so each does not start
//! bwrap, python and a whole test sandbox again before the program's own sandbox.
//!
//! An entry is trusted only under a key holding everything that could change the answer: the
//! boot (kernel, sysctls set at boot), the identity (path, device, inode, size, mtime, ctime) of
//! the running binary (which carries the seccomp policy and the launch code), of bubblewrap, of
//! the interpreter and of the python environment, the namespace sysctls, the layers probed live
//! (root, capabilities, cgroups) and the sandbox configuration. Any difference, a file that
//! does not parse, or one that is not root's and private, is a miss: the caller probes for real
//! and writes a fresh entry. The file lives in the runtime directory, which only root may write
//! (checked by `slot_uids::prepare_dir`), never bound into a sandbox.
//!
//! What this does not do: cache anything for `doctor` or a server (they set
//! `SandboxConfig::reuse_probes` to false and always probe), or cache a failure.

use std::{
    fmt::Write as _,
    fs,
    io::{Read, Write},
    os::unix::fs::{MetadataExt, OpenOptionsExt},
    path::{Path, PathBuf},
};

use base64::{Engine as _, engine::general_purpose::STANDARD as BASE64};

use crate::{SandboxConfig, report::LayerReport};

/// The cache file, inside the runtime directory's `cache/`.
const FILE: &str = "probes";
const HEADER: &str = "code-remote probe cache 2";
/// A larger file is not ours (the compiled bootstrap, in base64, is most of it).
const MAX_BYTES: u64 = 256 * 1024;
/// Sysctls that decide whether the sandbox's namespaces can be created; they can change
/// without a reboot.
const SYSCTLS: &[&str] = &[
    "/proc/sys/user/max_user_namespaces",
    "/proc/sys/user/max_pid_namespaces",
    "/proc/sys/user/max_mnt_namespaces",
    "/proc/sys/user/max_net_namespaces",
    "/proc/sys/kernel/unprivileged_userns_clone",
    "/proc/sys/kernel/apparmor_restrict_unprivileged_userns",
    "/proc/sys/kernel/seccomp/actions_avail",
];

/// What a previous, successful start found under the same key.
#[derive(Debug, PartialEq)]
pub(crate) struct Probed {
    /// `LayerReport::bwrap`'s value.
    pub bwrap: String,
    /// The interpreter probe's output (see `interpreter::PROBE`).
    pub interpreter: String,
    /// The bootstrap as that interpreter compiled it (marshalled; see `bwrap::compile_bootstrap`).
    pub bootstrap: Vec<u8>,
}

/// The cache entry of one configuration.
pub(crate) struct ProbeCache {
    path: PathBuf,
    key: String,
}

impl ProbeCache {
    /// The entry for `config` with the interpreter at `python`, once the live layers are in
    /// `report`. `None` when caching is off, or impossible here (not root, or the runtime
    /// directory is unsafe: then starting fails later with the reason).
    pub fn new(config: &SandboxConfig, report: &LayerReport, python: &Path) -> Option<ProbeCache> {
        if !config.reuse_probes || !report.running_as_root {
            return None;
        }
        let dir = config.runtime_dir.join("cache");
        crate::slot_uids::prepare_dir(&dir).ok()?;
        Some(ProbeCache {
            path: dir.join(FILE),
            key: key(config, report, python)?,
        })
    }

    /// What the entry holds, if it is trustworthy and its key is this one.
    pub fn load(&self) -> Option<Probed> {
        let file = fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&self.path)
            .ok()?;
        let meta = file.metadata().ok()?;
        // Load-bearing: an entry anyone but root could have written would let them skip the
        // smoke test and choose what we believe about the interpreter.
        if !meta.file_type().is_file() || meta.uid() != 0 || meta.mode() & 0o022 != 0 {
            return None;
        }
        let mut text = String::new();
        file.take(MAX_BYTES).read_to_string(&mut text).ok()?;
        parse(&text, &self.key)
    }

    /// Records what a successful start found, atomically (a new file renamed over the old).
    /// Failing to write only means probing again next time.
    pub fn store(&self, probed: &Probed) {
        let Some(text) = render(&self.key, probed) else {
            return;
        };
        let tmp = self
            .path
            .with_extension(format!("{}.tmp", std::process::id()));
        let written = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o644)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&tmp)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .and_then(|()| fs::rename(&tmp, &self.path));
        if written.is_err() {
            let _ = fs::remove_file(&tmp);
        }
    }
}

/// Path, device, inode, size, mtime and ctime of what `path` names (following links).
fn identity(path: &Path) -> String {
    match fs::metadata(path) {
        Ok(m) => format!(
            "{path:?} {}:{} {} {}.{} {}.{}",
            m.dev(),
            m.ino(),
            m.size(),
            m.mtime(),
            m.mtime_nsec(),
            m.ctime(),
            m.ctime_nsec()
        ),
        Err(e) => format!("{path:?} {}", e.kind()),
    }
}

fn key(config: &SandboxConfig, report: &LayerReport, python: &Path) -> Option<String> {
    let boot = fs::read_to_string("/proc/sys/kernel/random/boot_id").ok()?;
    let exe = fs::read_link("/proc/self/exe").ok()?;
    let mut key = String::new();
    let mut line = |name: &str, value: String| {
        let _ = writeln!(key, "key {name}\t{}", value.replace('\n', "\\n"));
    };
    line("boot", boot.trim().to_string());
    line("exe", identity(&exe));
    line("bwrap", identity(&config.bwrap));
    line("python", identity(python));
    // A link retargeted to another interpreter, or a venv's pyvenv.cfg next to it, changes
    // what the probe prints.
    let link = fs::symlink_metadata(python).map(|m| (m.ino(), m.mtime(), m.ctime()));
    line("python-link", format!("{link:?}"));
    for dir in python.ancestors().skip(1).take(2) {
        line("pyvenv", identity(&dir.join("pyvenv.cfg")));
    }
    if let Some(env) = &config.python_env {
        line("env", identity(env));
        line("env-stamp", identity(&env.join("STAMP")));
    }
    for sysctl in SYSCTLS {
        let value = fs::read_to_string(sysctl).unwrap_or_else(|_| "-".into());
        line("sysctl", format!("{sysctl} {}", value.trim()));
    }
    line(
        "layers",
        format!(
            "root={} noexec={} userns={} cgroups={:?}",
            report.running_as_root, report.noexec_tmpfs, report.launcher_userns, report.cgroups
        ),
    );
    // How many slots and warm sandboxes do not change what a probe finds.
    let config = SandboxConfig {
        slots: 1,
        warm: 0,
        ..config.clone()
    };
    line("config", format!("{config:?}"));
    Some(key)
}

fn render(key: &str, probed: &Probed) -> Option<String> {
    if probed.bwrap.contains('\n') {
        return None;
    }
    let mut text = format!(
        "{HEADER}\n{key}bwrap\t{}\nbootstrap\t{}\n",
        probed.bwrap,
        BASE64.encode(&probed.bootstrap)
    );
    for line in probed.interpreter.lines() {
        let _ = writeln!(text, "probe\t{line}");
    }
    text.push_str("end\n");
    Some(text)
}

fn parse(text: &str, key: &str) -> Option<Probed> {
    let body = text.strip_prefix(HEADER)?.strip_prefix('\n')?;
    let rest = body.strip_prefix(key)?;
    let mut lines = rest.lines();
    let bwrap = lines.next()?.strip_prefix("bwrap\t")?.to_string();
    let bootstrap = BASE64
        .decode(lines.next()?.strip_prefix("bootstrap\t")?)
        .ok()
        .filter(|b| !b.is_empty())?;
    let mut interpreter = Vec::new();
    for line in lines.by_ref() {
        if line == "end" {
            return (lines.next().is_none() && !interpreter.is_empty()).then(|| Probed {
                bwrap,
                interpreter: interpreter.join("\n"),
                bootstrap,
            });
        }
        interpreter.push(line.strip_prefix("probe\t")?);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probed() -> Probed {
        Probed {
            bwrap: "0.8.0 at /usr/bin/bwrap".into(),
            interpreter: "/usr/bin/python3.11\n/usr\n/usr\n3.11.2\nTrue".into(),
            bootstrap: vec![0xe3, 0, b'\n', 0xff],
        }
    }

    #[test]
    fn an_entry_reads_back_under_its_own_key_only() {
        let text = render("key a\tb\n", &probed()).unwrap();
        assert_eq!(parse(&text, "key a\tb\n"), Some(probed()));
        assert_eq!(parse(&text, "key a\tc\n"), None);
        assert_eq!(parse(&text, "key a\tb\nkey more\tx\n"), None);
    }

    #[test]
    fn a_truncated_or_extended_entry_is_a_miss() {
        let text = render("key a\tb\n", &probed()).unwrap();
        for cut in 0..text.len() - 1 {
            assert_eq!(parse(&text[..cut], "key a\tb\n"), None, "cut at {cut}");
        }
        assert_eq!(parse(&format!("{text}x\n"), "key a\tb\n"), None);
    }

    #[test]
    fn the_key_changes_with_the_configuration() {
        let report = LayerReport::probe(&SandboxConfig::default()).0;
        let python = Path::new("/usr/bin/python3");
        let a = key(&SandboxConfig::default(), &report, python).unwrap();
        let b = SandboxConfig {
            blocked_modules: vec!["os".into()],
            ..Default::default()
        };
        assert_ne!(a, key(&b, &report, python).unwrap());
        let warm = SandboxConfig {
            warm: 3,
            ..Default::default()
        };
        assert_eq!(a, key(&warm, &report, python).unwrap());
    }
}
