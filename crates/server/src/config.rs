//! Configuration sources besides flags and environment variables: the TOML file, merged into
//! the command line before clap parses it, and the logging set-up.
//!
//! Precedence, highest first: command-line flag, `CODE_REMOTE_*` environment variable, TOML
//! file, built-in default. This module is the only place that looks at the environment, and only
//! to keep that precedence.

use std::{ffi::OsString, fmt, path::Path};

use anyhow::{Context, bail};

const ENV_PREFIX: &str = "CODE_REMOTE_";

/// Returns `args` with the settings of the TOML file (from `--config FILE` or
/// `CODE_REMOTE_CONFIG`) inserted as flags right after the subcommand, so that flags given on
/// the command line, which come later, override them.
pub fn merge_config_file(args: Vec<OsString>) -> anyhow::Result<Vec<OsString>> {
    let Some(path) = config_path(&args) else {
        return Ok(args);
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read the config file {path}"))?;
    let table: toml::Table = toml::from_str(&text)
        .with_context(|| format!("the config file {path} is not valid TOML"))?;
    let flags = flags_from_table(&table, |key| std::env::var_os(key).is_some())
        .with_context(|| format!("in the config file {path}"))?;
    // argv[0] is the program, argv[1] the subcommand.
    if args.len() < 2 {
        return Ok(args);
    }
    let mut merged = args[..2].to_vec();
    merged.extend(flags.into_iter().map(OsString::from));
    merged.extend(args[2..].iter().cloned());
    Ok(merged)
}

fn config_path(args: &[OsString]) -> Option<String> {
    let mut iter = args.iter().map(|arg| arg.to_string_lossy().into_owned());
    while let Some(arg) = iter.next() {
        if arg == "--config" {
            return iter.next();
        }
        if let Some(value) = arg.strip_prefix("--config=") {
            return Some(value.to_owned());
        }
    }
    std::env::var(format!("{ENV_PREFIX}CONFIG")).ok()
}

/// `listen = "0.0.0.0:8080"` becomes `--listen=0.0.0.0:8080`, unless `CODE_REMOTE_LISTEN` is set.
fn flags_from_table(
    table: &toml::Table,
    env_is_set: impl Fn(&str) -> bool,
) -> anyhow::Result<Vec<String>> {
    let mut flags = Vec::new();
    for (key, value) in table {
        let flag = key.replace('_', "-");
        if flag == "config" {
            bail!("`config` cannot be set inside a config file");
        }
        let env = format!("{ENV_PREFIX}{}", flag.replace('-', "_").to_uppercase());
        if env_is_set(&env) {
            continue;
        }
        match value {
            toml::Value::Boolean(true) => flags.push(format!("--{flag}")),
            toml::Value::Boolean(false) => {}
            toml::Value::Array(items) => {
                for item in items {
                    flags.push(format!("--{flag}={}", scalar(key, item)?));
                }
            }
            other => flags.push(format!("--{flag}={}", scalar(key, other)?)),
        }
    }
    Ok(flags)
}

fn scalar(key: &str, value: &toml::Value) -> anyhow::Result<String> {
    Ok(match value {
        toml::Value::String(text) => text.clone(),
        toml::Value::Integer(number) => number.to_string(),
        toml::Value::Float(number) => number.to_string(),
        toml::Value::Boolean(flag) => flag.to_string(),
        _ => bail!("`{key}` must be a string, number or boolean"),
    })
}

/// How log lines look.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    #[default]
    Pretty,
    Json,
}

/// Installs the global tracing subscriber. `filter` uses the `RUST_LOG` syntax.
pub fn init_logging(format: LogFormat, filter: &str) -> anyhow::Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .with_context(|| format!("invalid log filter {filter:?}"))?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let result = match format {
        LogFormat::Pretty => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
    result.map_err(|err| anyhow::anyhow!("cannot install the logger: {err}"))
}

/// A database URL whose password never appears in `Debug` output or logs.
#[derive(Clone)]
pub struct DatabaseUrl(pub String);

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", redact(&self.0))
    }
}

impl std::str::FromStr for DatabaseUrl {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.starts_with("postgres://")
            || s.starts_with("postgresql://")
            || s.starts_with("sqlite:")
        {
            Ok(Self(s.to_owned()))
        } else {
            Err("expected postgres://…, postgresql://… or sqlite:…".into())
        }
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((credentials, host)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// Creates the data directory (mode 0700: it holds the database and the signing key).
pub fn ensure_data_dir(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if !path.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(path)
            .with_context(|| format!("cannot create the data directory {}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_settings_become_flags_unless_the_environment_sets_them() {
        let table: toml::Table = toml::from_str("listen = \"0.0.0.0:9000\"\nworkers = 2\nallow_weaker = true\nregistration_open = false\nblocked_modules = [\"os\", \"socket\"]").unwrap();
        let flags = flags_from_table(&table, |env| env == "CODE_REMOTE_WORKERS").unwrap();
        assert_eq!(
            flags,
            [
                "--allow-weaker",
                "--blocked-modules=os",
                "--blocked-modules=socket",
                "--listen=0.0.0.0:9000"
            ]
        );
    }

    #[test]
    fn a_config_key_inside_the_file_is_refused() {
        let table: toml::Table = toml::from_str("config = \"other.toml\"").unwrap();
        assert!(flags_from_table(&table, |_| false).is_err());
    }

    #[test]
    fn file_settings_come_before_command_line_flags() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("code-remote.toml");
        std::fs::write(&path, "listen = \"0.0.0.0:9000\"").unwrap();
        let args: Vec<OsString> = [
            "code-remote",
            "serve",
            "--config",
            path.to_str().unwrap(),
            "--listen",
            "127.0.0.1:1",
        ]
        .map(Into::into)
        .into();
        let merged = merge_config_file(args).unwrap();
        let listen: Vec<_> = merged
            .iter()
            .filter_map(|a| a.to_str())
            .filter(|a| a.contains("listen") || a.contains(":1"))
            .collect();
        assert_eq!(listen, ["--listen=0.0.0.0:9000", "--listen", "127.0.0.1:1"]);
    }

    #[test]
    fn passwords_in_database_urls_are_redacted() {
        assert_eq!(
            redact("postgres://app:hunter2@db:5432/code"),
            "postgres://app:***@db:5432/code"
        );
        assert_eq!(redact("postgres://db/code"), "postgres://db/code");
        assert_eq!(
            format!("{:?}", DatabaseUrl("postgres://a:b@c/d".into())),
            "postgres://a:***@c/d"
        );
    }
}
