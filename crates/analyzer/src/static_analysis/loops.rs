//! Loops: how many times a `for` or `while` body runs, and early exits.

use std::collections::HashSet;

use ruff_python_ast::{BoolOp, CmpOp, Expr, Operator, Stmt, StmtFor, StmtWhile};

use super::exprs::size_words;
use super::values::{Kind, Val};
use super::walker::{Ctx, Flow, Walker};
use crate::cost::Cost;
use crate::error::Result;

impl<'a> Walker<'a> {
    /// How many times a loop over `source` runs. A row of an adjacency list walked inside
    /// another loop is amortised: all rows together hold the input once.
    pub fn iteration_count(&self, source: Val, ctx: Ctx) -> Cost {
        if source.kind == Kind::Adjacency && !source.nested && !ctx.mult.is_constant() {
            return Cost::ONE;
        }
        source.size
    }

    /// Binds a loop target to one element of `source`.
    pub fn bind_target(&mut self, target: &Expr, source: Val, ctx: Ctx) -> Result<()> {
        let element = source.element();
        match target {
            Expr::Tuple(t) if source.kind == Kind::Iter && source.nested => {
                // enumerate / zip / items: the parts are an index and elements.
                for elt in &t.elts {
                    self.assign(elt, Val::int(source.elem), target, ctx)?;
                }
                Ok(())
            }
            _ => self.assign(target, element, target, ctx).map(|_| ()),
        }
    }

    pub fn for_loop(&mut self, s: &'a StmtFor, ctx: Ctx) -> Result<Flow> {
        let (iter_flow, source) = self.expr(&s.iter, ctx)?;
        let mut count = self.iteration_count(source, ctx);
        let harmonic = self.steps_by_outer_variable(&s.iter);
        if harmonic {
            count = Cost::LOG;
        }
        // `for _ in range(int(input()))` around reading and printing: independent test cases;
        // the complexity is that of one case.
        let test_cases = self.counts_read_number(&s.iter)
            && super::scan::calls_any(&s.body, &self.readers)
            && super::scan::calls_any(&s.body, &self.writers);
        if test_cases {
            count = Cost::ONE;
        }
        // A loop whose variable is a shift amount or an exponent walks the bits or digits of
        // a number: log n steps however large its literal bound.
        if let Expr::Name(target) = s.target.as_ref()
            && (!count.is_constant() || matches!(s.iter.as_ref(), Expr::Call(_)))
            && uses_as_exponent(&s.body, target.id.as_str())
        {
            count = Cost::LOG;
        }
        let exits = exits_at_once(&s.body);
        if exits {
            count = Cost::ONE;
        }
        self.bind_target(&s.target, source, ctx)?;
        let line = self.line_of(s);
        let body = self.loop_body(&s.body, ctx, count)?;
        let else_flow = self.block(&s.orelse, ctx)?;
        let total = count.times(body.time).plus(body.once);
        let reason = if test_cases {
            "loop over independent test cases".to_owned()
        } else if harmonic {
            "loop steps by an outer loop variable: n/1 + n/2 + … adds up to n log n".to_owned()
        } else {
            format!("loop runs {} times", size_words(count))
        };
        self.contribute(line, ctx.mult.times(total), ctx.inside(count), reason);
        Ok(iter_flow
            .then(Flow {
                time: total,
                calls: body.calls,
                once: Cost::ONE,
            })
            .then(else_flow))
    }

    pub fn while_loop(&mut self, s: &'a StmtWhile, ctx: Ctx) -> Result<Flow> {
        let (test_flow, _) = self.expr(&s.test, ctx)?;
        let (mut count, why) = self.while_count(s, ctx);
        if exits_at_once(&s.body) {
            count = Cost::ONE;
        }
        let line = self.line_of(s);
        let body = self.loop_body(&s.body, ctx, count)?;
        let total = count.times(body.time.plus(test_flow.time)).plus(body.once);
        self.contribute(
            line,
            ctx.mult.times(total),
            ctx.inside(count),
            format!("while loop runs {} times ({why})", size_words(count)),
        );
        Ok(Flow {
            time: total,
            calls: body.calls,
            once: Cost::ONE,
        }
        .then(self.block(&s.orelse, ctx)?))
    }

