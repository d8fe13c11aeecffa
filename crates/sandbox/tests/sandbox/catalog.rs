//! Every case of the repository's own attack catalog (`attacks/catalog.py`, programs written for
//! this repository), run through the real sandbox and checked against our expectation table in
//! `expectations.rs`. When the research catalog (`../shared/research/attacks_catalog.py`, never
//! copied in) sits beside the repository, its program for the same id runs too, as a
//! cross-check against the same expectation; without it one notice says the cross-check skipped.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    process::Command,
    sync::OnceLock,
};

use code_remote_sandbox::Outcome;

use crate::{expectations, helpers};

type Catalog = BTreeMap<String, String>;

/// This crate's directory. Cargo sets CARGO_MANIFEST_DIR when it runs the test too; that one
/// wins, so a test binary built from one checkout and run from another (a shared target dir)
/// reads the catalogs of the checkout it runs in.
fn crate_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from)
}

fn repo_root() -> PathBuf {
    crate_dir().join("../..")
}

/// Runs `script` (which prints a JSON object id → code) with the host python on `path`.
fn dump(script: &str, path: &Path) -> Catalog {
    let python = code_remote_sandbox::PYTHON_CANDIDATES
        .iter()
        .find(|p| Path::new(p).exists())
        .expect("a host python3 reads the catalog");
    let output = Command::new(python)
        .args(["-I", "-S", "-c", script])
        .arg(path)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "reading {} failed: {}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the catalog dumps as JSON")
}

/// The repository's own catalog: id → code. Always present.
pub fn own() -> &'static Catalog {
    static OWN: OnceLock<Catalog> = OnceLock::new();
    OWN.get_or_init(|| {
        let path = crate_dir().join("tests/sandbox/attacks/catalog.py");
        dump(
            "import json, runpy, sys; \
             print(json.dumps({c[0]: c[3] for c in runpy.run_path(sys.argv[1])['CASES']}))",
            &path,
        )
    })
}

/// The research catalog beside the repository, id → code, for attack and must-work cases
/// alike; `None` (with one printed notice) when it is not there.
pub fn shared() -> Option<&'static Catalog> {
    static SHARED: OnceLock<Option<Catalog>> = OnceLock::new();
    SHARED
        .get_or_init(|| {
            let path = repo_root().join("../shared/research/attacks_catalog.py");
            if !path.exists() {
                // An extra cross-check, never a prerequisite: the own catalog above always
                // runs, so a clone with nothing beside it says so once and goes on, even where
                // the sandbox is required.
                use std::io::Write as _;
                let _ = writeln!(
                    std::io::stderr(),
                    "SKIPPED (cross-check): ../shared/research/attacks_catalog.py is not next to \
                     the repository, so only the repository's own attack programs run"
                );
                return None;
            }
            Some(dump(
                "import json,sys; ns={}; exec(open(sys.argv[1]).read(), ns); \
                 print(json.dumps({c[0]: c[-1] for c in ns['CASES'] + ns['OK']}))",
                &path,
            ))
        })
        .as_ref()
}

/// The stdin a case expects (only OK-07 reads stdin).
fn stdin_for(id: &str) -> &'static [u8] {
    if id == "OK-07" { b"1 2 3\n4 5\n" } else { b"" }
}

/// Runs `code` as case `id` once in `sandbox`.
pub fn run_code(sandbox: &code_remote_sandbox::Sandbox, id: &str, code: &str) -> Outcome {
    let mut program = helpers::program(code, expectations::limits_for(id));
    program.stdin = stdin_for(id).to_vec();
    helpers::run(sandbox, program)
}

/// Runs the own program of case `id` once in `sandbox`.
pub fn run_case(sandbox: &code_remote_sandbox::Sandbox, id: &str) -> Outcome {
    let code = own()
        .get(id)
        .unwrap_or_else(|| panic!("{id} is not in attacks/catalog.py"));
    run_code(sandbox, id, code)
}

/// Runs `code` for case `id` in a fresh sandbox and checks it against the expectation.
fn check_code(id: &str, source: &str, code: &str) {
    let Some(sandbox) = helpers::sandbox(1) else {
        return;
    };
    let outcome = run_code(&sandbox, id, code);
    let expectation = expectations::get(id).unwrap_or_else(|| panic!("no expectation for {id}"));
    if let Err(why) = expectation(&outcome) {
        panic!(
            "{id} ({source} program): {why}\nstatus={:?} exit={:?} signal={:?} message={:?}\n\
             stdout={:?}\nstderr={:?}",
            outcome.status,
            outcome.exit_code,
            outcome.signal,
            outcome.message,
            helpers::stdout(&outcome),
            helpers::stderr(&outcome)
        );
    }
}

/// Checks case `id`: the own program always, the research program too when it is present.
pub fn check(id: &str) {
    let code = own()
        .get(id)
        .unwrap_or_else(|| panic!("{id} is not in attacks/catalog.py"));
    check_code(id, "own", code);
    if let Some(code) = shared().and_then(|shared| shared.get(id)) {
        check_code(id, "research", code);
    }
}

/// The ids of `catalog` that lack an expectation, and the expected ids it lacks.
fn mismatch<'a>(catalog: &'a Catalog, expected: &[&'a str]) -> (Vec<&'a str>, Vec<&'a str>) {
    let extra = catalog
        .keys()
        .map(String::as_str)
        .filter(|id| !expected.contains(id))
        .collect();
    let missing = expected
        .iter()
        .copied()
        .filter(|id| !catalog.contains_key(*id))
        .collect();
    (extra, missing)
}

#[test]
fn every_catalog_case_has_an_expectation_and_a_test() {
    let (extra, missing) = mismatch(own(), expectations::IDS);
    assert!(
        extra.is_empty(),
        "own cases without an expectation: {extra:?}"
    );
    assert!(
        missing.is_empty(),
        "expectations without an own case: {missing:?}"
    );
    assert_eq!(own().len(), expectations::IDS.len());

    // The research catalog holds exactly the ids that are not ours alone.
    for id in expectations::OWN_ONLY {
        assert!(
            expectations::IDS.contains(id),
            "{id} is own-only but has no expectation"
        );
    }
    let Some(shared) = shared() else { return };
    let shared_ids: Vec<&str> = expectations::IDS
        .iter()
        .copied()
        .filter(|id| !expectations::OWN_ONLY.contains(id))
        .collect();
    let (extra, missing) = mismatch(shared, &shared_ids);
    assert!(
        extra.is_empty(),
        "research cases without an expectation: {extra:?}"
    );
    assert!(
        missing.is_empty(),
        "expectations for research cases it lacks: {missing:?}"
    );
    assert_eq!(shared.len(), shared_ids.len());
}
