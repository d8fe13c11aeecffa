//! Trip counts of `while` loops: the registry of bound rules, tried in order, and the
//! questions they ask about the loop's test and updates.

use std::collections::HashSet;

use ruff_python_ast::comparable::ComparableExpr;
use ruff_python_ast::{BoolOp, CmpOp, Expr, Operator, Stmt, StmtWhile};

use crate::cost::Cost;
use crate::static_analysis::domain::rules::Rule;
use crate::static_analysis::domain::values::Kind;
use crate::static_analysis::interp::walker::{Ctx, Walker};
use crate::static_analysis::syntax::literals::is_small_constant;
use crate::static_analysis::syntax::patterns::{
    Update, all_assigned, appends_scaled_last, bisects, collect_names, collect_updates,
    compares_square, exits_on_geometric_growth, extending_pushes, grows_exponentially,
    is_truthy_loop, marks_tested, raises_to_variable, simple_assignments, uses_as_bitmask,
};
use crate::static_analysis::syntax::tables::{chased_table, redirects_links, root_test};

impl<'a> Walker<'a> {
    /// How many times a `while` loop runs, and the rule that says so: the first rule of
    /// `WHILE_RULES` that applies, else an input-sized guess (counted as uncertain).
    pub fn while_count(&mut self, s: &StmtWhile, ctx: Ctx) -> (Cost, Rule) {
        let facts = WhileFacts::of(s);
        for (rule, applies) in WHILE_RULES {
            if let Some(count) = applies(self, &facts, ctx) {
                return (count, *rule);
            }
        }
        self.frame().uncertain += 1;
        (
            self.condition_bound(&s.test).max(Cost::N),
            Rule::WhileAssumed,
        )
    }

    /// The largest size a condition's names or literals mention; for `a and b` the loop stops
    /// when either side fails, so the smaller bound wins.
    pub fn condition_bound(&self, test: &Expr) -> Cost {
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
    pub fn counts_between_constants(&self, test: &Expr, stepped: &[&String]) -> bool {
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
    pub fn counts_to_power(
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
    pub fn exponent_size(&self, e: &Expr) -> Option<Cost> {
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
                    size(&a.value).map(crate::static_analysis::domain::builtins::log_of)
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
                        .map(crate::static_analysis::domain::builtins::log_of)
                }
                (Expr::Name(f), [arg]) if f.id.as_str() == "len" => size(arg),
                _ => None,
            },
            _ => size(e),
        }
    }

    /// `while s[i] == t[i]: i += 1`: a stepped variable that indexes a sequence in the test
    /// stops at that sequence's end (the shortest one if several).
    pub fn indexed_length(&self, test: &Expr, stepped: &[&String]) -> Option<Cost> {
        let mut indexed = Vec::new();
        indexed_by(test, stepped, &mut indexed);
        indexed
            .iter()
            .filter_map(|name| self.lookup(name))
            .filter(|v| v.kind.is_collection() && v.kind != Kind::Dict)
            .map(|v| v.size)
            .min()
    }
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

/// What the bound rules read about a `while` loop, computed once per loop.
pub struct WhileFacts<'s> {
    pub test: &'s Expr,
    pub body: &'s [Stmt],
    /// Names the test reads.
    pub tested: HashSet<String>,
    /// How the body updates each name it assigns.
    pub updates: Vec<(String, Update)>,
    /// Tested names the body steps by a constant.
    pub stepped: Vec<String>,
}

