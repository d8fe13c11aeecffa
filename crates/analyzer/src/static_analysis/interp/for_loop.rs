//! `for` loops: the count is the length of what the loop iterates over, unless a rule of the
//! registry (`domain::rules`) says otherwise.

use std::collections::HashSet;

use ruff_python_ast::{Expr, Operator, Stmt, StmtFor};

use crate::cost::Cost;
use crate::error::Result;
use crate::static_analysis::domain::rules::Rule;
use crate::static_analysis::domain::values::{Kind, Val};
use crate::static_analysis::interp::loops::{
    has_nested_work, leaves_early, pops_every_pass, times_words,
};
use crate::static_analysis::interp::walker::{Ctx, Flow, Walker};
use crate::static_analysis::syntax::literals::is_small_constant;
use crate::static_analysis::syntax::patterns::{
    collect_names, exits_at_once, snapshot_of, uses_as_exponent,
};
use crate::static_analysis::syntax::scan;

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
                    && crate::static_analysis::syntax::scan::callee(iter) == Some("enumerate")
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
        // `for x in sorted(a)`: the sorted copy is alive while the loop runs.
        if crate::static_analysis::syntax::patterns::builds_collection(&s.iter)
            && source.kind.is_collection()
            && !source.read
            && !source.storage().is_constant()
        {
            self.fired.record(Rule::SpaceLoopedCopy);
            self.allocate(
                self.line_of(s),
                source.storage(),
                "the collection looped over",
            );
        }
        // `for p in permutations(a)`: each ordering is a tuple as long as `a`, made one at a
        // time; the one the loop holds is alive while the body runs.
        if let Some(held) = crate::static_analysis::syntax::handouts::tuple_length(&s.iter)
            && held
            && !source.elem.is_constant()
        {
            self.fired.record(Rule::SpaceHeldOrdering);
            self.allocate(self.line_of(s), source.elem, "the tuple the loop holds");
        }
        let mut count = self.iteration_count(source, ctx);
        let adjacency_row = count.is_constant() && !source.size.is_constant();
        let mut fired = Vec::new();
        for (rule, applies) in FOR_RULES {
            if let Some(c) = applies(self, s, count, ctx) {
                count = c;
                fired.push(*rule);
                self.fired.record(*rule);
            }
        }
        if adjacency_row && !fired.contains(&Rule::ForExitsAtOnce) {
            self.fired.record(Rule::ForAdjacencyRow);
        }
        self.bind_enumerated(&s.target, &s.iter, source, ctx)?;
        let line = self.line_of(s);
        let mut counters = Vec::new();
        crate::static_analysis::syntax::patterns::target_names(&s.target, &mut counters);
        let body = self.loop_body(&s.body, ctx, count, counters)?;
        let else_flow = self.block(&s.orelse, ctx)?;
        let total = count.times(body.time).plus(body.once);
        // The reason shown is that of the rule that best explains the count.
        let reason = match EXPLAINING_FOR_RULES.iter().find(|r| fired.contains(r)) {
            Some(rule) => rule.reason().to_owned(),
            None if adjacency_row && !fired.contains(&Rule::ForExitsAtOnce) => {
                Rule::ForAdjacencyRow.reason().to_owned()
            }
            None => format!("loop runs {}", times_words(count)),
        };
        self.contribute(line, ctx.mult.times(total), ctx.inside(count), reason);
        // `for c in 'ab': go(s + c)` makes one call per element of the literal.
        let calls = body.calls.saturating_mul(
            crate::static_analysis::syntax::patterns::literal_len(&s.iter)
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
        if let Some(name) = crate::static_analysis::syntax::patterns::snapshot_of(&s.iter)
            && !ctx.mult.is_constant()
            && crate::static_analysis::syntax::scan::grown_names(&s.body)
                .iter()
                .any(|g| g == name)
            && !crate::static_analysis::syntax::scan::pops_from(
                &s.body,
                &HashSet::from([name.to_owned()]),
            )
        {
            flow = flow.then(self.doubles(name, line, ctx));
        }
        Ok(flow)
    }

    /// `for v in layer` directly in the body of the loop that fills `layer` under marks.
    pub fn walks_filled_once(&self, iter: &Expr) -> bool {
        let Expr::Name(n) = iter else { return false };
        let frame = self.frames.last().expect("frame");
        let depth = frame.loops.counts.len();
        frame
            .loops
            .filled_once
            .iter()
            .any(|(name, d)| name == n.id.as_str() && *d == depth)
    }

    /// The body steps a variable by a constant at its top level and leaves the loop on a test
    /// of that variable (`if j >= len(b): break … j += 1`), and the enclosing loop's body does
    /// not assign the variable.
    pub fn breaks_on_kept_pointer(&self, body: &[Stmt]) -> bool {
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
                .loops
                .assigned
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

    /// `range(t)` where `t` was read with `int(input())`, or `range(int(input()))`.
    pub fn counts_read_number(&self, iter: &Expr) -> bool {
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
                    && crate::static_analysis::syntax::scan::calls_any_expr(
                        &c.arguments.args,
                        &self.facts.readers,
                    )
            }
            _ => false,
        }
    }

    /// `range(i, n, i)` where `i` is an enclosing loop's variable: harmonic, log n per outer step.
    pub fn steps_by_outer_variable(&self, iter: &Expr) -> bool {
        let Expr::Call(call) = iter else { return false };
        let is_range = matches!(call.func.as_ref(), Expr::Name(n) if n.id.as_str() == "range");
        if !is_range || call.arguments.args.len() != 3 {
            return false;
        }
        let mut names = HashSet::new();
        collect_names(&call.arguments.args[2], &mut names);
        let counters = &self.frames.last().expect("a frame").loops.counters;
        !names.is_empty()
            && names.iter().all(|n| {
                counters.iter().any(|c| c.contains(n))
                    || self
                        .lookup(n)
                        .is_some_and(|v| v.kind == Kind::Int && !v.size.is_constant())
            })
    }
}

