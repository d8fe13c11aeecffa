//! Small syntactic scans over a block (which functions it calls), used by loop rules.

use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
use ruff_python_ast::{Expr, Stmt};

/// Scans deeper than this are cut short (the walk itself already bounds nesting).
const MAX_SCAN_DEPTH: usize = 200;

/// Whether a scan looks inside nested `def`s.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Defs {
    Skip,
    Enter,
}

/// Visits every expression of a block, outer before inner, until `look` answers `true`.
struct ExprScan<F> {
    look: F,
    defs: Defs,
    found: bool,
    depth: usize,
}

impl<'a, F: FnMut(&'a Expr) -> bool> Visitor<'a> for ExprScan<F> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        let skipped = self.defs == Defs::Skip && matches!(stmt, Stmt::FunctionDef(_));
        if self.found || self.depth > MAX_SCAN_DEPTH || skipped {
            return;
        }
        self.depth += 1;
        walk_stmt(self, stmt);
        self.depth -= 1;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.found || self.depth > MAX_SCAN_DEPTH {
            return;
        }
        if (self.look)(expr) {
            self.found = true;
            return;
        }
        self.depth += 1;
        walk_expr(self, expr);
        self.depth -= 1;
    }
}

/// Whether `look` answers `true` for some expression of `body` (nested `def`s as `defs` says).
/// A collecting scan answers `false` throughout and gathers what it sees.
pub fn any_expr<'a>(body: &'a [Stmt], defs: Defs, look: impl FnMut(&'a Expr) -> bool) -> bool {
    let mut scan = ExprScan {
        look,
        defs,
        found: false,
        depth: 0,
    };
    for stmt in body {
        scan.visit_stmt(stmt);
    }
    scan.found
}

/// `any_expr` over a list of expressions.
pub fn any_in<'a>(exprs: &'a [Expr], look: impl FnMut(&'a Expr) -> bool) -> bool {
    let mut scan = ExprScan {
        look,
        defs: Defs::Skip,
        found: false,
        depth: 0,
    };
    for e in exprs {
        scan.visit_expr(e);
    }
    scan.found
}

/// The name a call calls: `f` in `f(…)`, `m` in `x.m(…)`.
pub fn callee(e: &Expr) -> Option<&str> {
    let Expr::Call(c) = e else { return None };
    match c.func.as_ref() {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => Some(a.attr.as_str()),
        _ => None,
    }
}

/// Whether the program reads its input anywhere: calls a reader, names `input` (`cin = input`),
/// touches `sys.stdin` or opens descriptor 0.
pub fn reads_input(body: &[Stmt]) -> bool {
    any_expr(body, Defs::Enter, |e| match e {
        Expr::Name(n) => matches!(n.id.as_str(), "input" | "raw_input"),
        Expr::Attribute(a) => a.attr.as_str() == "stdin",
        Expr::Call(c) if matches!(c.func.as_ref(), Expr::Name(f) if f.id.as_str() == "open") => {
            matches!(c.arguments.args.first(), Some(Expr::NumberLiteral(_)))
        }
        _ => callee(e).is_some_and(|n| INPUT_READERS.contains(&n)),
    })
}

/// Whether the block calls a function or method with one of these names.
pub fn calls_any(body: &[Stmt], names: &[&str]) -> bool {
    any_expr(body, Defs::Skip, |e| {
        callee(e).is_some_and(|n| names.contains(&n))
    })
}

/// Whether any of these expressions calls a function or method with one of these names.
pub fn calls_any_expr(exprs: &[Expr], names: &[&str]) -> bool {
    any_in(exprs, |e| callee(e).is_some_and(|n| names.contains(&n)))
}

/// Whether the block calls one of these names on a path that stays in the loop: a call only in
/// branches that end by leaving it (`print(i); break`) runs once, not on every pass.
pub fn calls_any_staying(body: &[Stmt], names: &[&str]) -> bool {
    body.iter().any(|stmt| match stmt {
        Stmt::If(i) => {
            let mut tests = std::iter::once(i.test.as_ref())
                .chain(i.elif_else_clauses.iter().filter_map(|c| c.test.as_ref()));
            let branches =
                std::iter::once(&i.body).chain(i.elif_else_clauses.iter().map(|c| &c.body));
            tests.any(|t| calls_any_expr(std::slice::from_ref(t), names))
                || branches
                    .filter(|b| !leaves(b))
                    .any(|b| calls_any_staying(b, names))
        }
        _ => calls_any(std::slice::from_ref(stmt), names),
    })
}

/// Whether a branch ends by leaving the loop or function.
fn leaves(branch: &[Stmt]) -> bool {
    matches!(
        branch.last(),
        Some(Stmt::Break(_) | Stmt::Return(_) | Stmt::Raise(_))
    )
}