    fn loop_body(&mut self, body: &'a [Stmt], ctx: Ctx, count: Cost) -> Result<Flow> {
        let mut assigned = Vec::new();
        collect_assigned(body, &mut assigned, false);
        self.frame().loop_assigned.push(assigned);
        let flow = self.block(body, ctx.inside(count));
        self.frame().loop_assigned.pop();
        flow
    }

    /// `range(t)` where `t` was read with `int(input())`, or `range(int(input()))`.
    fn counts_read_number(&self, iter: &Expr) -> bool {
        let Expr::Call(call) = iter else { return false };
        let is_range = matches!(call.func.as_ref(), Expr::Name(n) if n.id.as_str() == "range");
        if !is_range || call.arguments.args.len() != 1 {
            return false;
        }
        match &call.arguments.args[0] {
            Expr::Name(n) => self
                .lookup(n.id.as_str())
                .is_some_and(|v| v.read && v.kind == Kind::Int),
            Expr::Call(c) => {
                matches!(c.func.as_ref(), Expr::Name(n) if n.id.as_str() == "int")
                    && super::scan::calls_any_expr(&c.arguments.args, &self.readers)
            }
            _ => false,
        }
    }

    /// `range(i, n, i)` where `i` is an enclosing loop's variable: harmonic, log n per outer step.
    fn steps_by_outer_variable(&self, iter: &Expr) -> bool {
        let Expr::Call(call) = iter else { return false };
        let is_range = matches!(call.func.as_ref(), Expr::Name(n) if n.id.as_str() == "range");
        if !is_range || call.arguments.args.len() != 3 {
            return false;
        }
        let mut names = HashSet::new();
        collect_names(&call.arguments.args[2], &mut names);
        !names.is_empty()
            && names.iter().all(|n| {
                self.lookup(n)
                    .is_some_and(|v| v.kind == Kind::Int && !v.size.is_constant())
            })
    }

    /// The largest size a condition's names or literals mention; for `a and b` the loop stops
    /// when either side fails, so the smaller bound wins.
    fn condition_bound(&self, test: &Expr) -> Cost {
        if let Expr::BoolOp(b) = test
            && b.op == BoolOp::And
        {
            return b
                .values
                .iter()
                .map(|v| self.condition_bound(v))
                .min()
                .unwrap_or(Cost::ONE);
        }
        let mut names = HashSet::new();
        collect_names(test, &mut names);
        names
            .iter()
            .filter_map(|n| self.lookup(n))
            .map(|v| v.size)
            .max()
            .unwrap_or(Cost::N)
    }

    fn while_count(&mut self, s: &StmtWhile, ctx: Ctx) -> (Cost, &'static str) {
        let mut tested = HashSet::new();
        collect_names(&s.test, &mut tested);
        let mut updates = Vec::new();
        collect_updates(&s.body, &mut updates);
        // Nested in another loop, a while that pops from a worklist it tests, or that marks
        // the entries it tests as visited, does at most n steps over all outer iterations
        // (monotonic stacks, draining queues, walking cycles of a permutation).
        if !ctx.mult.is_constant()
            && (super::scan::pops_from(&s.body, &tested) || marks_tested(&s.body, &s.test))
        {
            return (
                Cost::ONE,
                "each element is removed or marked once: amortised",
            );
        }
        let shrinks_geometrically = updates.iter().any(|(name, kind)| {
            matches!(kind, Update::Geometric) && (tested.contains(name) || is_truthy_loop(&s.test))
        });
        if shrinks_geometrically {
            return (
                Cost::LOG,
                "the loop variable is halved or doubled each time",
            );
        }
        if bisects(&s.body, &tested)
            || (is_truthy_loop(&s.test) && bisects(&s.body, &all_assigned(&s.body)))
        {
            return (Cost::LOG, "binary search halves the range each time");
        }
        // Something in the body doubles each time and the test compares: the loop ends after
        // log(bound) steps (`p *= 2` while `k >= p - 1`).
        let grows = updates
            .iter()
            .any(|(name, k)| matches!(k, Update::Geometric) && !tested.contains(name));
        let compares = matches!(s.test.as_ref(), Expr::Compare(_) | Expr::BoolOp(_));
        if raises_to_variable(&s.test) || (grows && (compares || tested.is_empty())) {
            return (
                Cost::LOG,
                "the bound grows exponentially with the loop variable",
            );
        }
        if compares_square(&s.test) {
            return (Cost::SQRT, "the loop stops when i*i passes the bound");
        }
        let stepped: Vec<&String> = updates
            .iter()
            .filter(|(name, kind)| matches!(kind, Update::Step) && tested.contains(name))
            .map(|(name, _)| name)
            .collect();
        // Two pointers: an inner while whose counter the enclosing loop never resets moves
        // at most n times in total, so it adds amortised constant work per outer step.
        if !stepped.is_empty() && !ctx.mult.is_constant() {
            let frame = self.frames.last().expect("frame");
            let reset = stepped.iter().any(|name| {
                frame
                    .loop_assigned
                    .last()
                    .is_some_and(|names| names.contains(name))
            });
            if !reset {
                return (Cost::ONE, "a pointer that only moves forward: amortised");
            }
        }
        let bound = self.condition_bound(&s.test);
        if !stepped.is_empty() {
            return (
                bound.max(Cost::N),
                "the loop variable moves by a constant step",
            );
        }
        if tested
            .iter()
            .filter_map(|n| self.lookup(n))
            .any(|v| v.kind.is_collection())
        {
            return (Cost::N, "each element of the worklist is processed");
        }
        self.frame().uncertain += 1;
        (bound.max(Cost::N), "assumed to run once per input element")
    }
}

