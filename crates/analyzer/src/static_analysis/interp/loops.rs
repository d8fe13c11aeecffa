//! What `for` and `while` loops share: walking a body inside the loop nest, with the names it
//! assigns and the containers it grows, and early exits. The trip counts are in `for_loop`,
//! `while_loop` and `bounds`.

use std::collections::HashSet;

use ruff_python_ast::{Expr, Operator, Stmt};

use crate::cost::Cost;
use crate::error::Result;
use crate::static_analysis::domain::rules::Rule;
use crate::static_analysis::domain::values::Val;
use crate::static_analysis::interp::walker::{Ctx, Flow, Walker};
use crate::static_analysis::syntax::patterns::collect_assigned;

impl<'a> Walker<'a> {
    pub fn loop_body(
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
        let grown: Vec<String> = crate::static_analysis::syntax::scan::grown_names(body)
            .into_iter()
            .filter(|name| !assigned.contains(name))
            .collect();
        // A collection concatenated onto itself (`a = a + [x]`) is grown, not recreated.
        let concatenated = crate::static_analysis::syntax::scan::concatenated_names(body);
        assigned.retain(|name| {
            !concatenated.contains(name)
                || !self.lookup(name).is_some_and(|v| v.kind.is_collection())
        });
        // `j = i; while …: j += 1; i = j`: the loop restarts `j` where it stopped, so it is
        // kept, not reset (grouping runs). A `for` target `i` is rebound each pass instead.
        let caught_up = catches_up(body, &counters);
        assigned.retain(|name| !caught_up.contains(name));
        self.frame().loops.assigned.push(assigned);
        self.frame().loops.counters.push(counters);
        self.frame().loops.counts.push(count);
        let depth = self.frame().loops.counts.len();
        let once = crate::static_analysis::syntax::marks::filled_once(body);
        let before = self.frame().loops.filled_once.len();
        self.frame()
            .loops
            .filled_once
            .extend(once.into_iter().map(|name| (name, depth)));
        let inner = ctx.inside(count);
        for name in grown {
            if let Some(old) = self.lookup(&name)
                && old.kind.is_collection()
            {
                let growth = self.growth(&name, inner);
                let (mut cap, mut rule) = self.marked_cap(body, &name);
                if let Some(indices) = self.index_cap(body, &name)
                    && indices < cap
                {
                    (cap, rule) = (indices, Rule::SpaceDistinctIndices);
                }
                if cap < growth {
                    self.fired.record(rule);
                }
                let size = old.size.plus(growth.min(cap));
                self.frame().env.set(&name, Val { size, ..old });
            }
        }
        let flow = self.block(body, inner);
        self.frame().loops.filled_once.truncate(before);
        self.frame().loops.counters.pop();
        self.frame().loops.assigned.pop();
        self.frame().loops.counts.pop();
        flow
    }
}

/// Pointers `j` that a loop body starts from its own pointer (`j = i`), advances in an inner
/// `while`, and then moves its pointer to (`i = j` or `i = j + 1`): `j` never goes back. The
/// loop's own counters (a `for` target) do not count as such a pointer.
pub fn catches_up(body: &[Stmt], counters: &[String]) -> Vec<String> {
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
pub fn pops_every_pass(body: &[Stmt], name: &str) -> bool {
    let names = HashSet::from([name.to_owned()]);
    body.iter().any(|stmt| {
        matches!(stmt, Stmt::Assign(_) | Stmt::Expr(_))
            && crate::static_analysis::syntax::scan::pops_from(std::slice::from_ref(stmt), &names)
    })
}

/// Whether a block contains a loop: per-case work whose answer is collected, as opposed to a
/// loop that only reads records into a list.
pub fn has_nested_work(body: &[Stmt]) -> bool {
    body.iter().any(|s| match s {
        Stmt::For(_) | Stmt::While(_) => true,
        Stmt::If(i) => {
            has_nested_work(&i.body) || i.elif_else_clauses.iter().any(|c| has_nested_work(&c.body))
        }
        _ => false,
    })
}

/// Whether the body has an `if` whose branch leaves the loop.
pub fn leaves_early(body: &[Stmt]) -> bool {
    let mut conditions = Vec::new();
    crate::static_analysis::syntax::patterns::exit_conditions(body, &mut conditions);
    !conditions.is_empty()
}

/// "n times", "log n times", or "a fixed number of times".
pub fn times_words(count: Cost) -> String {
    if count.is_constant() {
        "a fixed number of times".to_owned()
    } else {
        format!("{} times", count.size())
    }
}