/// A count rule of `for` loops: the new count when the rule applies, given the count so far.
type CountRule = for<'a> fn(&Walker<'a>, &StmtFor, Cost, Ctx) -> Option<Cost>;

/// The count rules of `for` loops, applied in this order, each to the count the previous ones
/// left.
const FOR_RULES: &[(Rule, CountRule)] = &[
    (Rule::ForHarmonic, harmonic),
    (Rule::ForTiles, tiles),
    (Rule::ForCountedCopies, counted_copies),
    (Rule::ForTestCases, test_cases),
    (Rule::ForExponent, exponent),
    (Rule::ForKeptPointer, kept_pointer),
    (Rule::ForLevel, level),
    (Rule::ForMarkedOnce, marked_once),
    (Rule::ForExitsAtOnce, exits),
    (Rule::ForNarrowedRange, narrowed_range),
];

/// Of the rules that fired, the first of these names the reason in the explanation.
const EXPLAINING_FOR_RULES: &[Rule] = &[
    Rule::ForTiles,
    Rule::ForCountedCopies,
    Rule::ForTestCases,
    Rule::ForMarkedOnce,
    Rule::ForLevel,
    Rule::ForKeptPointer,
    Rule::ForHarmonic,
];

/// `for i in range(lo, hi + 1)` after `while hi - lo > 2:` narrowed the range to a few values.
fn narrowed_range(walker: &Walker<'_>, s: &StmtFor, count: Cost, _: Ctx) -> Option<Cost> {
    use ruff_text_size::Ranged;
    (!count.is_constant() && walker.facts.narrowed_fors.contains(&s.start())).then_some(Cost::ONE)
}

/// `range(i, n, i)` where `i` is an enclosing loop's variable: n/1 + n/2 + … is n log n.
fn harmonic(walker: &Walker<'_>, s: &StmtFor, count: Cost, _: Ctx) -> Option<Cost> {
    (!count.is_constant() && walker.steps_by_outer_variable(&s.iter)).then_some(Cost::LOG)
}

/// `for i in range(0, n, size): chunk = a[i:i + size]` (or a bottom-up merge's `range(0, n,
/// 2 * width)` with windows `lo + width`): the body works on the window from the loop
/// variable to one step further, and the windows tile the range. The loop is charged once,
/// its body at the window's size, bounded by the range's.
fn tiles(_: &Walker<'_>, s: &StmtFor, count: Cost, _: Ctx) -> Option<Cost> {
    let Expr::Name(target) = s.target.as_ref() else {
        return None;
    };
    let Expr::Call(call) = s.iter.as_ref() else {
        return None;
    };
    let is_range = matches!(call.func.as_ref(), Expr::Name(n) if n.id.as_str() == "range");
    let [_, _, step] = &*call.arguments.args else {
        return None;
    };
    if !is_range || count.is_constant() || matches!(step, Expr::NumberLiteral(_)) {
        return None;
    }
    let mut step_names = HashSet::new();
    collect_names(step, &mut step_names);
    let window = scan::any_expr(&s.body, scan::Defs::Skip, |e| {
        let Expr::BinOp(b) = e else { return false };
        let mut names = HashSet::new();
        collect_names(&b.right, &mut names);
        b.op == Operator::Add
            && matches!(b.left.as_ref(), Expr::Name(n) if n.id == target.id)
            && names.iter().any(|n| step_names.contains(n))
    });
    (!step_names.is_empty() && window).then_some(Cost::ONE)
}

