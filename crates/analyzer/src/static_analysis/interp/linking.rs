//! Instances kept alive by being linked into a structure in a loop (`space.linked_instances`):
//! which bindings keep what a call made, and what a generator hands out.

use ruff_python_ast::Expr;

use crate::static_analysis::domain::flow::Ctx;
use crate::static_analysis::domain::rules::Rule;
use crate::static_analysis::domain::values::{Kind, Val};
use crate::static_analysis::interp::walker::Walker;
use crate::static_analysis::syntax::{handouts, patterns, scan};

impl Walker<'_> {
    /// Charges one kept instance per pass when binding `name` in a loop links a new instance
    /// to the structure `name` already holds:
    /// - `head = Node(x, head)`: a constructor receiving the name it is assigned to;
    /// - `root = insert(root, k)`: a user function receiving the name, that constructs an
    ///   instance and returns it or stores it into an attribute (under a node of the
    ///   structure). `cur = step(cur)` constructs nothing and keeps nothing.
    pub fn link_instances(&mut self, name: &str, val: &Val, value: &Expr, ctx: Ctx, line: u32) {
        if ctx.mult.is_constant() || !patterns::passes_itself(value, name) {
            return;
        }
        let Some(called) = scan::callee(value) else {
            return;
        };
        let constructor =
            matches!(val.kind, Kind::Object(_)) && self.classes.named(called).is_some();
        let classes = &self.classes;
        let hands_out = matches!(value, Expr::Call(c) if matches!(c.func.as_ref(), Expr::Name(_)))
            && self.classes.named(called).is_none()
            && self.facts.funcs.get(called).is_some_and(|def| {
                handouts::hands_out_new_instance(def, |c| classes.named(c).is_some())
            });
        if constructor || hands_out {
            self.allocate(line, ctx.mult, "linked instances");
            self.fired.record(if constructor {
                Rule::SpaceLinkedInstances
            } else {
                Rule::SpaceHandedOutInstances
            });
        }
    }
}

impl Walker<'_> {
    /// `yield seq[i:i + k]`: a collection a generator builds and hands out stays alive while
    /// the consumer holds it (a window, a chunk), one at a time or all of them when collected
    /// (`list(gen())`): the generator's space is at least one of them (`space.yielded_copy`).
    pub fn hold_yielded(&mut self, value: &Expr, val: Val) {
        if patterns::builds_collection(value)
            && val.kind.is_collection()
            && !val.read
            && !val.storage().is_constant()
        {
            self.fired.record(Rule::SpaceYieldedCopy);
            let line = self.line_of(value);
            self.allocate(line, val.storage(), "the collection it yields");
        }
    }
}
