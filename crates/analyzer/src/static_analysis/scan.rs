//! Small syntactic scans over a block (which functions it calls), used by loop rules.

use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
use ruff_python_ast::{Expr, Stmt};

/// Scans deeper than this are cut short (the walk itself already bounds nesting).
const MAX_SCAN_DEPTH: usize = 200;

struct CallFinder<'n> {
    names: &'n [&'n str],
    found: bool,
    depth: usize,
}

impl<'a> Visitor<'a> for CallFinder<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.found || self.depth > MAX_SCAN_DEPTH || matches!(stmt, Stmt::FunctionDef(_)) {
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
        if let Expr::Call(c) = expr {
            let name = match c.func.as_ref() {
                Expr::Name(n) => Some(n.id.as_str()),
                Expr::Attribute(a) => Some(a.attr.as_str()),
                _ => None,
            };
            if name.is_some_and(|n| self.names.contains(&n)) {
                self.found = true;
                return;
            }
        }
        self.depth += 1;
        walk_expr(self, expr);
        self.depth -= 1;
    }
}

/// Whether the block calls a function or method with one of these names.
pub fn calls_any(body: &[Stmt], names: &[&str]) -> bool {
    let mut finder = CallFinder {
        names,
        found: false,
        depth: 0,
    };
    for stmt in body {
        finder.visit_stmt(stmt);
    }
    finder.found
}

/// Whether any of these expressions calls a function or method with one of these names.
pub fn calls_any_expr(exprs: &[Expr], names: &[&str]) -> bool {
    let mut finder = CallFinder {
        names,
        found: false,
        depth: 0,
    };
    for e in exprs {
        finder.visit_expr(e);
    }
    finder.found
}

/// Whether the block appends something other than what it reads (`ans.append(best)`, not
/// `rows.append(input())`): a per-case answer rather than a record of the input.
pub fn appends_answer(body: &[Stmt], readers: &[&str]) -> bool {
    struct Finder<'n> {
        readers: &'n [&'n str],
        found: bool,
        depth: usize,
    }
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if self.found || self.depth > MAX_SCAN_DEPTH || matches!(stmt, Stmt::FunctionDef(_)) {
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
            if let Expr::Call(c) = expr
                && matches!(c.func.as_ref(), Expr::Attribute(a) if a.attr.as_str() == "append")
                && !calls_any_expr(&c.arguments.args, self.readers)
            {
                self.found = true;
                return;
            }
            self.depth += 1;
            walk_expr(self, expr);
            self.depth -= 1;
        }
    }
    let mut finder = Finder {
        readers,
        found: false,
        depth: 0,
    };
    for stmt in body {
        finder.visit_stmt(stmt);
    }
    finder.found
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
            if let Expr::Call(c) = expr {
                let receiver = match c.func.as_ref() {
                    Expr::Attribute(a) if super::builtins::GROWS.contains(&a.attr.as_str()) => {
                        Some(a.value.as_ref())
                    }
                    Expr::Name(f) if f.id.as_str() == "heappush" => c.arguments.args.first(),
                    Expr::Attribute(a) if a.attr.as_str() == "heappush" => c.arguments.args.first(),
                    _ => None,
                };
                if let Some(Expr::Name(n)) = receiver
                    && !self.names.iter().any(|x| x == n.id.as_str())
                {
                    self.names.push(n.id.to_string());
                }
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
    struct Finder<'n> {
        names: &'n std::collections::HashSet<String>,
        found: bool,
        depth: usize,
    }
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if self.found || self.depth > MAX_SCAN_DEPTH || matches!(stmt, Stmt::FunctionDef(_)) {
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
            if let Expr::Call(c) = expr {
                let popped = match c.func.as_ref() {
                    Expr::Attribute(a)
                        if matches!(a.attr.as_str(), "pop" | "popleft" | "remove" | "popitem") =>
                    {
                        matches!(a.value.as_ref(), Expr::Name(n) if self.names.contains(n.id.as_str()))
                    }
                    Expr::Name(f) if f.id.as_str() == "heappop" => {
                        c.arguments.args.first().is_some_and(
                            |a| matches!(a, Expr::Name(n) if self.names.contains(n.id.as_str())),
                        )
                    }
                    Expr::Attribute(a) if a.attr.as_str() == "heappop" => {
                        c.arguments.args.first().is_some_and(
                            |a| matches!(a, Expr::Name(n) if self.names.contains(n.id.as_str())),
                        )
                    }
                    _ => false,
                };
                if popped {
                    self.found = true;
                    return;
                }
            }
            self.depth += 1;
            walk_expr(self, expr);
            self.depth -= 1;
        }
    }
    let mut finder = Finder {
        names,
        found: false,
        depth: 0,
    };
    for stmt in body {
        finder.visit_stmt(stmt);
    }
    finder.found
}

/// Names indexed with a literal position of 2 or more (`a[2]`, `a[3]`): a list read from the
/// input and used like this is a fixed-size record, not an input-sized sequence.
pub fn record_names(body: &[Stmt]) -> std::collections::HashSet<String> {
    struct Finder {
        names: std::collections::HashSet<String>,
        depth: usize,
    }
    impl<'a> Visitor<'a> for Finder {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if self.depth > MAX_SCAN_DEPTH {
                return;
            }
            self.depth += 1;
            walk_stmt(self, stmt);
            self.depth -= 1;
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if self.depth > MAX_SCAN_DEPTH {
                return;
            }
            if let Expr::Subscript(s) = expr
                && let (Expr::Name(n), Expr::NumberLiteral(i)) =
                    (s.value.as_ref(), s.slice.as_ref())
                && i.value
                    .as_int()
                    .and_then(|v| v.as_u64())
                    .is_some_and(|v| v >= 2)
            {
                self.names.insert(n.id.to_string());
            }
            self.depth += 1;
            walk_expr(self, expr);
            self.depth -= 1;
        }
    }
    let mut finder = Finder {
        names: Default::default(),
        depth: 0,
    };
    for stmt in body {
        finder.visit_stmt(stmt);
    }
    finder.names
}

/// Names of functions that read input.
pub const INPUT_READERS: &[&str] = &[
    "input", "readline", "ii", "li", "mi", "lmi", "ri", "rl", "inp", "I", "R", "intput",
];
/// Names of functions that write output.
pub const OUTPUT_WRITERS: &[&str] = &["print", "write", "stdout"];
