//! The Python environment of sandboxed programs: a directory of packages (numpy, pandas,
//! matplotlib, …) installed for the sandbox's interpreter by `scripts/install-python-env`,
//! bound read-only into every sandbox at its own (canonical) path and put on `sys.path` by the
//! bootstrap. The interpreter's own site-packages stay hidden (see `interpreter`).
//!
//! Layout: `site-packages/` (installed with `pip --target`), `mpl-cache/` (matplotlib's font
//! cache, built at install time so no run rebuilds it), `STAMP` (written last by the installer).
//! Packages and versions are read from the `*.dist-info` directories once, never by running code.

use std::{
    fs,
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
};

use crate::{Error, Result};

/// Where `scripts/install-python-env` installs the environment unless told otherwise.
pub const DEFAULT_PYTHON_ENV: &str = "/usr/local/lib/code-remote/python";

/// The packages the curated environment must hold (the top level of `python/requirements.in`).
pub const REQUIRED_PACKAGES: &[&str] = &[
    "numpy",
    "pandas",
    "matplotlib",
    "scipy",
    "sympy",
    "networkx",
];

/// Most `*.dist-info` entries read: an environment is a few dozen packages, not thousands.
const MAX_PACKAGES: usize = 2048;
/// Most bytes of a `METADATA` file's header read for its name and version.
const MAX_METADATA_HEADER: usize = 16 * 1024;

/// One installed package.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Package {
    pub name: String,
    pub version: String,
}

/// An inspected environment.
#[derive(Clone, Debug)]
pub struct PythonEnv {
    /// The canonical directory (symlinks resolved): bound at this path inside the sandbox.
    pub dir: PathBuf,
    pub site_packages: PathBuf,
    /// matplotlib's prebuilt font cache, when the installer made one.
    pub mpl_cache: Option<PathBuf>,
    /// Installed packages, sorted by lower-cased name.
    pub packages: Vec<Package>,
    /// The interpreter version it was built for ("3.11"), when the installer recorded it.
    pub python_version: Option<String>,
}

fn unusable(dir: &Path, reason: impl Into<String>) -> Error {
    Error::PythonEnvUnusable {
        path: dir.to_owned(),
        reason: reason.into(),
    }
}

impl PythonEnv {
    /// Inspects `dir`. It must hold a `site-packages` directory that every uid may read (the
    /// sandbox runs as an unprivileged slot uid).
    pub fn inspect(dir: &Path) -> Result<PythonEnv> {
        let canonical = fs::canonicalize(dir).map_err(|e| {
            unusable(
                dir,
                format!(
                    "{e} (install it with scripts/install-python-env, or pass another --python-env)"
                ),
            )
        })?;
        let site_packages = canonical.join("site-packages");
        if !site_packages.is_dir() {
            return Err(unusable(dir, "it has no site-packages directory"));
        }
        for path in site_packages.ancestors() {
            let mode = fs::metadata(path)
                .map_err(|e| unusable(dir, format!("{}: {e}", path.display())))?
                .permissions()
                .mode();
            if mode & 0o005 != 0o005 {
                return Err(unusable(
                    dir,
                    format!(
                        "{} is not readable by every user (chmod o+rx it): the sandbox runs as an \
                         unprivileged uid",
                        path.display()
                    ),
                ));
            }
        }
        let mpl_cache = Some(canonical.join("mpl-cache")).filter(|p| p.is_dir());
        let packages = read_packages(&site_packages)?;
        let python_version = fs::read_to_string(canonical.join("PYTHON_VERSION"))
            .ok()
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty() && v.len() < 16);
        Ok(PythonEnv {
            python_version,
            dir: canonical,
            site_packages,
            mpl_cache,
            packages,
        })
    }

    /// The [`REQUIRED_PACKAGES`] this environment lacks.
    pub fn missing_packages(&self) -> Vec<&'static str> {
        REQUIRED_PACKAGES
            .iter()
            .copied()
            .filter(|wanted| {
                !self
                    .packages
                    .iter()
                    .any(|p| normalise(&p.name) == normalise(wanted))
            })
            .collect()
    }

    /// Refuses an environment built for another interpreter version (its compiled modules
    /// would not load).
    pub fn check_interpreter(&self, interpreter_version: &str) -> Result<()> {
        match &self.python_version {
            Some(built_for) if !interpreter_version.starts_with(&format!("{built_for}.")) => {
                Err(unusable(
                    &self.dir,
                    format!(
                        "it was built for Python {built_for}, but the sandbox's interpreter is \
                         Python {interpreter_version}"
                    ),
                ))
            }
            _ => Ok(()),
        }
    }

    /// Whether the installer finished (it writes `STAMP` last).
    pub fn stamped(&self) -> bool {
        self.dir.join("STAMP").is_file()
    }
}