impl<'s> WhileFacts<'s> {
    pub fn of(s: &'s StmtWhile) -> WhileFacts<'s> {
        let mut tested = HashSet::new();
        collect_names(&s.test, &mut tested);
        let mut updates = Vec::new();
        collect_updates(&s.body, &mut updates);
        let stepped = updates
            .iter()
            .filter(|(name, kind)| matches!(kind, Update::Step) && tested.contains(name))
            .map(|(name, _)| name.clone())
            .collect();
        WhileFacts {
            test: &s.test,
            body: &s.body,
            tested,
            updates,
            stepped,
        }
    }

    /// A tested variable is halved, doubled or reduced modulo, or the test reads the last
    /// element of a list the body appends a multiple of.
    pub fn shrinks_geometrically(&self) -> bool {
        self.updates.iter().any(|(name, kind)| {
            matches!(kind, Update::Geometric)
                && (self.tested.contains(name) || is_truthy_loop(self.test))
        }) || appends_scaled_last(self.test, self.body)
    }

    pub fn stepped(&self) -> Vec<&String> {
        self.stepped.iter().collect()
    }
}

/// A bound rule: the loop's count when the rule applies to it.
type BoundRule = fn(&Walker<'_>, &WhileFacts<'_>, Ctx) -> Option<Cost>;

/// The bound rules of `while` loops, in the order they are tried.
const WHILE_RULES: &[(Rule, BoundRule)] = &[
    (Rule::WhileAmortised, amortised),
    (Rule::WhileKeptShrinking, kept_shrinking),
    (Rule::WhileDoubledToPower, doubled_to_power),
    (Rule::WhileGeometric, geometric),
    (Rule::WhileBisection, bisection),
    (Rule::WhileShrinkingPartition, shrinking_partition),
    (Rule::WhileRandomPivot, random_pivot),
    (Rule::WhileOdometer, odometer),
    (Rule::WhileCountsToPower, counts_to_input_power),
    (Rule::WhileCountsToDigitsPower, counts_to_digits_power),
    (Rule::WhileGrowingBound, growing_bound),
    (Rule::WhileSquare, square),
    (Rule::WhileUnionFind, union_find),
    (Rule::WhileBitmaskStates, bitmask_states),
    (Rule::WhileBranchingWorklist, branching_worklist),
    (Rule::WhileStepsBackSwapping, steps_back_swapping),
    (Rule::WhileForwardPointer, forward_pointer),
    (Rule::WhileBetweenConstants, between_constants),
    (Rule::WhileIndexedLength, indexed_length),
    (Rule::WhileConstantStep, constant_step),
    (Rule::WhileCountedDownEntry, counted_down_entry),
    (Rule::WhileGridCells, grid_cells),
    (Rule::WhileWorklist, worklist),
];

/// Nested in another loop, a while that pops from a worklist it tests, or that marks the
/// entries it tests as visited, does at most n steps over all outer iterations (monotonic
/// stacks, draining queues, walking cycles of a permutation).
fn amortised(_: &Walker<'_>, w: &WhileFacts<'_>, ctx: Ctx) -> Option<Cost> {
    (!ctx.mult.is_constant()
        && (crate::static_analysis::syntax::scan::pops_from(w.body, &w.tested)
            || marks_tested(w.body, w.test)))
    .then_some(Cost::ONE)
}

/// Nested in another loop, `while n % d == 0: n //= d` (or `n = n // d`) divides a tested number that the
/// enclosing loop never reassigns: it can be divided by 2 or more only log n times over all
/// passes (trial division), so the inner loop adds amortised constant work per outer pass.
fn kept_shrinking(walker: &Walker<'_>, w: &WhileFacts<'_>, ctx: Ctx) -> Option<Cost> {
    if ctx.mult.is_constant() {
        return None;
    }
    let frame = walker.frames.last()?;
    let reset = |name: &str| {
        frame
            .loops
            .assigned
            .last()
            .is_some_and(|names| names.iter().any(|n| n == name))
    };
    let divided = w
        .body
        .iter()
        .filter_map(crate::static_analysis::syntax::counters::divided_name)
        .any(|n| {
            w.tested.contains(n)
                && !reset(n)
                && walker
                    .lookup(n)
                    .is_none_or(|v| matches!(v.kind, Kind::Int | Kind::Unknown))
        });
    divided.then_some(Cost::ONE)
}

/// Multiplied up to `2 ** n`: as many steps as the exponent is large.
fn doubled_to_power(walker: &Walker<'_>, w: &WhileFacts<'_>, _: Ctx) -> Option<Cost> {
    if !w.shrinks_geometrically() {
        return None;
    }
    walker
        .counts_to_power(w.test, &w.updates, true)
        .filter(|size| *size >= Cost::N)
}

fn geometric(_: &Walker<'_>, w: &WhileFacts<'_>, _: Ctx) -> Option<Cost> {
    w.shrinks_geometrically().then_some(Cost::LOG)
}

fn bisection(_: &Walker<'_>, w: &WhileFacts<'_>, _: Ctx) -> Option<Cost> {
    (bisects(w.body, &w.tested)
        || (is_truthy_loop(w.test) && bisects(w.body, &all_assigned(w.body))))
    .then_some(Cost::LOG)
}

/// Quickselect: the pass over `range(lo, hi)` shrinks by a constant factor in expectation,
/// so n + n/2 + … is linear: the loop is charged as one pass. Not when the loop also recurses
/// (quicksort looping on one side), where every level partitions all of its range.
fn shrinking_partition(walker: &Walker<'_>, w: &WhileFacts<'_>, ctx: Ctx) -> Option<Cost> {
    random_pivot(walker, w, ctx)?;
    let ends = if is_truthy_loop(w.test) {
        all_assigned(w.body)
    } else {
        w.tested.clone()
    };
    let current = walker.frames.last().and_then(|f| f.function.clone());
    let recurses = current.is_some_and(|name| {
        crate::static_analysis::syntax::scan::any_expr(
            w.body,
            crate::static_analysis::syntax::scan::Defs::Skip,
            |e| crate::static_analysis::syntax::scan::callee(e) == Some(name.as_str()),
        )
    });
    (!recurses && crate::static_analysis::syntax::counters::walks_range_between(w.body, &ends))
        .then_some(Cost::ONE)
}

/// Quickselect, or quicksort looping on one side: log n passes in expectation.
fn random_pivot(walker: &Walker<'_>, w: &WhileFacts<'_>, _: Ctx) -> Option<Cost> {
    let ends = if is_truthy_loop(w.test) {
        all_assigned(w.body)
    } else {
        w.tested.clone()
    };
    crate::static_analysis::syntax::counters::narrows_around_random_pivot(w.body, &ends, &|f| {
        walker.facts.picks_randomly(f)
    })
    .then_some(Cost::LOG)
}

/// Heap's algorithm: digit i counts up to i, so the counter takes n! values; a fixed radix
/// gives exponentially many.
fn odometer(_: &Walker<'_>, w: &WhileFacts<'_>, _: Ctx) -> Option<Cost> {
    crate::static_analysis::syntax::counters::odometer(w.body, &w.tested).map(|factorial| {
        if factorial {
            Cost::FACTORIAL
        } else {
            Cost::EXP
        }
    })
}

/// `while mask < 1 << n: mask += 1`.
fn counts_to_input_power(walker: &Walker<'_>, w: &WhileFacts<'_>, _: Ctx) -> Option<Cost> {
    walker
        .counts_to_power(w.test, &w.updates, false)
        .filter(|size| *size >= Cost::N)
        .map(|_| Cost::EXP)
}

/// `10 ** len(str(n))` is a constant power of n itself.
fn counts_to_digits_power(walker: &Walker<'_>, w: &WhileFacts<'_>, _: Ctx) -> Option<Cost> {
    (walker.counts_to_power(w.test, &w.updates, false) == Some(Cost::LOG)).then_some(Cost::N)
}

/// Something in the body doubles each time and the test compares: the loop ends after
/// log(bound) steps (`p *= 2` while `k >= p - 1`).
fn growing_bound(_: &Walker<'_>, w: &WhileFacts<'_>, _: Ctx) -> Option<Cost> {
    let grows = w
        .updates
        .iter()
        .any(|(name, k)| matches!(k, Update::Geometric) && !w.tested.contains(name));
    let compares = matches!(w.test, Expr::Compare(_) | Expr::BoolOp(_));
    (raises_to_variable(w.test)
        || (grows && (compares || w.tested.is_empty()))
        || exits_on_geometric_growth(w.body))
    .then_some(Cost::LOG)
}

fn square(_: &Walker<'_>, w: &WhileFacts<'_>, _: Ctx) -> Option<Cost> {
    compares_square(w.test).then_some(Cost::SQRT)
}

/// `while parent[x] != x: … x = parent[x]` in a function that rewrites `parent` (path
/// compression or halving): union-find's find, amortised constant like its recursive form.
fn union_find(walker: &Walker<'_>, w: &WhileFacts<'_>, _: Ctx) -> Option<Cost> {
    let finds_root = root_test(w.test).is_some_and(|(table, node)| {
        chased_table(w.body, &node).as_deref() == Some(table.as_str())
            && walker
                .frames
                .last()
                .is_some_and(|f| f.stored_tables.contains(&table))
    });
    (finds_root || redirects_links(w.test, w.body)).then_some(Cost::ONE)
}

/// `mask = q.popleft()` … `q.append(mask | 1 << i)`: the states are bitmasks, 2^n.
fn bitmask_states(_: &Walker<'_>, w: &WhileFacts<'_>, _: Ctx) -> Option<Cost> {
    let popped: HashSet<String> = simple_assignments(w.body)
        .into_iter()
        .filter(|(_, v)| {
            matches!(
                crate::static_analysis::syntax::scan::callee(v),
                Some("pop" | "popleft" | "heappop")
            )
        })
        .map(|(name, _)| name)
        .collect();
    (!popped.is_empty() && uses_as_bitmask(w.body, &popped)).then_some(Cost::EXP)
}

fn branching_worklist(_: &Walker<'_>, w: &WhileFacts<'_>, _: Ctx) -> Option<Cost> {
    (extending_pushes(w.body, &w.tested, &[]) >= 2).then_some(Cost::EXP)
}

/// Gnome sort: forward steps are at most n plus the backward ones, and each backward step
/// removes an inversion.
fn steps_back_swapping(_: &Walker<'_>, w: &WhileFacts<'_>, _: Ctx) -> Option<Cost> {
    crate::static_analysis::syntax::counters::steps_back_swapping(w.body, &w.tested)
        .then_some(Cost::N2)
}

/// Two pointers: an inner while whose counter the enclosing loop never resets moves at most
/// n times in total, so it adds amortised constant work per outer step.
fn forward_pointer(walker: &Walker<'_>, w: &WhileFacts<'_>, ctx: Ctx) -> Option<Cost> {
    if w.stepped.is_empty() || ctx.mult.is_constant() {
        return None;
    }
    let frame = walker.frames.last().expect("frame");
    let reset = w.stepped.iter().any(|name| {
        frame
            .loops
            .assigned
            .last()
            .is_some_and(|names| names.contains(name))
    });
    (!reset).then_some(Cost::ONE)
}

fn between_constants(walker: &Walker<'_>, w: &WhileFacts<'_>, _: Ctx) -> Option<Cost> {
    walker
        .counts_between_constants(w.test, &w.stepped())
        .then_some(Cost::ONE)
}

fn indexed_length(walker: &Walker<'_>, w: &WhileFacts<'_>, _: Ctx) -> Option<Cost> {
    walker.indexed_length(w.test, &w.stepped())
}

/// A bound known to be below n (digits of a number, a square root) stands; an unknown one
/// is taken as n.
fn constant_step(walker: &Walker<'_>, w: &WhileFacts<'_>, _: Ctx) -> Option<Cost> {
    if w.stepped.is_empty() {
        return None;
    }
    let bound = walker.condition_bound(w.test);
    Some(if bound.is_constant() { Cost::N } else { bound })
}

/// `while count[v] > 0: … count[v] -= 1` counts one entry down: as many steps as the
/// entry's value, like `range(count[v])`.
fn counted_down_entry(walker: &Walker<'_>, w: &WhileFacts<'_>, _: Ctx) -> Option<Cost> {
    let table = counted_down_table(w.test, w.body)?;
    walker.lookup(table).map(|v| v.element().size)
}

/// A flood fill with an explicit stack: one item per cell (a constant number per cell when
/// each cell is expanded once), and the grid's sides are input sizes.
fn grid_cells(walker: &Walker<'_>, w: &WhileFacts<'_>, ctx: Ctx) -> Option<Cost> {
    worklist(walker, w, ctx)?;
    crate::static_analysis::syntax::counters::walks_grid_cells(w.body).then_some(Cost::N2)
}

fn worklist(walker: &Walker<'_>, w: &WhileFacts<'_>, _: Ctx) -> Option<Cost> {
    w.tested
        .iter()
        .filter_map(|n| walker.lookup(n))
        .any(|v| v.kind.is_collection())
        .then_some(Cost::N)
}
