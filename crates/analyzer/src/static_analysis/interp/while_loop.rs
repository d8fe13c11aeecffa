//! `while` loops: test cases, instance containers drained over calls, and the trip count the
//! bound rules give (`bounds`).

use std::collections::HashSet;

use ruff_python_ast::{Expr, Operator, Stmt, StmtWhile};

use crate::cost::Cost;
use crate::error::Result;
use crate::static_analysis::domain::rules::Rule;
use crate::static_analysis::domain::values::{Kind, Val};
use crate::static_analysis::interp::loops::{has_nested_work, times_words};
use crate::static_analysis::interp::walker::{Ctx, Flow, Walker};
use crate::static_analysis::syntax::literals::is_small_constant;
use crate::static_analysis::syntax::patterns::{
    Update, collect_names, collect_updates, exits_at_once,
};

impl<'a> Walker<'a> {
    pub fn while_loop(&mut self, s: &'a StmtWhile, ctx: Ctx) -> Result<Flow> {
        let (test_flow, _) = self.expr(&s.test, ctx)?;
        // In a method, a loop that removes an element of a container the instance keeps
        // between calls runs at most as often, over all calls, as elements were added: it is
        // amortised against the additions (and the container's initial contents, shared).
        let drains = self.drains_instance(&s.body);
        let (mut count, rule) = if drains {
            (Cost::ONE, Rule::WhileDrainsInstance)
        } else if self.counts_down_cases(s) {
            (Cost::ONE, Rule::WhileTestCases)
        } else {
            self.while_count(s, ctx)
        };
        self.fired.record(rule);
        let why = rule.reason();
        if exits_at_once(&s.body) {
            count = Cost::ONE;
            self.fired.record(Rule::WhileExitsAtOnce);
        }
        let line = self.line_of(s);
        let mut updates = Vec::new();
        crate::static_analysis::syntax::patterns::collect_updates(&s.body, &mut updates);
        let counters = updates
            .into_iter()
            .filter(|(_, u)| matches!(u, crate::static_analysis::syntax::patterns::Update::Step))
            .map(|(name, _)| name)
            .collect();
        // Divided down over all passes of the enclosing loops, the body runs log n times in
        // total: what it adds to a container (`factors.append(d)`) is charged at that total.
        let body_ctx = if rule == Rule::WhileKeptShrinking {
            Ctx {
                mult: Cost::LOG,
                ..ctx
            }
        } else {
            ctx
        };
        let body = self.loop_body(&s.body, body_ctx, count, counters)?;
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
    pub fn grow_to_bound(&mut self, s: &StmtWhile) {
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

    /// `while t: t -= 1` (or `while t > 0`) where `t` was read with `int(input())`, around a
    /// body that reads and answers: the same independent test cases as `for _ in range(t)`.
    pub fn counts_down_cases(&self, s: &StmtWhile) -> bool {
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
            && crate::static_analysis::syntax::scan::calls_any(&s.body, &self.facts.readers)
            && (crate::static_analysis::syntax::scan::calls_any_staying(
                &s.body,
                &self.facts.writers,
            ) || crate::static_analysis::syntax::scan::appends_answer(
                &s.body,
                &self.facts.readers,
            ) && has_nested_work(&s.body))
    }
}