#[derive(Debug, Clone, Copy)]
enum Update {
    Geometric,
    Step,
    Other,
}

/// `while True:` / `while 1:` rely on updates in the body.
fn is_truthy_loop(test: &Expr) -> bool {
    matches!(test, Expr::BooleanLiteral(b) if b.value) || matches!(test, Expr::NumberLiteral(_))
}

fn exits_at_once(body: &[Stmt]) -> bool {
    matches!(
        body.last(),
        Some(Stmt::Break(_) | Stmt::Return(_) | Stmt::Raise(_))
    ) && !continues(body)
}

/// Whether a `continue` of this loop (not of a nested one) appears in the block.
fn continues(body: &[Stmt]) -> bool {
    body.iter().any(|s| match s {
        Stmt::Continue(_) => true,
        Stmt::If(i) => continues(&i.body) || i.elif_else_clauses.iter().any(|c| continues(&c.body)),
        Stmt::Try(t) => continues(&t.body),
        Stmt::With(w) => continues(&w.body),
        _ => false,
    })
}

pub fn collect_names(e: &Expr, out: &mut HashSet<String>) {
    match e {
        Expr::Name(n) => {
            out.insert(n.id.to_string());
        }
        Expr::BinOp(b) => {
            collect_names(&b.left, out);
            collect_names(&b.right, out);
        }
        Expr::UnaryOp(u) => collect_names(&u.operand, out),
        Expr::BoolOp(b) => b.values.iter().for_each(|v| collect_names(v, out)),
        Expr::Compare(c) => {
            collect_names(&c.left, out);
            c.comparators.iter().for_each(|v| collect_names(v, out));
        }
        Expr::Call(c) => c.arguments.args.iter().for_each(|v| collect_names(v, out)),
        Expr::Subscript(s) => {
            collect_names(&s.value, out);
            collect_names(&s.slice, out);
        }
        Expr::Attribute(a) => collect_names(&a.value, out),
        _ => {}
    }
}

/// Names assigned in a block, optionally descending into nested loops.
pub fn collect_assigned(body: &[Stmt], out: &mut Vec<String>, into_loops: bool) {
    for stmt in body {
        match stmt {
            Stmt::Assign(s) => s.targets.iter().for_each(|t| target_names(t, out)),
            Stmt::AnnAssign(s) => target_names(&s.target, out),
            Stmt::If(s) => {
                collect_assigned(&s.body, out, into_loops);
                for c in &s.elif_else_clauses {
                    collect_assigned(&c.body, out, into_loops);
                }
            }
            Stmt::For(s) => {
                target_names(&s.target, out);
                if into_loops {
                    collect_assigned(&s.body, out, into_loops);
                }
            }
            Stmt::While(s) if into_loops => collect_assigned(&s.body, out, into_loops),
            Stmt::With(s) => collect_assigned(&s.body, out, into_loops),
            Stmt::Try(s) => collect_assigned(&s.body, out, into_loops),
            _ => {}
        }
    }
}

fn target_names(e: &Expr, out: &mut Vec<String>) {
    match e {
        Expr::Name(n) => out.push(n.id.to_string()),
        Expr::Tuple(t) => t.elts.iter().for_each(|x| target_names(x, out)),
        Expr::List(t) => t.elts.iter().for_each(|x| target_names(x, out)),
        _ => {}
    }
}