/// Whether the block appends something other than what it reads (`ans.append(best)`, not
/// `rows.append(input())`) to a named list (not to a row `g[i]` of a table it builds): a
/// per-case answer rather than a record of the input.
pub fn appends_answer(body: &[Stmt], readers: &[&str]) -> bool {
    any_expr(body, Defs::Skip, |e| {
        matches!(e, Expr::Call(c)
            if matches!(c.func.as_ref(), Expr::Attribute(a)
                if a.attr.as_str() == "append" && matches!(a.value.as_ref(), Expr::Name(_)))
                && !calls_any_expr(&c.arguments.args, readers))
    })
}

/// The container a call adds to: `x` in `x.append(…)` (and the other growing methods) or in
/// `heappush(x, …)` or `insort(x, …)`.
pub fn grown_container(c: &ruff_python_ast::ExprCall) -> Option<&Expr> {
    let pushes = |f: &str| matches!(f, "heappush" | "insort" | "insort_left" | "insort_right");
    match c.func.as_ref() {
        Expr::Attribute(a)
            if crate::static_analysis::syntax::literals::GROWS.contains(&a.attr.as_str()) =>
        {
            Some(a.value.as_ref())
        }
        Expr::Name(f) if pushes(f.id.as_str()) => c.arguments.args.first(),
        Expr::Attribute(a) if pushes(a.attr.as_str()) => c.arguments.args.first(),
        _ => None,
    }
}

/// Names of containers the block adds to on every pass: `x.append(…)` and the other growing
/// methods, and `heappush(x, …)`, outside branches that leave the loop (those run once).
pub fn grown_names(body: &[Stmt]) -> Vec<String> {
    struct Finder {
        names: Vec<String>,
        depth: usize,
    }
    impl<'a> Visitor<'a> for Finder {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if self.depth > MAX_SCAN_DEPTH || matches!(stmt, Stmt::FunctionDef(_)) {
                return;
            }
            self.depth += 1;
            if let Stmt::If(i) = stmt {
                self.visit_expr(&i.test);
                for test in i.elif_else_clauses.iter().filter_map(|c| c.test.as_ref()) {
                    self.visit_expr(test);
                }
                let branches =
                    std::iter::once(&i.body).chain(i.elif_else_clauses.iter().map(|c| &c.body));
                for branch in branches {
                    let leaves = matches!(
                        branch.last(),
                        Some(Stmt::Break(_) | Stmt::Return(_) | Stmt::Raise(_))
                    );
                    if !leaves {
                        branch.iter().for_each(|s| self.visit_stmt(s));
                    }
                }
            } else {
                walk_stmt(self, stmt);
            }
            self.depth -= 1;
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if self.depth > MAX_SCAN_DEPTH {
                return;
            }
            if let Expr::Call(c) = expr
                && let Some(Expr::Name(n)) = grown_container(c)
                && !self.names.iter().any(|x| x == n.id.as_str())
            {
                self.names.push(n.id.to_string());
            }
            self.depth += 1;
            walk_expr(self, expr);
            self.depth -= 1;
        }
    }
    let mut finder = Finder {
        names: Vec::new(),
        depth: 0,
    };
    for stmt in body {
        finder.visit_stmt(stmt);
    }
    finder.names
}

/// Whether the block calls `.pop()`/`.popleft()`/`.remove()`/`heappop(x)` on one of these names.
pub fn pops_from(body: &[Stmt], names: &std::collections::HashSet<String>) -> bool {
    let named = |e: &Expr| matches!(e, Expr::Name(n) if names.contains(n.id.as_str()));
    any_expr(body, Defs::Skip, |e| {
        let Expr::Call(c) = e else { return false };
        match c.func.as_ref() {
            Expr::Attribute(a)
                if matches!(a.attr.as_str(), "pop" | "popleft" | "remove" | "popitem") =>
            {
                named(&a.value)
            }
            Expr::Name(f) if f.id.as_str() == "heappop" => {
                c.arguments.args.first().is_some_and(named)
            }
            Expr::Attribute(a) if a.attr.as_str() == "heappop" => {
                c.arguments.args.first().is_some_and(named)
            }
            _ => false,
        }
    })
}

