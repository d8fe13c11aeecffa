//! Finding the Python interpreter and planning how it appears inside the sandbox.
//!
//! The interpreter is bound read-only at the same path inside the sandbox, so its RUNPATH and
//! stdlib paths resolve unchanged. Its site-packages directories are hidden behind empty
//! read-only tmpfs mounts, and it runs with `-I -S`: no host `.pth` file or site-packages code
//! runs at start-up. When the slot uid cannot enter the prefix (e.g. a pyenv build under a 0700
//! `/root`), the launcher stages it: see [`Staging`].

use std::{
    fs,
    os::unix::fs::{MetadataExt, PermissionsExt},
    path::{Path, PathBuf},
    process::Command,
};

use crate::{Error, Result};

/// Interpreters tried, in order, when none is configured. Debian's comes first: it is
/// world-readable and ships no third-party packages.
pub const CANDIDATES: &[&str] = &["/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"];

/// Prints what we need to know, one item per line. Runs with `-I -S`, as root, once at start-up.
const PROBE: &str = "import sys, site, os
print(os.path.realpath(sys.executable))
print(os.path.realpath(sys.base_prefix))
print(os.path.realpath(sys.base_exec_prefix))
print('%d.%d.%d' % sys.version_info[:3])
print(sys.version_info >= (3, 8))
for p in site.getsitepackages(): print(p)";

/// How a prefix the slot uid cannot enter is made visible to the launcher: in a private mount
/// namespace of the launcher only, `hide` (the first ancestor the uid cannot traverse) is covered
/// by an empty 0755 tmpfs, the directories down to `target` are created in it, and a detached
/// copy of the prefix mount (taken with `open_tree` just before) is moved there. The host's
/// view never changes.
#[derive(Debug)]
pub struct Staging {
    pub hide: PathBuf,
    pub create: Vec<PathBuf>,
    pub target: PathBuf,
}

/// A usable interpreter.
#[derive(Debug)]
pub struct Interpreter {
    /// The canonical executable path (the same inside the sandbox).
    pub executable: PathBuf,
    pub version: String,
    /// Trees to bind read-only at the same path (empty for a prefix under `/usr`).
    pub binds: Vec<PathBuf>,
    /// site-packages directories to hide.
    pub masked: Vec<PathBuf>,
    pub staging: Option<Staging>,
}

fn unusable(path: &Path, reason: impl Into<String>) -> Error {
    Error::PythonUnusable {
        path: path.to_owned(),
        reason: reason.into(),
    }
}

/// Finds and inspects the interpreter. `slot_uid` is the uid that will run it (None when the
/// supervisor cannot switch uids and runs it as itself).
pub fn find(configured: Option<&Path>, slot_uid: Option<u32>) -> Result<Interpreter> {
    let path = locate(configured)?;
    let text = probe(&path)?;
    inspect(&path, &text, slot_uid)
}

/// The configured interpreter, or the first of [`CANDIDATES`] that exists.
pub(crate) fn locate(configured: Option<&Path>) -> Result<PathBuf> {
    match configured {
        Some(path) => Ok(path.to_owned()),
        None => CANDIDATES
            .iter()
            .map(PathBuf::from)
            .find(|p| p.is_file())
            .ok_or_else(|| Error::PythonNotFound {
                tried: CANDIDATES.join(", "),
            }),
    }
}

