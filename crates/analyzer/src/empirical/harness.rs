//! Chooses what to time and writes the Python harness that times it.

use std::time::Duration;

use ruff_python_ast::{Expr, Stmt, StmtFunctionDef};

/// Lines of the harness's output that carry a measurement: `@@point <n> <seconds>`.
pub const POINT_PREFIX: &str = "@@point ";

/// The kind of argument generated for a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    Int,
    Str,
    List,
}

impl ArgKind {
    fn python(self) -> &'static str {
        match self {
            ArgKind::Int => "int",
            ArgKind::Str => "str",
            ArgKind::List => "list",
        }
    }
}

/// What gets timed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A function called with generated arguments of size n.
    Function { name: String, args: Vec<ArgKind> },
    /// The whole program, fed `n` and n numbers on stdin.
    Script,
}

impl Target {
    pub fn label(&self) -> String {
        match self {
            Target::Function { name, .. } => name.clone(),
            Target::Script => "<module>".to_owned(),
        }
    }
}

const SIZED_NAMES: &[&str] = &[
    "n", "arr", "a", "nums", "numbers", "lst", "xs", "data", "items", "values", "array", "s",
    "seq", "l", "li", "text", "string", "word", "k", "m", "num", "size", "count", "x", "v",
];
const INT_NAMES: &[&str] = &[
    "n", "k", "m", "num", "size", "count", "x", "number", "limit",
];
const STR_NAMES: &[&str] = &["s", "text", "string", "word", "st", "t"];

/// The top-level function most likely to take a sized input, else the whole script.
pub fn choose_target(code: &str) -> Option<Target> {
    if code.len() > crate::static_analysis::MAX_SOURCE_BYTES {
        return None;
    }
    crate::static_analysis::on_analysis_stack(|| {
        let parsed = ruff_python_parser::parse_module(code).ok()?;
        let best = parsed
            .suite()
            .iter()
            .filter_map(|s| match s {
                Stmt::FunctionDef(f) => Some(f),
                _ => None,
            })
            .filter(|f| f.parameters.iter_non_variadic_params().next().is_some())
            .map(|f| (score(f), f))
            .filter(|(s, _)| *s > 0)
            .max_by_key(|(s, f)| (*s, std::cmp::Reverse(f.range.start())))
            .map(|(_, f)| Target::Function {
                name: f.name.to_string(),
                args: f
                    .parameters
                    .iter_non_variadic_params()
                    .filter(|p| p.default.is_none())
                    .map(|p| arg_kind(p.parameter.name.as_str(), p.parameter.annotation.as_deref()))
                    .collect(),
            });
        Some(best.unwrap_or(Target::Script))
    })
    .ok()
    .flatten()
}

fn score(f: &StmtFunctionDef) -> u32 {
    f.parameters
        .iter_non_variadic_params()
        .filter(|p| p.default.is_none())
        .map(|p| {
            let name = p.parameter.name.as_str();
            let mut s = 0;
            if p.parameter.annotation.is_some() {
                s += 2;
            }
            if SIZED_NAMES.contains(&name) {
                s += 2;
            }
            s
        })
        .sum()
}

fn arg_kind(name: &str, annotation: Option<&Expr>) -> ArgKind {
    let annotated = annotation.and_then(|a| match a {
        Expr::Name(n) => Some(n.id.to_string()),
        Expr::Subscript(s) => match s.value.as_ref() {
            Expr::Name(n) => Some(n.id.to_string()),
            _ => None,
        },
        _ => None,
    });
    match annotated.as_deref() {
        Some("int") => ArgKind::Int,
        Some("str") => ArgKind::Str,
        Some(_) => ArgKind::List,
        None if INT_NAMES.contains(&name) => ArgKind::Int,
        None if STR_NAMES.contains(&name) => ArgKind::Str,
        None => ArgKind::List,
    }
}