/// A counting sort over a table of counts: the copies written out add up to n, so the loop is
/// charged once, its body at the largest count.
fn counted_copies(walker: &Walker<'_>, s: &StmtFor, count: Cost, _: Ctx) -> Option<Cost> {
    // The body's `[x] * t[x]` is cheap to look for; the function's assignments are read only
    // when it is there.
    if count.is_constant() || !crate::static_analysis::syntax::counters::repeats_by_count(&s.body) {
        return None;
    }
    let function = walker.frames.last()?.function.clone()?;
    let def = walker.resolve(&function)?;
    let locals = crate::static_analysis::syntax::patterns::simple_assignments(&def.body);
    crate::static_analysis::syntax::counters::writes_out_counts(
        &s.target, &s.iter, &s.body, &locals,
    )
    .then_some(Cost::ONE)
}

/// `for _ in range(int(input()))` around reading and printing: independent test cases; the
/// complexity is that of one case.
fn test_cases(walker: &Walker<'_>, s: &StmtFor, _: Cost, _: Ctx) -> Option<Cost> {
    let readers = &walker.facts.readers;
    (walker.counts_read_number(&s.iter)
        && scan::calls_any(&s.body, readers)
        && (scan::calls_any_staying(&s.body, &walker.facts.writers)
            || scan::appends_answer(&s.body, readers) && has_nested_work(&s.body)))
    .then_some(Cost::ONE)
}

/// A loop whose variable is a shift amount or an exponent walks the bits or digits of a
/// number: log n steps however large its literal bound. Up to an input-sized bound it does so
/// only when it can leave early (once the power passes a limit); otherwise it runs to the
/// bound.
fn exponent(_: &Walker<'_>, s: &StmtFor, count: Cost, _: Ctx) -> Option<Cost> {
    let Expr::Name(target) = s.target.as_ref() else {
        return None;
    };
    ((count.is_constant() && matches!(s.iter.as_ref(), Expr::Call(_))
        || !count.is_constant() && leaves_early(&s.body))
        && uses_as_exponent(&s.body, target.id.as_str()))
    .then_some(Cost::LOG)
}

/// Nested in another loop, a loop that steps a pointer every iteration and breaks when the
/// pointer reaches its bound runs at most that bound times over all outer iterations, unless
/// the outer loop resets the pointer.
fn kept_pointer(walker: &Walker<'_>, s: &StmtFor, count: Cost, ctx: Ctx) -> Option<Cost> {
    (!ctx.mult.is_constant() && !count.is_constant() && walker.breaks_on_kept_pointer(&s.body))
        .then_some(Cost::ONE)
}

/// `for _ in range(len(q)): u = q.popleft()` in a loop: each pass takes one item off the
/// worklist, so over all outer passes it runs once per item ever added (the levels of a
/// breadth-first search).
fn level(_: &Walker<'_>, s: &StmtFor, _: Cost, ctx: Ctx) -> Option<Cost> {
    (!ctx.mult.is_constant() && snapshot_of(&s.iter).is_some_and(|q| pops_every_pass(&s.body, q)))
        .then_some(Cost::ONE)
}

/// Over a container the enclosing loop fills only with elements it marks, each element is
/// walked once over all the enclosing loop's passes.
fn marked_once(walker: &Walker<'_>, s: &StmtFor, _: Cost, ctx: Ctx) -> Option<Cost> {
    (!ctx.mult.is_constant() && walker.walks_filled_once(&s.iter)).then_some(Cost::ONE)
}

fn exits(_: &Walker<'_>, s: &StmtFor, _: Cost, _: Ctx) -> Option<Cost> {
    exits_at_once(&s.body).then_some(Cost::ONE)
}