/// PEP 503 normalisation, enough to compare names.
fn normalise(name: &str) -> String {
    name.to_ascii_lowercase().replace(['_', '.'], "-")
}

fn read_packages(site_packages: &Path) -> Result<Vec<Package>> {
    let entries = fs::read_dir(site_packages)
        .map_err(|e| unusable(site_packages, format!("it cannot be listed: {e}")))?;
    let mut packages = Vec::new();
    for entry in entries.flatten().take(MAX_PACKAGES * 8) {
        let name = entry.file_name();
        let Some(stem) = name.to_str().and_then(|n| n.strip_suffix(".dist-info")) else {
            continue;
        };
        let from_metadata = read_metadata(&entry.path().join("METADATA"));
        let package = from_metadata.or_else(|| {
            let (name, version) = stem.split_once('-')?;
            Some(Package {
                name: name.to_string(),
                version: version.to_string(),
            })
        });
        packages.extend(package);
        if packages.len() >= MAX_PACKAGES {
            break;
        }
    }
    packages.sort_by_key(|p| p.name.to_ascii_lowercase());
    Ok(packages)
}

/// `Name:` and `Version:` from a core-metadata header.
fn read_metadata(path: &Path) -> Option<Package> {
    use std::io::Read;
    let mut header = Vec::new();
    fs::File::open(path)
        .ok()?
        .take(MAX_METADATA_HEADER as u64)
        .read_to_end(&mut header)
        .ok()?;
    let text = String::from_utf8_lossy(&header);
    let mut name = None;
    let mut version = None;
    for line in text.lines().take_while(|l| !l.is_empty()) {
        if let Some(value) = line.strip_prefix("Name:") {
            name = Some(value.trim().to_string());
        } else if let Some(value) = line.strip_prefix("Version:") {
            version = Some(value.trim().to_string());
        }
    }
    Some(Package {
        name: name?,
        version: version?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_versions_come_from_dist_info() {
        let dir = std::env::temp_dir().join(format!("pyenv-test-{}", std::process::id()));
        let site = dir.join("site-packages");
        fs::create_dir_all(site.join("numpy-2.0.0.dist-info")).unwrap();
        fs::write(
            site.join("numpy-2.0.0.dist-info/METADATA"),
            "Metadata-Version: 2.1\nName: numpy\nVersion: 2.0.0\n\nName: not-this\n",
        )
        .unwrap();
        fs::create_dir_all(site.join("python_dateutil-2.9.dist-info")).unwrap();
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
        let env = PythonEnv::inspect(&dir).unwrap();
        assert_eq!(
            env.packages,
            vec![
                Package {
                    name: "numpy".into(),
                    version: "2.0.0".into()
                },
                Package {
                    name: "python_dateutil".into(),
                    version: "2.9".into()
                },
            ]
        );
        assert_eq!(
            env.missing_packages(),
            vec!["pandas", "matplotlib", "scipy", "sympy", "networkx"]
        );
        assert!(!env.stamped());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_environment_says_how_to_install_one() {
        let err = PythonEnv::inspect(Path::new("/nonexistent/env")).unwrap_err();
        assert!(
            err.to_string().contains("scripts/install-python-env"),
            "{err}"
        );
    }
}