/// The Python program that times `target` at growing n and prints `@@point` lines.
pub fn harness(code: &str, target: &Target, budget: Duration) -> String {
    let (name, kinds) = match target {
        Target::Function { name, args } => (
            format!("{:?}", name),
            args.iter()
                .map(|k| format!("{:?}", k.python()))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        Target::Script => ("None".to_owned(), String::new()),
    };
    // JSON string literals are valid Python string literals.
    let code_literal = serde_json::to_string(code).unwrap_or_else(|_| "\"\"".to_owned());
    format!(
        r#"import io, random, sys, time
sys.setrecursionlimit(1000000)
random.seed(20240601)
CODE = {code_literal}
TARGET = {name}
KINDS = [{kinds}]
BUDGET = {budget:.3}
MAX_N = 1 << 22
real_stdout = sys.stdout
program = compile(CODE, "<user>", "exec")

def make(kind, n):
    if kind == "int":
        return n
    if kind == "str":
        return "".join(random.choice("abc") for _ in range(n))
    return [random.randint(1, n) for _ in range(n)]

def script_input(n):
    return str(n) + "\n" + " ".join(str(random.randint(1, n)) for _ in range(n)) + "\n"

start = time.perf_counter()
if TARGET is not None:
    namespace = {{"__name__": "__measured__"}}
    sys.stdin = io.StringIO("")
    sys.stdout = io.StringIO()
    try:
        exec(program, namespace)
    except BaseException:
        pass
    sys.stdout = real_stdout
    function = namespace[TARGET]

n = 4
while n <= MAX_N:
    args = [make(k, n) for k in KINDS] if TARGET is not None else None
    text = script_input(n) if TARGET is None else None
    best = None
    for _ in range(3):
        call_args = [list(a) if isinstance(a, list) else a for a in args] if args is not None else None
        sys.stdin = io.StringIO(text or "")
        sys.stdout = io.StringIO()
        # CPU time of this process: other work on the machine does not inflate it.
        t0 = time.process_time()
        try:
            if TARGET is not None:
                function(*call_args)
            else:
                exec(program, {{"__name__": "__main__"}})
        except SystemExit:
            pass
        except BaseException as e:
            sys.stdout = real_stdout
            print("measured program failed at n=%d: %r" % (n, e), file=sys.stderr)
            sys.exit(1)
        elapsed = time.process_time() - t0
        sys.stdout = real_stdout
        best = elapsed if best is None else min(best, elapsed)
        if elapsed > 0.3:
            break
    print("{POINT_PREFIX}%d %.9f" % (n, best), flush=True)
    if best > 1.0 or time.perf_counter() - start + 3 * best > BUDGET:
        break
    n = max(n + 1, int(n * 1.5))
"#,
        budget = budget.as_secs_f64(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_function_with_a_sized_parameter_is_chosen() {
        let code =
            "def helper(flag=True):\n    pass\n\ndef total(arr: list, k):\n    return sum(arr)\n";
        assert_eq!(
            choose_target(code),
            Some(Target::Function {
                name: "total".into(),
                args: vec![ArgKind::List, ArgKind::Int]
            })
        );
    }

    #[test]
    fn a_script_without_functions_is_timed_whole() {
        assert_eq!(
            choose_target("n = int(input())\nprint(n)\n"),
            Some(Target::Script)
        );
    }

    #[test]
    fn the_harness_embeds_the_code_as_a_string_and_prints_points() {
        let target = Target::Function {
            name: "f".into(),
            args: vec![ArgKind::Str],
        };
        let h = harness(
            "def f(s):\n    return s.count('\"')\n",
            &target,
            Duration::from_secs(2),
        );
        assert!(h.contains(r#"CODE = "def f(s):\n    return s.count('\"')\n""#));
        assert!(h.contains("TARGET = \"f\""));
        assert!(h.contains("KINDS = [\"str\"]"));
        assert!(h.contains("@@point "));
    }
}
