//! Containers that grow: one element per iteration of the enclosing loops, a dictionary that
//! gains keys, a collection that doubles by a comprehension over itself.

use std::collections::HashSet;

use ruff_python_ast::comparable::ComparableExpr;
use ruff_python_ast::{Expr, ExprContext, Operator, Stmt};
use ruff_text_size::{Ranged, TextSize};

use crate::static_analysis::domain::rules::Rule;
use crate::static_analysis::syntax::scan::Defs;

use crate::cost::Cost;
use crate::static_analysis::domain::flow::{Ctx, Flow};
use crate::static_analysis::domain::values::{Kind, Val};
use crate::static_analysis::interp::walker::Walker;

impl Walker<'_> {
    /// `res += [s + [x] for s in res]` inside a loop: the collection doubles on every
    /// iteration (all subsets), so it reaches 2^n elements and building it costs as much.
    pub fn doubling(&mut self, target: &Expr, value: &Expr, ctx: Ctx) -> Flow {
        let Expr::Name(n) = target else {
            return Flow::NONE;
        };
        let name = n.id.as_str();
        if ctx.mult.is_constant() {
            return Flow::NONE;
        }
        if !crate::static_analysis::syntax::patterns::comprehends_over(value, name) {
            if !self.joins_two_copies(value, name) {
                return Flow::NONE;
            }
            self.fired.record(Rule::GrowJoinedCopies);
        }
        self.doubles(name, self.line_of(target), ctx)
    }

    /// `codes = first + second` where both parts are `codes` itself or a comprehension over all
    /// of it (directly or through a name bound to one): the result is at least twice as long.
    fn joins_two_copies(&self, value: &Expr, name: &str) -> bool {
        let Expr::BinOp(b) = value else { return false };
        let full_copy = |side: &Expr| match side {
            Expr::Name(s) => {
                s.id.as_str() == name
                    || self
                        .frames
                        .last()
                        .and_then(|f| f.mapped.get(s.id.as_str()))
                        .is_some_and(|over| over == name)
            }
            e => crate::static_analysis::syntax::patterns::mapped_collection(e) == Some(name),
        };
        b.op == Operator::Add && full_copy(&b.left) && full_copy(&b.right)
    }

    /// Remembers `first = [… for c in codes]`: `first` is as long as `codes` until rebound.
    pub fn note_mapped(&mut self, targets: &[Expr], value: &Expr) {
        let [Expr::Name(n)] = targets else { return };
        let over = crate::static_analysis::syntax::patterns::mapped_collection(value);
        let mapped = &mut self.frame().mapped;
        match over {
            Some(over) if over != n.id.as_str() => {
                mapped.insert(n.id.to_string(), over.to_owned());
            }
            _ => {
                mapped.remove(n.id.as_str());
            }
        }
    }

    /// `name` doubles (or more) on every iteration of the enclosing loops: it reaches 2^n
    /// elements, and building it costs as much.
    pub fn doubles(&mut self, name: &str, line: u32, ctx: Ctx) -> Flow {
        let Some(old) = self.lookup(name) else {
            return Flow::NONE;
        };
        self.frame().env.set(
            name,
            Val {
                size: Cost::EXP,
                ..old
            },
        );
        self.allocate(line, Cost::EXP, format_args!("`{name}`"));
        self.contribute(
            line,
            Cost::EXP,
            ctx,
            format!("`{name}` doubles on every iteration: 2^n elements"),
        );
        Flow::of(Cost::EXP)
    }

    /// `s = c + s`, `t = t + (x,)` or `a = a + [x]` in a loop builds a new string, tuple or
    /// list on every pass,
    /// copying all of the old one, which gains at least one element per pass (`s = s + c` is
    /// extended in place, see `appended_string`).
    pub fn concatenation(
        &mut self,
        target: &Expr,
        value: &ruff_python_ast::ExprBinOp,
        val: Val,
        ctx: Ctx,
    ) -> Flow {
        let Expr::Name(n) = target else {
            return Flow::NONE;
        };
        let onto_itself =
            crate::static_analysis::syntax::scan::concatenates_onto(value, n.id.as_str());
        if ctx.mult.is_constant()
            || !onto_itself
            || !matches!(val.kind, Kind::Str | Kind::Tuple | Kind::List)
        {
            return Flow::NONE;
        }
        let name = n.id.as_str();
        let size = val.size.plus(self.growth(name, ctx));
        self.frame().env.set(name, Val { size, ..val });
        let line = self.line_of(target);
        self.allocate(line, size, format_args!("`{name}`"));
        self.contribute(
            line,
            ctx.mult.times(size),
            ctx,
            format!("`{name}` is copied on every pass: {} elements", size.size()),
        );
        Flow::of(size)
    }

    /// `s = s + t` on a string: CPython extends `s` in place, as for `s += t`. Returns `t`.
    pub fn appended_string<'e>(&self, s: &'e ruff_python_ast::StmtAssign) -> Option<&'e Expr> {
        let ([Expr::Name(n)], Expr::BinOp(b)) = (s.targets.as_slice(), s.value.as_ref()) else {
            return None;
        };
        let appends = b.op == ruff_python_ast::Operator::Add
            && matches!(b.left.as_ref(), Expr::Name(l) if l.id == n.id)
            && self
                .lookup(n.id.as_str())
                .is_some_and(|v| v.kind == Kind::Str);
        appends.then_some(b.right.as_ref())
    }

    /// `res.append(row)`: the list holds every appended input-sized string or collection whole,
    /// so its memory is its length times theirs (its elements are not retyped: only space
    /// changes). The digits of a number (`str(x)`) count as one word, and rows of an adjacency
    /// list add up to the input however many are kept.
    pub fn holds_appended(&mut self, container: &Expr, item: Val) {
        let Expr::Name(n) = container else { return };
        if !item.kind.is_collection() || item.kind == Kind::Adjacency || item.storage() < Cost::N {
            return;
        }
        let Some(list) = self.lookup(n.id.as_str()) else {
            return;
        };
        let line = self.line_of(container);
        self.allocate(
            line,
            list.size.times(item.storage()),
            format_args!("`{}`", n.id),
        );
    }

    /// Whether storing into `container[key]` can add an element: it can in a dictionary (a
    /// new key), but in a list or a table of lists it only replaces one.
    /// A store into a parameter of unknown type at a slot the function also reads (`d[i][j] =
    /// min(d[i][j], …)`, `d[i] += 1`) replaces a value: reading a missing slot would have
    /// failed, so the slot exists and nothing is added.
    pub fn updates_in_place(&self, target: &Expr, augmented: bool) -> bool {
        let mut base = target;
        while let Expr::Subscript(s) = base {
            base = &s.value;
        }
        let Expr::Name(n) = base else { return false };
        let frame = self
            .frames
            .last()
            .expect("the module frame is never popped");
        frame.function.is_some()
            && self
                .lookup(n.id.as_str())
                .is_some_and(|v| v.kind == Kind::Unknown)
            && (augmented || frame.read_slots.contains(&target.start()))
    }

    fn store_may_add(&self, container: &Expr) -> bool {
        let mut base = container;
        while let Expr::Subscript(s) = base {
            base = &s.value;
        }
        let Expr::Name(n) = base else { return true };
        !self.lookup(n.id.as_str()).is_some_and(|v| {
            matches!(
                v.kind,
                Kind::List | Kind::Tuple | Kind::Deque | Kind::Adjacency
            )
        })
    }

    /// How many elements a container gains when one is added here: one per iteration of the
    /// enclosing loops, but a container (re)created in a loop's body only gains the iterations
    /// of the loops nested inside that one before it starts over.
    pub fn growth(&self, name: &str, ctx: Ctx) -> Cost {
        let frame = self
            .frames
            .last()
            .expect("the module frame is never popped");
        let created_in = frame
            .loops
            .assigned
            .iter()
            .rposition(|names| names.iter().any(|n| n == name));
        match created_in {
            Some(level) => frame.loops.counts[level + 1..]
                .iter()
                .fold(Cost::ONE, |acc, c| acc.times(*c))
                .min(ctx.mult),
            None => ctx.mult,
        }
    }

    /// The iteration count of the innermost enclosing loop that counts with `index`.
    fn index_bound(&self, index: &str) -> Option<Cost> {
        let loops = &self.frames.last()?.loops;
        let level = loops
            .counters
            .iter()
            .rposition(|c| c.iter().any(|n| n == index))?;
        loops.counts.get(level).copied()
    }

    /// At the entry of a loop (already in the frame's loops) whose body only adds loop
    /// indices to `name` (`rows.add(i)`): how many distinct values those additions can make,
    /// the largest of the indices' loop counts (`space.distinct_indices`).
    pub fn index_cap(&self, body: &[Stmt], name: &str) -> Option<Cost> {
        let starts = crate::static_analysis::syntax::indices::additions(body, name)?;
        let mut cap = None::<Cost>;
        for start in starts {
            let index = self.facts.index_adds.get(&start)?;
            let bound = self.index_bound(index)?;
            cap = Some(cap.map_or(bound, |c| c.max(bound)));
        }
        cap
    }

    /// How many elements the additions to `name` in `body` can add at most when every one of
    /// them is guarded by a mark (see `marks::marked_additions`): the marking tables' size; or
    /// made in a loop dividing down a number (`counters::adds_only_while_dividing`): log n.
    /// Unbounded (the factorial class) otherwise.
    pub fn marked_cap(&self, body: &[Stmt], name: &str) -> (Cost, Rule) {
        let mut tables = Vec::new();
        let mut unmarked = false;
        crate::static_analysis::syntax::scan::any_expr(body, Defs::Skip, |e| {
            if let Expr::Call(c) = e
                && let Some(container @ Expr::Name(n)) =
                    crate::static_analysis::syntax::scan::grown_container(c)
                && n.id.as_str() == name
            {
                match self.facts.marked_additions.get(&container.start()) {
                    Some(table) => tables.push(table.clone()),
                    None => unmarked = true,
                }
            }
            false
        });
        if crate::static_analysis::syntax::counters::adds_only_while_dividing(body, name) {
            return (Cost::LOG, Rule::SpaceDividedOut);
        }
        if unmarked || tables.is_empty() {
            return (Cost::FACTORIAL, Rule::SpaceMarkedAdditions);
        }
        let cap = tables
            .iter()
            .map(|t| {
                self.lookup(t)
                    .filter(|v| v.kind.is_collection())
                    .map_or(Cost::FACTORIAL, |v| v.size)
            })
            .max()
            .unwrap_or(Cost::FACTORIAL);
        (cap, Rule::SpaceMarkedAdditions)
    }

    /// A container gets one more element per iteration of the enclosing loops (`appends`),
    /// or, for a store `c[k] = x`, when `c` is a dictionary that may gain the key.
    pub fn grow(&mut self, container: &Expr, ctx: Ctx, appends: bool) {
        if !appends && !self.store_may_add(container) {
            return;
        }
        let line = self.line_of(container);
        match container {
            // `obj.items.append(x)` grows the attribute of that instance. Appends through
            // instances kept in a container (`nodes[u].kids.append(v)`) are spread over
            // them, like the rows of an adjacency list, and are not added up.
            Expr::Attribute(a) if matches!(a.value.as_ref(), Expr::Name(_)) => {
                let Some(name) = crate::static_analysis::syntax::patterns::dotted(container) else {
                    return;
                };
                let Some(old) = self.lookup(&name) else {
                    return;
                };
                if !old.kind.is_collection() || !appends && old.kind != Kind::Dict {
                    return;
                }
                let size = old.size.plus(self.growth(&name, ctx));
                let grown = Val { size, ..old };
                self.set_value(&name, grown);
                self.allocate(line, grown.storage(), format_args!("`{name}`"));
            }
            Expr::Name(n) => {
                let name = n.id.as_str();
                let Some(old) = self.lookup(name) else { return };
                let mut added = self.growth(name, ctx);
                // Added only under a mark set in the same branch: at most once per entry of
                // the marking table (a BFS over an adjacency matrix queues each vertex once).
                if appends
                    && let Some(table) = self.facts.marked_additions.get(&container.start())
                    && let Some(marks) = self.lookup(table)
                    && marks.kind.is_collection()
                {
                    if marks.size < added {
                        self.fired.record(Rule::SpaceMarkedAdditions);
                    }
                    added = added.min(marks.size);
                }
                // `rows.add(i)` with `i` a loop's index: at most that loop's count of values.
                if appends
                    && let Some(index) = self.facts.index_adds.get(&container.start())
                    && let Some(bound) = self.index_bound(index)
                    && bound < added
                {
                    self.fired.record(Rule::SpaceDistinctIndices);
                    added = bound;
                }
                let size = old.size.plus(added);
                let grown = Val { size, ..old };
                self.frame().env.set(name, grown);
                self.allocate(line, grown.storage(), format_args!("`{name}`"));
            }
            Expr::Subscript(s) => {
                // `g[u].append(v)`: the rows of `g` add up to the number of appends. A store
                // into a row (`d[j][r] = x`) only grows the total.
                if let Expr::Name(n) = s.value.as_ref() {
                    if !appends {
                        let total = self
                            .lookup(n.id.as_str())
                            .map_or(ctx.mult, |v| v.storage().plus(ctx.mult));
                        self.allocate(line, total, format_args!("`{}`", n.id));
                        return;
                    }
                    let name = n.id.as_str();
                    let Some(old) = self.lookup(name) else { return };
                    // Rows of a table created inside a loop start over on each of its passes.
                    let total = old.size.plus(self.growth(name, ctx));
                    let adjacency = Val {
                        kind: crate::static_analysis::domain::values::Kind::Adjacency,
                        size: old.size,
                        elem: old.elem,
                        nested: true,
                        elem_kind: row_kind(old.elem_kind),
                        read: false,
                    };
                    self.frame().env.set(name, adjacency);
                    self.allocate(line, total, format_args!("`{name}`"));
                }
            }
            _ => {}
        }
    }
}

/// The start of each subscript store in the block whose slot the block also reads.
pub fn read_slots(body: &[Stmt], out: &mut HashSet<TextSize>) {
    let (mut loads, mut stores) = (Vec::new(), Vec::new());
    crate::static_analysis::syntax::scan::any_expr(body, Defs::Skip, |e| {
        if let Expr::Subscript(s) = e {
            if s.ctx == ExprContext::Store {
                stores.push(e);
            } else {
                loads.push(ComparableExpr::from(e));
            }
        }
        false
    });
    out.extend(
        stores
            .into_iter()
            .filter(|e| loads.contains(&ComparableExpr::from(*e)))
            .map(Ranged::start),
    );
}

/// The kind of the rows of an adjacency structure: sets stay sets (membership hashes), anything
/// else is a list.
fn row_kind(
    elem_kind: crate::static_analysis::domain::values::Kind,
) -> crate::static_analysis::domain::values::Kind {
    use crate::static_analysis::domain::values::Kind;
    if matches!(elem_kind, Kind::Set | Kind::Dict) {
        elem_kind
    } else {
        Kind::List
    }
}
