//! The scientific Python environment inside the sandbox: numpy, pandas, matplotlib, scipy,
//! sympy and networkx import and work, figures come back as PNG, and the host's own
//! site-packages stay hidden.

use std::{path::Path, time::Duration};

use code_remote_sandbox::{DEFAULT_PYTHON_ENV, Limits, Outcome, Sandbox, Status};

use crate::helpers::{program, run, sandbox_with, skipped, stderr, stdout};

/// A sandbox with the installed environment, or `None` (skipped, or failed under
/// CODE_REMOTE_REQUIRE_SANDBOX=1) when `scripts/install-python-env` has not run.
fn sci_sandbox() -> Option<Sandbox> {
    if !Path::new(DEFAULT_PYTHON_ENV).join("STAMP").exists() {
        skipped!(
            "SKIPPED: no Python environment at {DEFAULT_PYTHON_ENV} (scripts/install-python-env installs it)"
        );
        return None;
    }
    sandbox_with(1, |config| {
        config.python_env = Some(DEFAULT_PYTHON_ENV.into())
    })
}

fn limits() -> Limits {
    Limits {
        wall_time: Duration::from_secs(20),
        ..Limits::default()
    }
}

fn run_ok(sandbox: &Sandbox, code: &str) -> Outcome {
    let outcome = run(sandbox, program(code, limits()));
    assert_eq!(outcome.status, Status::Succeeded, "{}", stderr(&outcome));
    outcome
}

/// Width and height from a PNG's IHDR chunk, after checking its signature.
pub fn png_size(data: &[u8]) -> (u32, u32) {
    assert!(data.len() > 24, "too short for a PNG");
    assert_eq!(&data[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&data[12..16], b"IHDR");
    let word = |at: usize| u32::from_be_bytes(data[at..at + 4].try_into().unwrap());
    (word(16), word(20))
}

#[test]
fn numpy_pandas_scipy_sympy_and_networkx_work_under_the_default_limits() {
    let Some(sandbox) = sci_sandbox() else { return };
    let outcome = run_ok(
        &sandbox,
        "import numpy as np, pandas as pd, scipy.linalg, sympy, networkx as nx\n\
         a = np.arange(12).reshape(3, 4)\nprint(int(a.sum()))\n\
         df = pd.DataFrame({'x': [1, 2, 3], 'y': [2.0, 4.0, 6.0]})\nprint(df['y'].mean())\n\
         print(round(float(scipy.linalg.det(np.array([[2.0, 0], [0, 3.0]]))), 6))\n\
         x = sympy.symbols('x')\nprint(sympy.integrate(2 * x, x))\n\
         print(nx.shortest_path_length(nx.path_graph(5), 0, 4))",
    );
    assert_eq!(stdout(&outcome), "66\n4.0\n6.0\nx**2\n4\n");
}

#[test]
fn numerical_libraries_use_one_thread() {
    let Some(sandbox) = sci_sandbox() else { return };
    let outcome = run_ok(
        &sandbox,
        "import os, numpy as np\nnp.ones((300, 300)) @ np.ones((300, 300))\n\
         print(len(os.listdir('/proc/self/task')), sorted(os.environ))",
    );
    // One thread after a BLAS call, and os.environ still holds only the allowed variables (FS-06).
    assert_eq!(stdout(&outcome).trim(), "1 ['HOME', 'LANG', 'PATH', 'PWD']");
}

#[test]
fn the_hosts_site_packages_stay_hidden() {
    let Some(sandbox) = sci_sandbox() else { return };
    let outcome = run_ok(
        &sandbox,
        "import os, sys\nprint([p for p in sys.path if 'packages' in p])\n\
         print(sorted(os.listdir('/usr/lib/python3/dist-packages')))\nimport numpy\nprint(numpy.__file__)",
    );
    let text = stdout(&outcome);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[1], "[]", "host dist-packages is empty inside");
    assert!(
        lines[0].contains("/usr/local/lib/code-remote/python-"),
        "{text}"
    );
    assert!(
        lines[2].starts_with("/usr/local/lib/code-remote/python-"),
        "{text}"
    );
}

#[test]
fn the_environment_is_read_only() {
    let Some(sandbox) = sci_sandbox() else { return };
    let outcome = run_ok(
        &sandbox,
        "import numpy, os\ntry:\n    open(os.path.join(os.path.dirname(numpy.__file__), 'x.py'), 'w')\n\
         except OSError as e:\n    print(e.errno)",
    );
    assert_eq!(stdout(&outcome).trim(), "30"); // EROFS
}

#[test]
fn a_figure_left_open_comes_back_as_a_png() {
    let Some(sandbox) = sci_sandbox() else { return };
    let outcome = run_ok(
        &sandbox,
        "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3], [1, 4, 9])\nplt.title('squares')",
    );
    assert_eq!(outcome.artifacts.files.len(), 1, "{:?}", outcome.artifacts);
    let figure = &outcome.artifacts.files[0];
    assert_eq!(figure.name, "figure-1.png");
    assert_eq!(png_size(&figure.data), (640, 480));
    // The prebuilt font cache is used: matplotlib does not rebuild it (it would say so).
    assert!(
        !stderr(&outcome).contains("font cache"),
        "{}",
        stderr(&outcome)
    );
}

#[test]
fn show_saves_each_figure_and_savefig_writes_svg() {
    let Some(sandbox) = sci_sandbox() else { return };
    let outcome = run_ok(
        &sandbox,
        "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()\n\
         fig = plt.figure(figsize=(2, 1))\nplt.bar([1, 2], [3, 4])\nplt.show()\n\
         plt.figure()\nplt.plot([0, 1])\nplt.savefig('/box/out/line.svg')\nplt.close('all')",
    );
    let names: Vec<&str> = outcome
        .artifacts
        .files
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(names, ["figure-1.png", "figure-2.png", "line.svg"]);
    assert_eq!(png_size(&outcome.artifacts.files[1].data), (200, 100));
    assert!(outcome.artifacts.files[2].data.starts_with(b"<?xml"));
}
