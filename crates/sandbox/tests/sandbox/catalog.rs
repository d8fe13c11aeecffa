//! Every case of research/attacks.md, read at test time from `attacks_catalog.py` (never copied
//! into this repository), run through the real sandbox and checked against our own expectation
//! table in `expectations.rs`.

use std::{collections::BTreeMap, path::PathBuf, process::Command, sync::OnceLock};

use code_remote_sandbox::Outcome;

use crate::{expectations, helpers};

/// `attacks_catalog.py`, found next to the repository (`../shared/research/`).
fn catalog_path() -> Option<PathBuf> {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let path = repo.join("../shared/research/attacks_catalog.py");
    path.exists().then_some(path)
}

/// id → code, for attack and must-work cases alike.
pub fn catalog() -> Option<&'static BTreeMap<String, String>> {
    static CATALOG: OnceLock<Option<BTreeMap<String, String>>> = OnceLock::new();
    CATALOG
        .get_or_init(|| {
            let Some(path) = catalog_path() else {
                // The catalog is an extra cross-check beside the repository's own hostile
                // programs (hardening.rs, seccomp tests), not a prerequisite: a clone with
                // nothing beside it says so and goes on, even where the sandbox is required.
                use std::io::Write as _;
                let _ = writeln!(
                    std::io::stderr(),
                    "SKIPPED (cross-check): ../shared/research/attacks_catalog.py is not next to \
                     the repository, so the shared attack catalog does not run"
                );
                return None;
            };
            let python = code_remote_sandbox::PYTHON_CANDIDATES
                .iter()
                .find(|p| std::path::Path::new(p).exists())
                .expect("a host python3 reads the catalog");
            let dump = "import json,sys; ns={}; exec(open(sys.argv[1]).read(), ns); \
                        print(json.dumps({c[0]: c[-1] for c in ns['CASES'] + ns['OK']}))";
            let output = Command::new(python)
                .args(["-I", "-S", "-c", dump])
                .arg(&path)
                .output()
                .expect("python runs");
            assert!(
                output.status.success(),
                "reading the catalog failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            Some(serde_json::from_slice(&output.stdout).expect("the catalog dumps as JSON"))
        })
        .as_ref()
}

/// The stdin a case expects (only OK-07 reads stdin).
fn stdin_for(id: &str) -> &'static [u8] {
    if id == "OK-07" { b"1 2 3\n4 5\n" } else { b"" }
}

/// Runs case `id` once in `sandbox`.
pub fn run_case(sandbox: &code_remote_sandbox::Sandbox, id: &str) -> Outcome {
    let code = &catalog().expect("catalog present")[id];
    let mut program = helpers::program(code, expectations::limits_for(id));
    program.stdin = stdin_for(id).to_vec();
    helpers::run(sandbox, program)
}

/// Runs case `id` in a fresh sandbox and checks it against its expectation.
pub fn check(id: &str) {
    if catalog().is_none() {
        return;
    }
    let Some(sandbox) = helpers::sandbox(1) else {
        return;
    };
    let outcome = run_case(&sandbox, id);
    let expectation = expectations::get(id).unwrap_or_else(|| panic!("no expectation for {id}"));
    if let Err(why) = expectation(&outcome) {
        panic!(
            "{id}: {why}\nstatus={:?} exit={:?} signal={:?} message={:?}\nstdout={:?}\nstderr={:?}",
            outcome.status,
            outcome.exit_code,
            outcome.signal,
            outcome.message,
            helpers::stdout(&outcome),
            helpers::stderr(&outcome)
        );
    }
}

#[test]
fn every_catalog_case_has_an_expectation_and_a_test() {
    let Some(catalog) = catalog() else { return };
    let missing: Vec<&String> = catalog
        .keys()
        .filter(|id| expectations::get(id).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "cases without an expectation: {missing:?}"
    );
    let unknown: Vec<&str> = expectations::IDS
        .iter()
        .copied()
        .filter(|id| !catalog.contains_key(*id))
        .collect();
    assert!(
        unknown.is_empty(),
        "expectations for cases not in the catalog: {unknown:?}"
    );
    assert_eq!(catalog.len(), expectations::IDS.len());
}
