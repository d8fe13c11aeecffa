//! Configuration sources besides flags and environment variables: the TOML file, merged into
//! the command line before clap parses it, and the logging set-up.
//!
//! Precedence, highest first: command-line flag, `CODE_REMOTE_*` environment variable, TOML
//! file, built-in default. This module is the only place that looks at the environment, and only
//! to keep that precedence.

use std::{ffi::OsString, fmt, path::Path};

use anyhow::{Context, bail};

use crate::telemetry::Telemetry;

const ENV_PREFIX: &str = "CODE_REMOTE_";

/// Returns `args` with the settings of the TOML file (from `--config FILE` or
/// `CODE_REMOTE_CONFIG`) inserted as flags right after the subcommand. `cli` describes the
/// command line: a file setting whose option is also given on the command line (under any of its
/// names) or in its environment variable is left out, so those win, lists included.
pub fn merge_config_file(
    args: Vec<OsString>,
    cli: &clap::Command,
) -> anyhow::Result<Vec<OsString>> {
    let Some(path) = config_path(&args) else {
        return Ok(args);
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read the config file {path}"))?;
    let table: toml::Table = toml::from_str(&text)
        .with_context(|| format!("the config file {path} is not valid TOML"))?;
    // argv[0] is the program, argv[1] the subcommand.
    if args.len() < 2 {
        return Ok(args);
    }
    let subcommand = cli.find_subcommand(&args[1]);
    let flags = flags_from_table(
        &table,
        |flag| {
            let names = OptionNames::of(subcommand, flag);
            std::env::var_os(&names.env).is_some() || names.given_in(&args[2..])
        },
        |flag| OptionNames::of(subcommand, flag).takes_value,
    )
    .with_context(|| format!("in the config file {path}"))?;
    let mut merged = args[..2].to_vec();
    merged.extend(flags.into_iter().map(OsString::from));
    merged.extend(args[2..].iter().cloned());
    Ok(merged)
}

/// The names one option goes by: its long flags (aliases included) and its environment variable.
struct OptionNames {
    longs: Vec<String>,
    env: String,
    /// The option takes a value (`--registration-open=false`) rather than being a bare switch
    /// (`--allow-weaker`). Unknown flags are taken as switches; clap reports them.
    takes_value: bool,
}

impl OptionNames {
    /// The names of the option spelled `--flag` (or an alias) in `command`; an unknown flag keeps
    /// its own name and the `CODE_REMOTE_*` variable derived from it.
    fn of(command: Option<&clap::Command>, flag: &str) -> Self {
        let arg = command.and_then(|command| {
            command.get_arguments().find(|arg| {
                arg.get_long() == Some(flag)
                    || arg
                        .get_all_aliases()
                        .is_some_and(|aliases| aliases.contains(&flag))
            })
        });
        let mut longs = vec![flag.to_owned()];
        if let Some(arg) = arg {
            longs.extend(arg.get_long().map(str::to_owned));
            longs.extend(
                arg.get_all_aliases()
                    .into_iter()
                    .flatten()
                    .map(str::to_owned),
            );
        }
        let env = arg
            .and_then(|arg| arg.get_env())
            .map(|env| env.to_string_lossy().into_owned())
            .unwrap_or_else(|| format!("{ENV_PREFIX}{}", flag.replace('-', "_").to_uppercase()));
        let takes_value = arg.is_some_and(|arg| arg.get_action().takes_values());
        Self {
            longs,
            env,
            takes_value,
        }
    }

    /// Whether `args` set the option, as `--name VALUE`, `--name=VALUE` or a bare `--name`.
    fn given_in(&self, args: &[OsString]) -> bool {
        args.iter().any(|arg| {
            let arg = arg.to_string_lossy();
            let Some(given) = arg.strip_prefix("--") else {
                return false;
            };
            let name = given.split_once('=').map_or(given, |(name, _)| name);
            self.longs.iter().any(|long| long == name)
        })
    }
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

/// `listen = "0.0.0.0:8080"` becomes `--listen=0.0.0.0:8080`, unless `set_elsewhere("listen")`
/// (the environment or the command line sets it). A boolean becomes `--flag=true|false` when
/// `takes_value(flag)`, and otherwise a bare `--flag` when true.
fn flags_from_table(
    table: &toml::Table,
    set_elsewhere: impl Fn(&str) -> bool,
    takes_value: impl Fn(&str) -> bool,
) -> anyhow::Result<Vec<String>> {
    let mut flags = Vec::new();
    for (key, value) in table {
        let flag = key.replace('_', "-");
        if flag == "config" {
            bail!("`config` cannot be set inside a config file");
        }
        if set_elsewhere(&flag) {
            continue;
        }
        match value {
            toml::Value::Boolean(value) if takes_value(&flag) => {
                flags.push(format!("--{flag}={value}"));
            }
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

/// Installs the global tracing subscriber: log lines on stderr, filtered by `filter` (the
/// `RUST_LOG` syntax), and, when `telemetry` exports, every span at `info` and above (requests,
/// jobs) to the collector, whatever the log level.
pub fn init_logging(format: LogFormat, filter: &str, telemetry: &Telemetry) -> anyhow::Result<()> {
    use tracing_subscriber::{
        Layer, filter::LevelFilter, layer::SubscriberExt, util::SubscriberInitExt,
    };

    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .with_context(|| format!("invalid log filter {filter:?}"))?;
    // Colours only for a person at a terminal, never into a file or a log collector.
    let colours = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let lines = tracing_subscriber::fmt::layer()
        .with_ansi(colours)
        .with_writer(std::io::stderr);
    let lines = match format {
        LogFormat::Pretty => lines.with_filter(filter).boxed(),
        LogFormat::Json => lines.json().flatten_event(true).with_filter(filter).boxed(),
    };
    let export = telemetry.tracer().map(|tracer| {
        tracing_opentelemetry::layer()
            .with_tracer(tracer)
            .with_filter(LevelFilter::INFO)
    });
    tracing_subscriber::registry()
        .with(lines)
        .with(export)
        .try_init()
        .map_err(|err| anyhow::anyhow!("cannot install the logger: {err}"))
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
    use clap::{CommandFactory, Parser};

    use super::*;
    use crate::commands::{Cli, Command, ServeArgs};

    #[test]
    fn toml_settings_become_flags_unless_the_environment_sets_them() {
        let table: toml::Table = toml::from_str("listen = \"0.0.0.0:9000\"\nworkers = 2\nallow_weaker = true\nregistration_open = false\nblocked_modules = [\"os\", \"socket\"]").unwrap();
        let flags = flags_from_table(
            &table,
            |flag| flag == "workers",
            |flag| flag == "registration-open",
        )
        .unwrap();
        assert_eq!(
            flags,
            [
                "--allow-weaker",
                "--blocked-modules=os",
                "--blocked-modules=socket",
                "--listen=0.0.0.0:9000",
                "--registration-open=false"
            ]
        );
    }

    #[test]
    fn a_config_key_inside_the_file_is_refused() {
        let table: toml::Table = toml::from_str("config = \"other.toml\"").unwrap();
        assert!(flags_from_table(&table, |_| false, |_| false).is_err());
    }

    /// `code-remote serve ARGS` with the settings of a config file holding `toml`.
    fn serve_with_file(toml: &str, args: &[&str]) -> Result<ServeArgs, clap::Error> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("code-remote.toml");
        std::fs::write(&path, toml).unwrap();
        let mut argv: Vec<OsString> = ["code-remote", "serve", "--config"].map(Into::into).into();
        argv.push(path.into());
        argv.extend(args.iter().map(Into::into));
        let merged = merge_config_file(argv, &Cli::command()).unwrap();
        let Command::Serve(serve) = Cli::try_parse_from(merged)?.command else {
            unreachable!("parsed `serve`")
        };
        Ok(*serve)
    }

    fn networks(serve: &ServeArgs) -> Vec<String> {
        serve
            .trusted_proxies
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn command_line_flags_replace_file_settings_lists_included() {
        let file = "listen = \"0.0.0.0:9000\"\nmax_queued = 5\ntrusted_proxies = [\"10.0.0.0/8\"]";
        let serve = serve_with_file(
            file,
            &["--listen", "127.0.0.1:1", "--trusted-proxy=192.0.2.1"],
        )
        .unwrap();
        assert_eq!(serve.listen.to_string(), "127.0.0.1:1");
        assert_eq!(networks(&serve), ["192.0.2.1/32"]);
        assert_eq!(serve.max_queued, 5, "the file's other settings stay");
    }

    #[test]
    fn a_file_key_knows_its_option_by_every_name() {
        let cli = Cli::command();
        let names = OptionNames::of(cli.find_subcommand("serve"), "trusted-proxies");
        assert_eq!(names.env, "CODE_REMOTE_TRUSTED_PROXIES");
        let given =
            |args: &[&str]| names.given_in(&args.iter().map(Into::into).collect::<Vec<_>>());
        assert!(given(&["--trusted-proxy", "10.0.0.1"]));
        assert!(given(&["--trusted-proxies=10.0.0.1"]));
        assert!(!given(&["--trusted-proxy-x", "--listen=trusted-proxy"]));
    }

    #[test]
    fn trusted_proxies_are_read_from_the_file() {
        let serve =
            serve_with_file("trusted_proxies = [\"10.0.0.0/8\", \"192.0.2.1\"]", &[]).unwrap();
        assert_eq!(networks(&serve), ["10.0.0.0/8", "192.0.2.1/32"]);
        let serve = serve_with_file("trusted-proxies = \"fd00::/8\"", &[]).unwrap();
        assert_eq!(networks(&serve), ["fd00::/8"]);
    }

    #[test]
    fn a_bad_trusted_proxy_in_the_file_is_an_error_naming_it() {
        let err = serve_with_file("trusted_proxies = [\"10.0.0.0/8\", \"10.0.0.0/99\"]", &[])
            .unwrap_err()
            .to_string();
        assert!(err.contains("`10.0.0.0/99`"), "{err}");
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

    #[test]
    fn a_boolean_option_that_takes_a_value_can_be_turned_off_in_the_file() {
        // `registration_open = false` used to produce no flag, leaving registration open.
        let closed =
            serve_with_file("registration_open = false\nallow_weaker = true", &[]).unwrap();
        assert!(!closed.registration_open);
        let open = serve_with_file("registration_open = true", &[]).unwrap();
        assert!(open.registration_open);
        let default = serve_with_file("workers = 1", &[]).unwrap();
        assert!(default.registration_open);
        // The command line still wins over the file.
        let flag =
            serve_with_file("registration_open = false", &["--registration-open=true"]).unwrap();
        assert!(flag.registration_open);
    }

    #[test]
    fn the_registration_mode_comes_from_the_file_or_the_flag() {
        use code_remote_api::RegistrationMode;
        let invite = serve_with_file("registration = \"invite\"", &[]).unwrap();
        assert_eq!(invite.registration, Some(RegistrationMode::Invite));
        let closed =
            serve_with_file("registration = \"invite\"", &["--registration=closed"]).unwrap();
        assert_eq!(closed.registration, Some(RegistrationMode::Closed));
        assert!(serve_with_file("registration = \"sometimes\"", &[]).is_err());
        assert_eq!(
            serve_with_file("workers = 1", &[]).unwrap().registration,
            None
        );
    }
}
