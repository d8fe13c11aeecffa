//! Loops: how many times a `for` or `while` body runs, and early exits.

use std::collections::HashSet;

use ruff_python_ast::comparable::ComparableExpr;
use ruff_python_ast::{BoolOp, CmpOp, Expr, Operator, Stmt, StmtFor, StmtWhile};

use super::exprs::{is_small_constant, size_words};
use super::patterns::{
    Update, all_assigned, bisects, collect_assigned, collect_names, collect_updates,
    compares_square, exits_at_once, exits_on_geometric_growth, grows_exponentially, is_truthy_loop,
    marks_tested, raises_to_variable, uses_as_bitmask, uses_as_exponent,
};
use super::tables::{chased_table, redirects_links, root_test};
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

    /// `for i, x in enumerate(a)`: `i` is an index, `x` an element of `a`, like `a[i]` (not a
    /// number as large as `a` is long).
    pub fn bind_enumerated(
        &mut self,
        target: &Expr,
        iter: &Expr,
        source: Val,
        ctx: Ctx,
    ) -> Result<()> {
        let element = match (target, iter) {
            (Expr::Tuple(t), Expr::Call(c))
                if t.elts.len() == 2
                    && super::scan::callee(iter) == Some("enumerate")
                    && c.arguments.args.len() == 1 =>
            {
                match &c.arguments.args[0] {
                    Expr::Name(n) => self.lookup(n.id.as_str()).map(Val::element),
                    _ => None,
                }
            }
            _ => None,
        };
        match (target, element) {
            (Expr::Tuple(t), Some(element)) => {
                self.assign(&t.elts[0], Val::int(source.size), target, ctx)?;
                self.assign(&t.elts[1], element, target, ctx).map(|_| ())
            }
            _ => self.bind_target(target, source, ctx),
        }
    }

    pub fn for_loop(&mut self, s: &'a StmtFor, ctx: Ctx) -> Result<Flow> {
        let (iter_flow, source) = self.expr(&s.iter, ctx)?;
        let mut count = self.iteration_count(source, ctx);
        let adjacency_row = count.is_constant() && !source.size.is_constant();
        let harmonic = !count.is_constant() && self.steps_by_outer_variable(&s.iter);
        let mut amortised = false;
        if harmonic {
            count = Cost::LOG;
        }
        // `for _ in range(int(input()))` around reading and printing: independent test cases;
        // the complexity is that of one case.
        let test_cases = self.counts_read_number(&s.iter)
            && super::scan::calls_any(&s.body, &self.readers)
            && (super::scan::calls_any_staying(&s.body, &self.writers)
                || super::scan::appends_answer(&s.body, &self.readers) && has_nested_work(&s.body));
        if test_cases {
            count = Cost::ONE;
        }
        // A loop whose variable is a shift amount or an exponent walks the bits or digits of
        // a number: log n steps however large its literal bound. Up to an input-sized bound it
        // does so only when it can leave early (once the power passes a limit); otherwise it
        // runs to the bound.
        if let Expr::Name(target) = s.target.as_ref()
            && (count.is_constant() && matches!(s.iter.as_ref(), Expr::Call(_))
                || !count.is_constant() && leaves_early(&s.body))
            && uses_as_exponent(&s.body, target.id.as_str())
        {
            count = Cost::LOG;
        }
        // Nested in another loop, a loop that steps a pointer every iteration and breaks when
        // the pointer reaches its bound runs at most that bound times over all outer iterations,
        // unless the outer loop resets the pointer.
        if !ctx.mult.is_constant() && !count.is_constant() && self.breaks_on_kept_pointer(&s.body) {
            count = Cost::ONE;
            amortised = true;
        }
        // `for _ in range(len(q)): u = q.popleft()` in a loop: each pass takes one item off
        // the worklist, so over all outer passes it runs once per item ever added (the levels
        // of a breadth-first search).
        let level = !ctx.mult.is_constant()
            && super::patterns::snapshot_of(&s.iter).is_some_and(|q| pops_every_pass(&s.body, q));
        if level {
            count = Cost::ONE;
        }
        // Over a container the enclosing loop fills only with elements it marks, each
        // element is walked once over all the enclosing loop's passes.
        let marked_once = !ctx.mult.is_constant() && self.walks_filled_once(&s.iter);
        if marked_once {
            count = Cost::ONE;
        }
        let exits = exits_at_once(&s.body);
        if exits {
            count = Cost::ONE;
        }
        self.bind_enumerated(&s.target, &s.iter, source, ctx)?;
        let line = self.line_of(s);
        let mut counters = Vec::new();
        super::patterns::target_names(&s.target, &mut counters);
        let body = self.loop_body(&s.body, ctx, count, counters)?;
        let else_flow = self.block(&s.orelse, ctx)?;
        let total = count.times(body.time).plus(body.once);
        let reason = if test_cases {
            "loop over independent test cases".to_owned()
        } else if marked_once {
            "each element joins the container once over the enclosing loop: amortised".to_owned()
        } else if level {
            "each pass takes an item off the worklist: once per item over the enclosing loop"
                .to_owned()
        } else if amortised {
            "a pointer the enclosing loop never resets ends the loop: amortised".to_owned()
        } else if harmonic {
            "loop steps by an outer loop variable: n/1 + n/2 + … adds up to n log n".to_owned()
        } else if adjacency_row && !exits {
            "loop over one node's neighbours: each edge is walked once over the whole traversal"
                .to_owned()
        } else {
            format!("loop runs {}", times_words(count))
        };
        self.contribute(line, ctx.mult.times(total), ctx.inside(count), reason);
        // `for c in 'ab': go(s + c)` makes one call per element of the literal.
        let calls = body.calls.saturating_mul(
            super::patterns::literal_len(&s.iter)
                .and_then(|k| u32::try_from(k).ok())
                .unwrap_or(1),
        );
        let mut flow = iter_flow
            .then(Flow {
                time: total,
                calls,
                ..body.repeated(count)
            })
            .then(else_flow);
        // `for i in range(len(res)): res.append(res[i] + [x])` inside a loop over the items:
        // each outer pass doubles `res`; one that also takes an item off `res` per pass
        // (a level of a breadth-first search) replaces the items rather than doubling them.
        if let Some(name) = super::patterns::snapshot_of(&s.iter)
            && !ctx.mult.is_constant()
            && super::scan::grown_names(&s.body).iter().any(|g| g == name)
            && !super::scan::pops_from(&s.body, &HashSet::from([name.to_owned()]))
        {
            flow = flow.then(self.doubles(name, line, ctx));
        }
        Ok(flow)
    }

    pub fn while_loop(&mut self, s: &'a StmtWhile, ctx: Ctx) -> Result<Flow> {
        let (test_flow, _) = self.expr(&s.test, ctx)?;
        // In a method, a loop that removes an element of a container the instance keeps
        // between calls runs at most as often, over all calls, as elements were added: it is
        // amortised against the additions (and the container's initial contents, shared).
        let drains = self.drains_instance(&s.body);
        let (mut count, why) = if drains {
            (
                Cost::ONE,
                "each element of the instance's container is removed once over all calls",
            )
        } else if self.counts_down_cases(s) {
            (Cost::ONE, "a loop over independent test cases")
        } else {
            self.while_count(s, ctx)
        };
        if exits_at_once(&s.body) {
            count = Cost::ONE;
        }
        let line = self.line_of(s);
        let mut updates = Vec::new();
        super::patterns::collect_updates(&s.body, &mut updates);
        let counters = updates
            .into_iter()
            .filter(|(_, u)| matches!(u, super::patterns::Update::Step))
            .map(|(name, _)| name)
            .collect();
        let body = self.loop_body(&s.body, ctx, count, counters)?;
        self.grow_to_bound(s);
        let total = count.times(body.time.plus(test_flow.time)).plus(body.once);
        self.contribute(
            line,
            ctx.mult.times(total),
            ctx.inside(count),
            format!("while loop runs {} ({why})", times_words(count)),
        );
        let drained = if drains {
            Cost::N.times(body.time.plus(test_flow.time))
        } else {
            Cost::ONE
        };
        Ok(Flow {
            time: total,
            shared: body.shared.plus(test_flow.shared).plus(drained),
            ..body.repeated(count)
        }
        .then(self.block(&s.orelse, ctx)?))
    }

    /// `while size < n: size *= 2` leaves `size` as large as the bound it passed: a table
    /// sized by it afterwards (`[0] * (2 * size)`) is input-sized.
    fn grow_to_bound(&mut self, s: &StmtWhile) {
        let mut tested = HashSet::new();
        collect_names(&s.test, &mut tested);
        let mut updates = Vec::new();
        collect_updates(&s.body, &mut updates);
        let bound = self.condition_bound(&s.test);
        for (name, update) in updates {
            if matches!(update, Update::Geometric)
                && tested.contains(&name)
                && let Some(v) = self.lookup(&name)
                && v.kind == Kind::Int
                && v.size < bound
            {
                self.set_value(&name, Val::int(bound));
            }
        }
    }

    fn loop_body(
        &mut self,
        body: &'a [Stmt],
        ctx: Ctx,
        count: Cost,
        counters: Vec<String>,
    ) -> Result<Flow> {
        let mut assigned = Vec::new();
        collect_assigned(body, &mut assigned, false);
        // A container that grows in the loop holds its final size in the later iterations:
        // work over it in the body is charged at that size, not at its size on entry.
        let grown: Vec<String> = super::scan::grown_names(body)
            .into_iter()
            .filter(|name| !assigned.contains(name))
            .collect();
        // A collection concatenated onto itself (`a = a + [x]`) is grown, not recreated.
        let concatenated = super::scan::concatenated_names(body);
        assigned.retain(|name| {
            !concatenated.contains(name)
                || !self.lookup(name).is_some_and(|v| v.kind.is_collection())
        });
        // `j = i; while …: j += 1; i = j`: the loop restarts `j` where it stopped, so it is
        // kept, not reset (grouping runs). A `for` target `i` is rebound each pass instead.
        let caught_up = catches_up(body, &counters);
        assigned.retain(|name| !caught_up.contains(name));
        self.frame().loop_assigned.push(assigned);
        self.frame().loop_counters.push(counters);
        self.frame().loop_counts.push(count);
        let depth = self.frame().loop_counts.len();
        let once = super::marks::filled_once(body);
        let before = self.frame().filled_once.len();
        self.frame()
            .filled_once
            .extend(once.into_iter().map(|name| (name, depth)));
        let inner = ctx.inside(count);
        for name in grown {
            if let Some(old) = self.lookup(&name)
                && old.kind.is_collection()
            {
                let size = old.size.plus(self.growth(&name, inner));
                self.frame().env.set(&name, Val { size, ..old });
            }
        }
        let flow = self.block(body, inner);
        self.frame().filled_once.truncate(before);
        self.frame().loop_counters.pop();
        self.frame().loop_assigned.pop();
        self.frame().loop_counts.pop();
        flow
    }

    /// `for v in layer` directly in the body of the loop that fills `layer` under marks.
    fn walks_filled_once(&self, iter: &Expr) -> bool {
        let Expr::Name(n) = iter else { return false };
        let frame = self.frames.last().expect("frame");
        let depth = frame.loop_counts.len();
        frame
            .filled_once
            .iter()
            .any(|(name, d)| name == n.id.as_str() && *d == depth)
    }

    /// The body steps a variable by a constant at its top level and leaves the loop on a test
    /// of that variable (`if j >= len(b): break … j += 1`), and the enclosing loop's body does
    /// not assign the variable.
    fn breaks_on_kept_pointer(&self, body: &[Stmt]) -> bool {
        let stepped: Vec<&str> = body
            .iter()
            .filter_map(|stmt| match stmt {
                Stmt::AugAssign(a)
                    if matches!(a.op, Operator::Add | Operator::Sub)
                        && is_small_constant(&a.value) =>
                {
                    match a.target.as_ref() {
                        Expr::Name(n) => Some(n.id.as_str()),
                        _ => None,
                    }
                }
                _ => None,
            })
            .collect();
        let frame = self.frames.last().expect("frame");
        let kept = |name: &str| {
            !frame
                .loop_assigned
                .last()
                .is_some_and(|names| names.iter().any(|n| n == name))
        };
        body.iter().any(|stmt| match stmt {
            Stmt::If(i) if matches!(i.body.last(), Some(Stmt::Break(_))) => {
                let mut tested = HashSet::new();
                collect_names(&i.test, &mut tested);
                stepped
                    .iter()
                    .any(|name| tested.contains(*name) && kept(name))
            }
            _ => false,
        })
    }

    /// `while t: t -= 1` (or `while t > 0`) where `t` was read with `int(input())`, around a
    /// body that reads and answers: the same independent test cases as `for _ in range(t)`.
    fn counts_down_cases(&self, s: &StmtWhile) -> bool {
        let counter = match s.test.as_ref() {
            Expr::Name(n) => Some(n),
            Expr::Compare(c) if c.ops.len() == 1 && is_small_constant(&c.comparators[0]) => {
                match c.left.as_ref() {
                    Expr::Name(n) => Some(n),
                    _ => None,
                }
            }
            _ => None,
        };
        let Some(counter) = counter else { return false };
        let name = counter.id.as_str();
        let read_count = self
            .lookup(name)
            .is_some_and(|v| v.read && v.kind == Kind::Int);
        let decremented = s.body.iter().any(|stmt| {
            matches!(stmt, Stmt::AugAssign(a)
                if a.op == Operator::Sub
                    && matches!(a.target.as_ref(), Expr::Name(t) if t.id.as_str() == name)
                    && is_small_constant(&a.value))
        });
        read_count
            && decremented
            && super::scan::calls_any(&s.body, &self.readers)
            && (super::scan::calls_any_staying(&s.body, &self.writers)
                || super::scan::appends_answer(&s.body, &self.readers) && has_nested_work(&s.body))
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
        let counters = &self.frames.last().expect("a frame").loop_counters;
        !names.is_empty()
            && names.iter().all(|n| {
                counters.iter().any(|c| c.contains(n))
                    || self
                        .lookup(n)
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

    /// A test (or one side of an `and`) comparing a stepped variable that currently holds a
    /// small value with a small constant (`i = 0` … `while i < 26`): constant iterations.
    fn counts_between_constants(&self, test: &Expr, stepped: &[&String]) -> bool {
        match test {
            Expr::BoolOp(b) if b.op == BoolOp::And => b
                .values
                .iter()
                .any(|v| self.counts_between_constants(v, stepped)),
            Expr::Compare(c) if c.ops.len() == 1 => {
                let small_variable = |e: &Expr| {
                    matches!(e, Expr::Name(n) if stepped.iter().any(|s| s.as_str() == n.id.as_str())
                        && self.lookup(n.id.as_str()).is_some_and(|v| v.kind == Kind::Int && v.size.is_constant()))
                };
                let (left, right) = (&c.left, &c.comparators[0]);
                (small_variable(left) && is_small_constant(right))
                    || (is_small_constant(left) && small_variable(right))
            }
            _ => false,
        }
    }

    /// `while mask < 1 << n: mask += 1`: a variable stepped towards a power whose exponent the
    /// body never changes; the size of that exponent (the largest of its names), which makes
    /// the loop run exponentially many times when input-sized. `geometric` asks instead about
    /// a variable multiplied towards the power (`while x < 2 ** n: x *= 2`).
    fn counts_to_power(
        &self,
        test: &Expr,
        updates: &[(String, Update)],
        geometric: bool,
    ) -> Option<Cost> {
        let Expr::Compare(c) = test else { return None };
        if c.ops.len() != 1 {
            return None;
        }
        let updated = |name: &str| updates.iter().any(|(n, _)| n == name);
        let stepped = |e: &Expr| {
            let Expr::Name(n) = e else { return false };
            updates.iter().any(|(name, u)| {
                name == n.id.as_str()
                    && matches!(
                        (u, geometric),
                        (Update::Step, false) | (Update::Geometric, true)
                    )
            })
        };
        let fixed_power = |e: &Expr| {
            let (mut names, mut powers) = (HashSet::new(), Vec::new());
            collect_names(e, &mut names);
            exponents(e, &mut powers);
            if !grows_exponentially(e) || names.iter().any(|n| updated(n)) {
                return None;
            }
            powers.iter().filter_map(|x| self.exponent_size(x)).max()
        };
        let (left, right) = (&c.left, &c.comparators[0]);
        match (stepped(left), stepped(right)) {
            (true, false) => fixed_power(right),
            (false, true) => fixed_power(left),
            _ => None,
        }
    }

    /// How large an exponent is: a name's size, the largest part of a sum or product, or the
    /// number of digits of a number (`len(str(n))`, `n.bit_length()`, log n).
    fn exponent_size(&self, e: &Expr) -> Option<Cost> {
        let size = |x: &Expr| match x {
            Expr::Name(n) => self.lookup(n.id.as_str()).map(|v| v.size),
            _ => None,
        };
        match e {
            Expr::NumberLiteral(_) => Some(Cost::ONE),
            Expr::BinOp(b) => self
                .exponent_size(&b.left)
                .max(self.exponent_size(&b.right)),
            Expr::UnaryOp(u) => self.exponent_size(&u.operand),
            Expr::Call(c) => match (c.func.as_ref(), &*c.arguments.args) {
                (Expr::Attribute(a), []) if a.attr.as_str() == "bit_length" => {
                    size(&a.value).map(super::builtins::log_of)
                }
                (Expr::Name(f), [Expr::Call(inner)])
                    if f.id.as_str() == "len"
                        && matches!(inner.func.as_ref(), Expr::Name(g)
                            if matches!(g.id.as_str(), "str" | "bin" | "hex" | "oct")) =>
                {
                    inner
                        .arguments
                        .args
                        .first()
                        .and_then(size)
                        .map(super::builtins::log_of)
                }
                (Expr::Name(f), [arg]) if f.id.as_str() == "len" => size(arg),
                _ => None,
            },
            _ => size(e),
        }
    }

    /// `while s[i] == t[i]: i += 1`: a stepped variable that indexes a sequence in the test
    /// stops at that sequence's end (the shortest one if several).
    fn indexed_length(&self, test: &Expr, stepped: &[&String]) -> Option<Cost> {
        let mut indexed = Vec::new();
        indexed_by(test, stepped, &mut indexed);
        indexed
            .iter()
            .filter_map(|name| self.lookup(name))
            .filter(|v| v.kind.is_collection() && v.kind != Kind::Dict)
            .map(|v| v.size)
            .min()
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
        }) || super::patterns::appends_scaled_last(&s.test, &s.body);
        if shrinks_geometrically {
            // Multiplied up to `2 ** n`: as many steps as the exponent is large.
            if let Some(size) = self.counts_to_power(&s.test, &updates, true)
                && size >= Cost::N
            {
                return (
                    size,
                    "the loop variable is doubled up to a power: as many times as its exponent",
                );
            }
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
        match self.counts_to_power(&s.test, &updates, false) {
            Some(size) if size >= Cost::N => {
                return (
                    Cost::EXP,
                    "the loop variable counts up to a power with an input-sized exponent",
                );
            }
            // `10 ** len(str(n))` is a constant power of n itself.
            Some(Cost::LOG) => {
                return (
                    Cost::N,
                    "the loop variable counts up to a power of the number of digits: about n",
                );
            }
            _ => {}
        }
        if raises_to_variable(&s.test)
            || (grows && (compares || tested.is_empty()))
            || exits_on_geometric_growth(&s.body)
        {
            return (
                Cost::LOG,
                "the bound grows exponentially with the loop variable",
            );
        }
        if compares_square(&s.test) {
            return (Cost::SQRT, "the loop stops when i*i passes the bound");
        }
        // `while parent[x] != x: … x = parent[x]` in a function that rewrites `parent` (path
        // compression or halving): union-find's find, amortised constant like its recursive
        // form.
        let finds_root = root_test(&s.test).is_some_and(|(table, node)| {
            chased_table(&s.body, &node).as_deref() == Some(table.as_str())
                && self
                    .frames
                    .last()
                    .is_some_and(|f| f.stored_tables.contains(&table))
        });
        if finds_root || redirects_links(&s.test, &s.body) {
            return (
                Cost::ONE,
                "follows parent links the function compresses (union-find): amortised",
            );
        }
        // `mask = q.popleft()` … `q.append(mask | 1 << i)`: the states are bitmasks, 2^n.
        let popped: HashSet<String> = super::patterns::simple_assignments(&s.body)
            .into_iter()
            .filter(|(_, v)| matches!(super::scan::callee(v), Some("pop" | "popleft" | "heappop")))
            .map(|(name, _)| name)
            .collect();
        if !popped.is_empty() && uses_as_bitmask(&s.body, &popped) {
            return (Cost::EXP, "the worklist holds bitmasks: up to 2^n states");
        }
        if super::patterns::extending_pushes(&s.body, &tested, &[]) >= 2 {
            return (
                Cost::EXP,
                "each item pushes two or more longer items: a tree exponential in its depth",
            );
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
        if self.counts_between_constants(&s.test, &stepped) {
            return (Cost::ONE, "the loop variable runs between two constants");
        }
        if let Some(length) = self.indexed_length(&s.test, &stepped) {
            return (
                length,
                "the loop variable steps through the sequence it indexes",
            );
        }
        let bound = self.condition_bound(&s.test);
        if !stepped.is_empty() {
            // A bound known to be below n (digits of a number, a square root) stands; an
            // unknown one is taken as n.
            let count = if bound.is_constant() { Cost::N } else { bound };
            return (count, "the loop variable moves by a constant step");
        }
        // `while count[v] > 0: … count[v] -= 1` counts one entry down: as many steps as the
        // entry's value, like `range(count[v])`.
        if let Some(table) = counted_down_table(&s.test, &s.body)
            && let Some(entry) = self.lookup(table).map(Val::element)
        {
            return (entry.size, "counts one entry of a table down to zero");
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

/// Pointers `j` that a loop body starts from its own pointer (`j = i`), advances in an inner
/// `while`, and then moves its pointer to (`i = j` or `i = j + 1`): `j` never goes back. The
/// loop's own counters (a `for` target) do not count as such a pointer.
fn catches_up(body: &[Stmt], counters: &[String]) -> Vec<String> {
    let copy = |s: &Stmt| -> Option<(String, String)> {
        let Stmt::Assign(a) = s else { return None };
        let [Expr::Name(t)] = a.targets.as_slice() else {
            return None;
        };
        let v = match a.value.as_ref() {
            Expr::BinOp(b)
                if b.op == Operator::Add && matches!(b.right.as_ref(), Expr::NumberLiteral(_)) =>
            {
                &b.left
            }
            v => v,
        };
        let Expr::Name(v) = v else { return None };
        Some((t.id.to_string(), v.id.to_string()))
    };
    let mut out = Vec::new();
    for (start, stmt) in body.iter().enumerate() {
        let Some((j, i)) = copy(stmt).filter(|(_, i)| !counters.contains(i)) else {
            continue;
        };
        let rest = &body[start + 1..];
        let Some(inner) = rest.iter().position(|s| matches!(s, Stmt::While(_))) else {
            continue;
        };
        if rest[inner + 1..]
            .iter()
            .any(|s| copy(s) == Some((i.clone(), j.clone())))
        {
            out.push(j);
        }
    }
    out
}

/// Whether a statement of the block outside any branch or inner loop pops from `name`.
fn pops_every_pass(body: &[Stmt], name: &str) -> bool {
    let names = HashSet::from([name.to_owned()]);
    body.iter().any(|stmt| {
        matches!(stmt, Stmt::Assign(_) | Stmt::Expr(_))
            && super::scan::pops_from(std::slice::from_ref(stmt), &names)
    })
}

/// Whether a block contains a loop: per-case work whose answer is collected, as opposed to a
/// loop that only reads records into a list.
fn has_nested_work(body: &[Stmt]) -> bool {
    body.iter().any(|s| match s {
        Stmt::For(_) | Stmt::While(_) => true,
        Stmt::If(i) => {
            has_nested_work(&i.body) || i.elif_else_clauses.iter().any(|c| has_nested_work(&c.body))
        }
        _ => false,
    })
}

/// Whether the body has an `if` whose branch leaves the loop.
fn leaves_early(body: &[Stmt]) -> bool {
    let mut conditions = Vec::new();
    super::patterns::exit_conditions(body, &mut conditions);
    !conditions.is_empty()
}

/// The exponents and shift amounts of `e`: `n` in `(1 << n) - 1`.
fn exponents<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    match e {
        Expr::BinOp(b) => {
            if matches!(b.op, Operator::Pow | Operator::LShift) {
                out.push(&b.right);
            }
            exponents(&b.left, out);
            exponents(&b.right, out);
        }
        Expr::Call(c)
            if c.arguments.args.len() == 2
                && matches!(c.func.as_ref(), Expr::Name(f) if f.id.as_str() == "pow") =>
        {
            out.push(&c.arguments.args[1]);
        }
        Expr::UnaryOp(u) => exponents(&u.operand, out),
        _ => {}
    }
}

/// "n times", "log n times", or "a fixed number of times".
fn times_words(count: Cost) -> String {
    if count.is_constant() {
        "a fixed number of times".to_owned()
    } else {
        format!("{} times", size_words(count))
    }
}

/// Names of sequences that `test` subscripts with an index mentioning one of `vars`.
fn indexed_by(test: &Expr, vars: &[&String], out: &mut Vec<String>) {
    match test {
        Expr::Subscript(sub) => {
            let mut names = HashSet::new();
            collect_names(&sub.slice, &mut names);
            if let Expr::Name(seq) = sub.value.as_ref()
                && vars.iter().any(|v| names.contains(*v))
            {
                out.push(seq.id.to_string());
            }
        }
        Expr::Compare(c) => {
            indexed_by(&c.left, vars, out);
            c.comparators.iter().for_each(|e| indexed_by(e, vars, out));
        }
        Expr::BoolOp(b) if b.op == BoolOp::And => {
            b.values.iter().for_each(|e| indexed_by(e, vars, out));
        }
        Expr::BinOp(b) => {
            indexed_by(&b.left, vars, out);
            indexed_by(&b.right, vars, out);
        }
        Expr::UnaryOp(u) => indexed_by(&u.operand, vars, out),
        _ => {}
    }
}

/// `while t[i] > 0:` (or `while t[i]:`) around `t[i] -= 1`: the name of `t`.
fn counted_down_table<'e>(test: &'e Expr, body: &[Stmt]) -> Option<&'e str> {
    let entry = match test {
        Expr::Compare(c)
            if c.ops.len() == 1
                && matches!(c.ops[0], CmpOp::Gt | CmpOp::NotEq)
                && is_zero(&c.comparators[0]) =>
        {
            c.left.as_ref()
        }
        _ => test,
    };
    let Expr::Subscript(sub) = entry else {
        return None;
    };
    let Expr::Name(table) = sub.value.as_ref() else {
        return None;
    };
    let decremented = body.iter().any(|stmt| {
        matches!(stmt, Stmt::AugAssign(a) if a.op == Operator::Sub
            && ComparableExpr::from(a.target.as_ref()) == ComparableExpr::from(entry)
            && matches!(a.value.as_ref(), Expr::NumberLiteral(_)))
    });
    decremented.then_some(table.id.as_str())
}

fn is_zero(e: &Expr) -> bool {
    matches!(e, Expr::NumberLiteral(n) if n.value.as_int().and_then(|i| i.as_u64()) == Some(0))
}
