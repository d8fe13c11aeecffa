//! The interpreter: a prefix the slot uid cannot enter, no host site code, the import policy.

use std::{os::unix::fs::PermissionsExt, path::PathBuf, process::Command, time::Duration};

use code_remote_sandbox::{Error, Limits, Sandbox, SandboxConfig, Status};

use crate::helpers::{program, run, sandbox, sandbox_with, stderr, stdout};

const NO_SITE: &str =
    "import sys\nprint('site' in sys.modules, [p for p in sys.path if 'packages' in p])";

fn limits() -> Limits {
    Limits {
        wall_time: Duration::from_secs(10),
        ..Limits::default()
    }
}

/// A `python3` on PATH whose prefix an unprivileged uid cannot enter (e.g. pyenv under /root).
fn unenterable_python() -> Option<PathBuf> {
    let output = Command::new("python3")
        .args(["-I", "-S", "-c", "import sys; print(sys.executable)"])
        .output()
        .ok()?;
    let path = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    let blocked = path.ancestors().any(|dir| {
        dir.metadata()
            .is_ok_and(|m| m.permissions().mode() & 0o001 == 0)
    });
    blocked.then_some(path)
}

#[test]
fn an_interpreter_under_an_unenterable_directory_is_staged_and_runs() {
    let Some(python) = unenterable_python() else {
        crate::helpers::skipped!(
            "SKIPPED: no python3 on PATH lives under a directory other users cannot enter"
        );
        return;
    };
    let Some(sandbox) = sandbox_with(1, |c| {
        c.python = Some(python.clone());
        // The installed environment is built for Debian's python3, not this one.
        c.python_env = None;
    }) else {
        return;
    };
    assert!(
        sandbox.report().to_string().contains("staged read-only"),
        "{}",
        sandbox.report()
    );
    let outcome = run(&sandbox, program(NO_SITE, limits()));
    assert_eq!(outcome.status, Status::Succeeded, "{}", stderr(&outcome));
    assert_eq!(stdout(&outcome), "False []\n");
    // The host's view is untouched: the launcher staged it in its own mount namespace.
    let mounts = std::fs::read_to_string("/proc/self/mountinfo").unwrap();
    assert!(!mounts.contains(python.parent().unwrap().parent().unwrap().to_str().unwrap()));
}

#[test]
fn no_site_packages_or_pth_code_of_the_host_runs() {
    let Some(sandbox) = sandbox(1) else { return };
    let outcome = run(&sandbox, program(NO_SITE, limits()));
    // Only the curated environment's own directory, when one is configured.
    let expected = match sandbox.python_env() {
        Some(env) => format!("False ['{}']\n", env.site_packages.display()),
        None => "False []\n".to_string(),
    };
    assert_eq!(stdout(&outcome), expected);
    let listing = run(
        &sandbox,
        program(
            "import site; print([__import__('os').listdir(p) for p in site.getsitepackages() if __import__('os').path.isdir(p)])",
            limits(),
        ),
    );
    assert!(
        !stdout(&listing).contains(".pth"),
        "site-packages are visible: {}",
        stdout(&listing)
    );
}

#[test]
fn a_missing_configured_interpreter_is_a_clear_error() {
    let Some(_) = sandbox(1) else { return };
    let config = SandboxConfig {
        python: Some("/nonexistent/bin/python3".into()),
        uid_base: 64_000,
        ..Default::default()
    };
    match Sandbox::new(config) {
        Err(Error::PythonUnusable { path, .. }) => {
            assert_eq!(path, PathBuf::from("/nonexistent/bin/python3"))
        }
        Err(other) => panic!("unexpected error: {other}"),
        Ok(_) => panic!("a missing interpreter was accepted"),
    }
}

#[test]
fn a_blocked_module_fails_with_an_import_error_naming_the_policy() {
    let Some(sandbox) = sandbox_with(1, |c| {
        c.blocked_modules = vec!["socket".into(), "subprocess".into()]
    }) else {
        return;
    };
    let allowed = run(
        &sandbox,
        program(
            "import json, math; print(json.dumps(math.pi > 3))",
            limits(),
        ),
    );
    assert_eq!(stdout(&allowed), "true\n");
    let blocked = run(&sandbox, program("import subprocess", limits()));
    assert_eq!(blocked.status, Status::Failed);
    assert!(
        stderr(&blocked).contains(
            "ImportError: import of 'subprocess' is blocked by this server's import policy"
        ),
        "{}",
        stderr(&blocked)
    );
    assert!(
        stderr(&blocked).contains("File \"/box/main.py\", line 1"),
        "traceback points at the program: {}",
        stderr(&blocked)
    );
    assert!(
        !stderr(&blocked).contains("<string>"),
        "the bootstrap shows in the traceback: {}",
        stderr(&blocked)
    );
    let submodule = run(&sandbox, program("from socket import socket", limits()));
    assert!(stderr(&submodule).contains("blocked by this server's import policy"));
}

#[test]
fn a_syntax_error_is_reported_against_main_py() {
    let Some(sandbox) = sandbox(1) else { return };
    let outcome = run(&sandbox, program("print('a'\n", limits()));
    assert_eq!(outcome.status, Status::Failed);
    assert!(
        stderr(&outcome).contains("File \"/box/main.py\", line 1"),
        "{}",
        stderr(&outcome)
    );
    assert!(stderr(&outcome).contains("SyntaxError"));
}