fn collect_updates(body: &[Stmt], out: &mut Vec<(String, Update)>) {
    for stmt in body {
        match stmt {
            Stmt::AugAssign(s) => {
                if let Expr::Name(n) = s.target.as_ref() {
                    out.push((n.id.to_string(), classify_aug(s.op, &s.value)));
                }
            }
            Stmt::Assign(s) => {
                for target in &s.targets {
                    match (target, s.value.as_ref()) {
                        (Expr::Name(n), value) => {
                            out.push((n.id.to_string(), classify_assign(n.id.as_str(), value)));
                        }
                        (Expr::Tuple(t), Expr::Tuple(v)) if t.elts.len() == v.elts.len() => {
                            for (te, ve) in t.elts.iter().zip(v.elts.iter()) {
                                if let Expr::Name(n) = te {
                                    let kind = match ve {
                                        Expr::BinOp(b) if b.op == Operator::Mod => {
                                            Update::Geometric
                                        }
                                        _ => classify_assign(n.id.as_str(), ve),
                                    };
                                    out.push((n.id.to_string(), kind));
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            Stmt::If(s) => {
                collect_updates(&s.body, out);
                for c in &s.elif_else_clauses {
                    collect_updates(&c.body, out);
                }
            }
            Stmt::Try(s) => collect_updates(&s.body, out),
            Stmt::With(s) => collect_updates(&s.body, out),
            _ => {}
        }
    }
}

fn is_constant_expr(e: &Expr) -> bool {
    match e {
        Expr::NumberLiteral(_) => true,
        Expr::UnaryOp(u) => is_constant_expr(&u.operand),
        _ => false,
    }
}

fn classify_aug(op: Operator, value: &Expr) -> Update {
    match op {
        // `b %= a` (Euclid) shrinks at least geometrically too.
        Operator::FloorDiv
        | Operator::Div
        | Operator::RShift
        | Operator::LShift
        | Operator::Mod => Update::Geometric,
        Operator::Mult | Operator::Pow if is_constant_expr(value) => Update::Geometric,
        Operator::Mult | Operator::Pow => Update::Geometric,
        Operator::Add | Operator::Sub if grows_exponentially(value) || lowest_bit(value) => {
            Update::Geometric
        }
        Operator::Add | Operator::Sub => Update::Step,
        _ => Update::Other,
    }
}

/// `i & -i`: a Fenwick tree step, one bit per iteration.
fn lowest_bit(e: &Expr) -> bool {
    matches!(e, Expr::BinOp(b) if b.op == Operator::BitAnd)
}

/// `10**i`, `pow(10, i)`, `1 << i` with a variable exponent.
fn grows_exponentially(e: &Expr) -> bool {
    match e {
        Expr::BinOp(b) => {
            (matches!(b.op, Operator::Pow | Operator::LShift) && !is_constant_expr(&b.right))
                || grows_exponentially(&b.left)
                || grows_exponentially(&b.right)
        }
        Expr::Call(c) => {
            matches!(c.func.as_ref(), Expr::Name(n) if n.id.as_str() == "pow")
                && c.arguments.args.len() == 2
                && !is_constant_expr(&c.arguments.args[1])
        }
        Expr::UnaryOp(u) => grows_exponentially(&u.operand),
        _ => false,
    }
}

fn raises_to_variable(test: &Expr) -> bool {
    match test {
        Expr::Compare(c) => {
            grows_exponentially(&c.left) || c.comparators.iter().any(grows_exponentially)
        }
        Expr::BoolOp(b) => b.values.iter().any(raises_to_variable),
        _ => false,
    }
}

/// Whether `name` appears as a shift amount or exponent somewhere in the block.
fn uses_as_exponent(body: &[Stmt], name: &str) -> bool {
    use ruff_python_ast::visitor::{Visitor, walk_expr};
    struct Finder<'n> {
        name: &'n str,
        found: bool,
        depth: usize,
    }
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if self.found || self.depth > 100 {
                return;
            }
            if let Expr::BinOp(b) = expr
                && matches!(b.op, Operator::Pow | Operator::LShift | Operator::RShift)
            {
                let mut names = HashSet::new();
                collect_names(&b.right, &mut names);
                if names.contains(self.name) {
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
        name,
        found: false,
        depth: 0,
    };
    for stmt in body {
        ruff_python_ast::visitor::walk_stmt(&mut finder, stmt);
    }
    finder.found
}

fn classify_assign(name: &str, value: &Expr) -> Update {
    if let Expr::Subscript(s) = value {
        let mut names = HashSet::new();
        collect_names(&s.slice, &mut names);
        if names.contains(name) {
            // `x = nxt[x]`: pointer chasing, one element per step.
            return Update::Step;
        }
    }
    let Expr::BinOp(b) = value else {
        return Update::Other;
    };
    let mentions_self = |e: &Expr| {
        let mut names = HashSet::new();
        collect_names(e, &mut names);
        names.contains(name)
    };
    if !mentions_self(&b.left) && !mentions_self(&b.right) {
        return Update::Other;
    }
    match b.op {
        Operator::FloorDiv | Operator::Div | Operator::RShift | Operator::LShift => {
            Update::Geometric
        }
        Operator::Mult | Operator::Pow => Update::Geometric,
        Operator::Add | Operator::Sub if grows_exponentially(value) => Update::Geometric,
        Operator::Add | Operator::Sub => match (b.left.as_ref(), b.right.as_ref()) {
            (Expr::BinOp(inner), _) if inner.op == Operator::Mult && mentions_self(&inner.left) => {
                Update::Geometric
            }
            _ => Update::Step,
        },
        Operator::Mod => Update::Geometric,
        _ => Update::Other,
    }
}

fn all_assigned(body: &[Stmt]) -> HashSet<String> {
    let mut names = Vec::new();
    collect_assigned(body, &mut names, false);
    names.into_iter().collect()
}

/// The test reads `seen[x]` and the body assigns `seen[…]`.
fn marks_tested(body: &[Stmt], test: &Expr) -> bool {
    let mut tables = HashSet::new();
    subscripted_names(test, &mut tables);
    !tables.is_empty()
        && body.iter().any(|stmt| match stmt {
            Stmt::Assign(a) => a.targets.iter().any(|t| {
                matches!(t, Expr::Subscript(s) if matches!(s.value.as_ref(), Expr::Name(n) if tables.contains(n.id.as_str())))
            }),
            _ => false,
        })
}

fn subscripted_names(e: &Expr, out: &mut HashSet<String>) {
    match e {
        Expr::Subscript(s) => {
            if let Expr::Name(n) = s.value.as_ref() {
                out.insert(n.id.to_string());
            }
        }
        Expr::Compare(c) => {
            subscripted_names(&c.left, out);
            c.comparators.iter().for_each(|x| subscripted_names(x, out));
        }
        Expr::UnaryOp(u) => subscripted_names(&u.operand, out),
        Expr::BoolOp(b) => b.values.iter().for_each(|x| subscripted_names(x, out)),
        _ => {}
    }
}

/// `mid = (lo + hi) // 2` in the body, with `lo`/`hi` in the test.
fn bisects(body: &[Stmt], tested: &HashSet<String>) -> bool {
    body.iter().any(|stmt| match stmt {
        Stmt::Assign(s) => match s.value.as_ref() {
            Expr::BinOp(b)
                if matches!(b.op, Operator::FloorDiv | Operator::RShift | Operator::Div) =>
            {
                let mut names = HashSet::new();
                collect_names(&b.left, &mut names);
                names.len() >= 2 && names.iter().filter(|n| tested.contains(*n)).count() >= 1
            }
            _ => false,
        },
        Stmt::If(s) => {
            bisects(&s.body, tested) || s.elif_else_clauses.iter().any(|c| bisects(&c.body, tested))
        }
        _ => false,
    })
}

/// `i * i <= n`, `i ** 2 < n`, and the same inside `and`/`or`.
fn compares_square(test: &Expr) -> bool {
    match test {
        Expr::Compare(c) => {
            let square = |e: &Expr| match e {
                Expr::BinOp(b) if b.op == Operator::Mult => {
                    matches!((b.left.as_ref(), b.right.as_ref()), (Expr::Name(l), Expr::Name(r)) if l.id == r.id)
                }
                Expr::BinOp(b) if b.op == Operator::Pow => {
                    matches!(b.right.as_ref(), Expr::NumberLiteral(_))
                }
                _ => false,
            };
            c.ops
                .iter()
                .all(|op| matches!(op, CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE))
                && (square(&c.left) || c.comparators.iter().any(square))
        }
        Expr::BoolOp(b) if b.op == BoolOp::And => b.values.iter().any(compares_square),
        _ => false,
    }
}