/// Names indexed with a literal position of 2 or more (`a[2]`, `a[3]`) or unpacked into
/// names (`a, b, c = xs`): a list read from the input and used like this is a fixed-size
/// record, not an input-sized sequence, unless it is also sliced to its end (`a[2:]`), which
/// leaves a tail of any length.
pub fn record_names(body: &[Stmt]) -> std::collections::HashSet<String> {
    let mut names = std::collections::HashSet::new();
    let mut tails = std::collections::HashSet::new();
    any_expr(body, Defs::Enter, |e| {
        if let Expr::Subscript(s) = e
            && let Expr::Name(n) = s.value.as_ref()
        {
            match s.slice.as_ref() {
                Expr::NumberLiteral(i)
                    if i.value
                        .as_int()
                        .and_then(|v| v.as_u64())
                        .is_some_and(|v| v >= 2) =>
                {
                    names.insert(n.id.to_string());
                }
                Expr::Slice(sl) if sl.upper.is_none() => {
                    tails.insert(n.id.to_string());
                }
                _ => {}
            }
        }
        false
    });
    unpacked_names(body, &mut names);
    names.retain(|n| !tails.contains(n));
    names
}

/// Adds names unpacked into a fixed number of targets (`a, b, c = xs`): the list has exactly
/// that many elements.
fn unpacked_names(body: &[Stmt], names: &mut std::collections::HashSet<String>) {
    struct Finder<'n> {
        names: &'n mut std::collections::HashSet<String>,
        depth: usize,
    }
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if self.depth > MAX_SCAN_DEPTH {
                return;
            }
            if let Stmt::Assign(a) = stmt
                && let Expr::Name(n) = a.value.as_ref()
                && a.targets.iter().any(|t| {
                    matches!(t, Expr::Tuple(t) if !t.elts.iter().any(|e| matches!(e, Expr::Starred(_))))
                })
            {
                self.names.insert(n.id.to_string());
            }
            self.depth += 1;
            walk_stmt(self, stmt);
            self.depth -= 1;
        }
    }
    let mut finder = Finder { names, depth: 0 };
    for stmt in body {
        finder.visit_stmt(stmt);
    }
}

/// Names of functions that read input.
pub const INPUT_READERS: &[&str] = &[
    "input",
    "raw_input",
    "readline",
    "ii",
    "li",
    "mi",
    "lmi",
    "ri",
    "rl",
    "inp",
    "I",
    "R",
    "intput",
];
/// Names of functions that write output.
pub const OUTPUT_WRITERS: &[&str] = &["print", "write", "stdout"];

/// Names a block concatenates onto themselves (`x = x + [v]`, `x = [v] + x`, `x += t`), in
/// nested blocks too, and never otherwise assigns: each pass makes them longer.
pub fn concatenated_names(body: &[Stmt]) -> Vec<String> {
    let mut grown = Vec::new();
    let mut reset = Vec::new();
    concatenations(body, &mut grown, &mut reset);
    grown.retain(|name| !reset.contains(name));
    grown
}

/// Whether an addition has `name` as its right operand (`[x] + a`) or as the first term of a
/// chain (`a + [x]`, `s + t + u`): its result is a new value holding all of `name`.
pub fn concatenates_onto(value: &ruff_python_ast::ExprBinOp, name: &str) -> bool {
    let is_name = |e: &Expr| matches!(e, Expr::Name(x) if x.id.as_str() == name);
    let mut first = value.left.as_ref();
    while let Expr::BinOp(b) = first
        && b.op == ruff_python_ast::Operator::Add
    {
        first = &b.left;
    }
    value.op == ruff_python_ast::Operator::Add && (is_name(&value.right) || is_name(first))
}

fn concatenations(body: &[Stmt], grown: &mut Vec<String>, reset: &mut Vec<String>) {
    for stmt in body {
        match stmt {
            Stmt::Assign(s) => match (s.targets.as_slice(), s.value.as_ref()) {
                ([Expr::Name(n)], Expr::BinOp(b)) if concatenates_onto(b, n.id.as_str()) => {
                    grown.push(n.id.to_string());
                }
                (targets, _) => targets
                    .iter()
                    .for_each(|t| crate::static_analysis::syntax::patterns::target_names(t, reset)),
            },
            Stmt::AugAssign(s) if s.op == ruff_python_ast::Operator::Add => {
                if let Expr::Name(n) = s.target.as_ref() {
                    grown.push(n.id.to_string());
                }
            }
            Stmt::For(s) => {
                crate::static_analysis::syntax::patterns::target_names(&s.target, reset);
                concatenations(&s.body, grown, reset);
            }
            Stmt::While(s) => concatenations(&s.body, grown, reset),
            Stmt::If(s) => {
                concatenations(&s.body, grown, reset);
                for c in &s.elif_else_clauses {
                    concatenations(&c.body, grown, reset);
                }
            }
            Stmt::With(s) => concatenations(&s.body, grown, reset),
            Stmt::Try(s) => concatenations(&s.body, grown, reset),
            Stmt::AnnAssign(s) => {
                crate::static_analysis::syntax::patterns::target_names(&s.target, reset)
            }
            _ => {}
        }
    }
}