/// Starts the interpreter at `path` once and returns what [`PROBE`] printed.
pub(crate) fn probe(path: &Path) -> Result<String> {
    let output = Command::new(path)
        .args(["-I", "-S", "-c", PROBE])
        .env_clear()
        .output()
        .map_err(|e| unusable(path, format!("it could not be started: {e}")))?;
    if !output.status.success() {
        return Err(unusable(
            path,
            format!(
                "its probe failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ),
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The interpreter at `path` as its probe (`text`) describes it, checked against the file
/// system now (what `slot_uid` may read, which site-packages exist).
pub(crate) fn inspect(path: &Path, text: &str, slot_uid: Option<u32>) -> Result<Interpreter> {
    let lines: Vec<&str> = text.lines().collect();
    let [executable, prefix, exec_prefix, version, recent, site @ ..] = lines.as_slice() else {
        return Err(unusable(path, "its probe printed something unexpected"));
    };
    if *recent != "True" {
        return Err(unusable(
            path,
            format!("Python {version} is too old; 3.8 or newer is needed"),
        ));
    }
    let executable = PathBuf::from(executable);
    let mut binds: Vec<PathBuf> = Vec::new();
    for tree in [prefix, exec_prefix].map(PathBuf::from) {
        if !tree.starts_with("/usr") && !binds.iter().any(|b| tree.starts_with(b)) {
            binds.push(tree);
        }
    }
    if !executable.starts_with("/usr") && !binds.iter().any(|b| executable.starts_with(b)) {
        return Err(unusable(
            &executable,
            "the executable lies outside its prefix and /usr",
        ));
    }
    let masked = site
        .iter()
        .map(PathBuf::from)
        .filter(|p| p.is_dir())
        .collect();
    let staging = match slot_uid {
        Some(uid) => plan_staging(&executable, &binds, uid)?,
        None => None,
    };
    Ok(Interpreter {
        executable,
        version: version.to_string(),
        binds,
        masked,
        staging,
    })
}

/// The version ("3.11.2") of the configured interpreter, or of the one found by default, from
/// the same probe the sandbox runs at start-up (for nodes that run no sandbox).
pub fn python_version(configured: Option<&Path>) -> Result<String> {
    find(configured, None).map(|interpreter| interpreter.version)
}

/// Whether `uid` (which owns nothing and is in no group) may search/read `path`.
fn other_may(path: &Path, uid: u32, bit: u32) -> bool {
    fs::metadata(path).is_ok_and(|m| {
        let mode = m.permissions().mode();
        if m.uid() == uid {
            mode & (bit << 6) != 0
        } else {
            mode & bit != 0
        }
    })
}

fn plan_staging(executable: &Path, binds: &[PathBuf], uid: u32) -> Result<Option<Staging>> {
    const X: u32 = 0o1;
    if binds.len() > 1 {
        // Two separate prefixes would need two stagings; no supported layout does this.
        let blocked = binds
            .iter()
            .any(|b| b.ancestors().any(|a| !other_may(a, uid, X)));
        if blocked {
            return Err(unusable(
                executable,
                "prefix and exec_prefix differ and are not world-readable",
            ));
        }
    }
    let Some(prefix) = binds.first() else {
        return Ok(None);
    };
    let ancestors: Vec<&Path> = prefix
        .ancestors()
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let Some(hide) = ancestors
        .iter()
        .find(|a| !other_may(a, uid, X))
        .map(|a| a.to_path_buf())
    else {
        return check_readable(executable, uid).map(|()| None);
    };
    if hide == *prefix || hide == Path::new("/") {
        return Err(unusable(
            executable,
            format!(
                "the sandbox uid cannot enter {}; make it world-readable (chmod o+rx) or install \
                 Debian's python3 (`apt-get install python3`) and use /usr/bin/python3",
                hide.display()
            ),
        ));
    }
    // Files inside the prefix must be readable by others once the path is reachable.
    check_readable(executable, uid)?;
    let create = ancestors
        .iter()
        .filter(|a| a.starts_with(&hide) && **a != hide)
        .map(|a| a.to_path_buf())
        .collect();
    Ok(Some(Staging {
        hide,
        create,
        target: prefix.clone(),
    }))
}

fn check_readable(executable: &Path, uid: u32) -> Result<()> {
    const R: u32 = 0o4;
    const X: u32 = 0o1;
    if !other_may(executable, uid, X) || !other_may(executable, uid, R) {
        return Err(unusable(
            executable,
            "it is not world-executable and readable; chmod o+rx it, or use Debian's /usr/bin/python3",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_configured_interpreter_is_reported_with_its_path() {
        let err = find(Some(Path::new("/nonexistent/python3")), None).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/python3"), "{err}");
    }

    #[test]
    fn a_world_readable_system_path_needs_no_staging() {
        // /usr and / are world-searchable on every supported system.
        assert!(other_may(Path::new("/usr"), 65_000, 0o1));
    }
}
