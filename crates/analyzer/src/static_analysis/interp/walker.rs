//! The walk over statements: sequence takes the maximum, nesting multiplies, branches take the
//! worse side. Expressions, calls, loops and recursion live in sibling modules.

use std::collections::{HashMap, HashSet};

use ruff_python_ast::{Expr, Operator, Stmt};
use ruff_text_size::Ranged;

use crate::cost::Cost;
use crate::error::Result;
pub use crate::static_analysis::domain::flow::{Contribution, Ctx, Flow, RecSite, Shrink};
use crate::static_analysis::domain::rules::Rule;
use crate::static_analysis::domain::values::{Env, Kind, Val};
use crate::static_analysis::syntax::lines::LineIndex;
use crate::static_analysis::syntax::patterns::capped_names;

use crate::static_analysis::domain::budget::Budget;
use crate::static_analysis::facts::ProgramFacts;

/// `if …: … return …` with no `else`.
fn returns_early(stmt: &Stmt) -> bool {
    matches!(stmt, Stmt::If(s) if s.elif_else_clauses.is_empty()
        && matches!(s.body.last(), Some(Stmt::Return(_))))
}

/// Whether a block always ends by leaving: `continue`, `break`, `return`, `raise`, `exit()`.
fn leaves(body: &[Stmt]) -> bool {
    match body.last() {
        Some(Stmt::Continue(_) | Stmt::Break(_) | Stmt::Return(_) | Stmt::Raise(_)) => true,
        Some(Stmt::Expr(e)) => matches!(e.value.as_ref(), Expr::Call(c)
            if matches!(crate::static_analysis::syntax::literals::callee_name(c).as_str(), "exit" | "quit")),
        _ => false,
    }
}

/// The analysis state of one function body (or the module).
#[derive(Debug, Default)]
pub struct Frame {
    pub function: Option<String>,
    pub env: Env,
    pub space: Cost,
    pub space_line: Option<(u32, String)>,
    pub contributions: Vec<Contribution>,
    pub rec_sites: Vec<RecSite>,
    pub returned: Option<Val>,
    /// The loops around the current statement.
    pub loops: LoopNest,
    pub uncertain: u32,
    /// In a method: the parameter holding the instance, and its class.
    pub receiver: Option<(String, usize)>,
    /// Tables the function stores into (see `tables::stored_tables`).
    pub stored_tables: HashSet<String>,
    /// Names the function declares `global`: binding one binds the module's variable.
    pub globals: Vec<String>,
    /// Names bound to a comprehension over all of another collection (see `growth::note_mapped`).
    pub mapped: rustc_hash::FxHashMap<String, String>,
    /// Where the function stores into a slot it also reads (see `growth::read_slots`).
    pub read_slots: HashSet<ruff_text_size::TextSize>,
}

/// The loops enclosing the current statement of a function, innermost last.
#[derive(Debug, Default)]
pub struct LoopNest {
    /// Names assigned in the bodies of the enclosing loops, outside their own inner loops.
    pub assigned: Vec<Vec<String>>,
    /// Counters of the enclosing loops: `for` targets and names a `while` body steps.
    pub counters: Vec<Vec<String>>,
    /// The iteration counts of the same enclosing loops.
    pub counts: Vec<Cost>,
    /// Containers an enclosing loop fills only with elements it marks (`marks::filled_once`),
    /// with the depth of that loop's body.
    pub filled_once: Vec<(String, usize)>,
    /// How many times the enclosing loops had run where each name was last assigned.
    pub assigned_at: rustc_hash::FxHashMap<String, Cost>,
}

/// What is known about a user function once its body has been analysed.
#[derive(Debug, Clone)]
pub struct Summary {
    /// What one call costs when nothing has been memoised yet, shared work included.
    pub time: Cost,
    /// What one call costs once memo tables that outlive it are counted in `shared`.
    pub per_call: Cost,
    /// Work done once in total however often the function is called: the states of a
    /// memoised function (its own or a callee's), each computed once.
    pub shared: Cost,
    /// The memo table `shared` relies on: a call inside a loop that recreates the table pays
    /// `time` on every iteration.
    pub memo_table: Option<String>,
    pub space: Cost,
    pub returned: Val,
    pub contributions: Vec<Contribution>,
    pub recursion: Option<String>,
    pub uncertain: u32,
}

pub struct Walker<'a> {
    pub lines: &'a LineIndex,
    /// What the whole program is made of, gathered before the walk.
    pub facts: ProgramFacts<'a>,
    pub summaries: rustc_hash::FxHashMap<String, Summary>,
    /// The containers each called function adds to that its callers see (see
    /// `recursion::globals_grown_in`), by summary key.
    pub grown_globals: HashMap<String, Vec<(String, bool)>>,
    pub frames: Vec<Frame>,
    /// User classes, their methods and attributes.
    pub classes: crate::static_analysis::interp::classes::Classes<'a>,
    /// `f = lambda x: …` bound at module level or in a function.
    pub lambdas: HashMap<String, &'a ruff_python_ast::ExprLambda>,
    pub notes: Vec<String>,
    /// How often each named rule decided something (see `rules`).
    pub fired: crate::static_analysis::domain::rules::Firings,
    pub budget: Budget,
}

impl<'a> Walker<'a> {
    /// A walker over a program with these facts; its classes are registered, and methods
    /// that read or write join the facts' readers and writers.
    pub fn new(lines: &'a LineIndex, facts: ProgramFacts<'a>) -> Walker<'a> {
        let mut classes = crate::static_analysis::interp::classes::Classes::default();
        for class in &facts.classes {
            classes.register(class);
        }
        let module = Frame {
            stored_tables: facts.stored_tables.clone(),
            ..Frame::default()
        };
        let mut walker = Walker {
            lines,
            facts,
            summaries: Default::default(),
            grown_globals: HashMap::new(),
            classes,
            frames: vec![module],
            lambdas: HashMap::new(),
            notes: Vec::new(),
            fired: Default::default(),
            budget: Budget::new(),
        };
        let defs: Vec<_> = walker
            .facts
            .funcs
            .values()
            .copied()
            .chain(walker.classes.methods())
            .collect();
        walker.facts.find_readers_and_writers(&defs);
        walker
    }

    pub fn frame(&mut self) -> &mut Frame {
        self.frames
            .last_mut()
            .expect("the module frame is never popped")
    }

    pub fn line_of(&self, node: &impl Ranged) -> u32 {
        self.lines.line(node.start())
    }

    /// Looks a name up in the current function, then in the module.
    /// A name's value: the current function's, then the module's, then that of a calling
    /// function (a nested function sees its enclosing function's variables, and it is only
    /// called from there).
    pub fn lookup(&self, name: &str) -> Option<Val> {
        // `self.tree`: an attribute of an instance (see `patterns::collect_names`).
        if let Some((owner, attr)) = name.split_once('.') {
            return self.lookup(owner).and_then(|v| self.attribute_of(v, attr));
        }
        let current = self.frames.last().and_then(|f| f.env.get(name));
        current
            .or_else(|| self.frames.first().and_then(|f| f.env.get(name)))
            .or_else(|| self.frames.iter().rev().find_map(|f| f.env.get(name)))
    }

    /// Sets a variable, or an attribute of an instance (`self.size`).
    pub fn set_value(&mut self, name: &str, val: Val) {
        match name.split_once('.') {
            Some((owner, attr)) => {
                if let Some(Kind::Object(c)) = self.lookup(owner).map(|v| v.kind) {
                    self.classes.set_attribute(usize::from(c), attr, val);
                }
            }
            None => self.frame().env.set(name, val),
        }
    }

    /// Binds a variable of the current function, or of the module when the function declares
    /// it `global`.
    fn bind(&mut self, name: &str, val: Val) {
        let frame = self.frame();
        frame.env.set(name, val);
        if frame.globals.iter().any(|g| g == name) {
            self.frames[0].env.set(name, val);
        }
    }

    /// Whether a loop around the current statement (re)assigns `name`.
    pub fn assigned_in_loop(&self, name: &str) -> bool {
        self.frames
            .last()
            .is_some_and(|f| f.loops.assigned.iter().flatten().any(|n| n == name))
    }

    /// Counts one visited node and enforces the depth and time budgets.
    pub fn enter(&mut self) -> Result<()> {
        self.budget.enter()
    }

    pub fn leave(&mut self) {
        self.budget.leave();
    }

    pub fn contribute(&mut self, line: u32, cost: Cost, ctx: Ctx, reason: String) {
        if cost.is_constant() {
            return;
        }
        self.frame().contributions.push(Contribution {
            line,
            cost,
            depth: ctx.depth,
            reason,
        });
    }

    /// Records memory held at a line: the frame's space is the largest such amount.
    /// `what` is only written out when the amount is the largest so far.
    pub fn allocate(&mut self, line: u32, amount: Cost, what: impl std::fmt::Display) {
        let frame = self.frame();
        if amount > frame.space {
            frame.space = amount;
            frame.space_line = Some((line, what.to_string()));
        }
    }

    pub fn block(&mut self, body: &'a [Stmt], ctx: Ctx) -> Result<Flow> {
        let mut flow = Flow::NONE;
        // Calls made in a guard that returns (`if …: return f(…)`) are an alternative to the
        // rest of the block, not in addition to it.
        let mut alternative_calls = 0;
        for stmt in body {
            let f = self.stmt(stmt, ctx)?;
            // After `if n > 31: continue`, n is at most 31.
            if let Stmt::If(s) = stmt
                && s.elif_else_clauses.is_empty()
                && leaves(&s.body)
            {
                let mut capped = Vec::new();
                capped_names(&s.test, true, &mut capped);
                self.cap(&capped);
            }
            if returns_early(stmt) {
                alternative_calls = alternative_calls.max(flow.calls.saturating_add(f.calls));
                flow = flow.then(Flow { calls: 0, ..f });
            } else {
                flow = flow.then(f);
            }
        }
        flow.calls = flow.calls.max(alternative_calls);
        Ok(flow)
    }

    fn stmt(&mut self, stmt: &'a Stmt, ctx: Ctx) -> Result<Flow> {
        self.enter()?;
        let flow = self.stmt_inner(stmt, ctx);
        self.leave();
        flow
    }

    fn stmt_inner(&mut self, stmt: &'a Stmt, ctx: Ctx) -> Result<Flow> {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::Import(_) | Stmt::ImportFrom(_) => Ok(Flow::NONE),
            Stmt::ClassDef(c) => self.class_attributes(c, ctx),
            Stmt::Assign(s) => {
                if let [Expr::Name(n)] = s.targets.as_slice()
                    && let Some(reader) = self.reader_named(&s.value)
                {
                    // `rl = sys.stdin.readline`: a call of `rl()` reads a line.
                    self.facts.aliases.insert(n.id.to_string(), reader);
                    self.facts.readers.push(n.id.as_str());
                    return Ok(Flow::NONE);
                }
                if let (Expr::Lambda(l), [Expr::Name(n)]) = (s.value.as_ref(), s.targets.as_slice())
                {
                    self.lambdas.insert(n.id.to_string(), l);
                    return Ok(Flow::NONE);
                }
                if let Some(added) = self.appended_string(s) {
                    let (flow, val) = self.expr(added, ctx)?;
                    return Ok(flow.then(self.augment(&s.targets[0], Operator::Add, val, ctx)?));
                }
                let (mut flow, val) = self.expr(&s.value, ctx)?;
                // A fixed-size record read from the input (see `scan::record_names`): sorting
                // or copying it as it is read is constant work.
                if val.read
                    && val.kind.is_collection()
                    && matches!(s.targets.as_slice(), [Expr::Name(n)] if self.facts.records.contains(n.id.as_str()))
                {
                    flow.time = Cost::ONE;
                }
                for target in &s.targets {
                    flow = flow.then(self.assign(target, val, &s.value, ctx)?);
                }
                self.note_mapped(&s.targets, &s.value);
                // `res = res + [… for s in res]` grows; `a = [… for x in a]` only maps or
                // filters.
                if let ([target], Expr::BinOp(b)) = (s.targets.as_slice(), s.value.as_ref())
                    && b.op == ruff_python_ast::Operator::Add
                {
                    flow = flow.then(self.concatenation(target, b, val, ctx));
                    flow = flow.then(self.doubling(target, &s.value, ctx));
                }
                if let [Expr::Name(n)] = s.targets.as_slice()
                    && !ctx.mult.is_constant()
                    && crate::static_analysis::syntax::patterns::branches_over(
                        &s.value,
                        n.id.as_str(),
                    )
                {
                    flow = flow.then(self.doubles(n.id.as_str(), self.line_of(n), ctx));
                }
                Ok(flow)
            }
            Stmt::AnnAssign(s) => match &s.value {
                Some(value) => {
                    let (flow, val) = self.expr(value, ctx)?;
                    Ok(flow.then(self.assign(&s.target, val, value, ctx)?))
                }
                None => Ok(Flow::NONE),
            },
            Stmt::AugAssign(s) => {
                let (flow, val) = self.expr(&s.value, ctx)?;
                let mut flow = flow.then(self.augment(&s.target, s.op, val, ctx)?);
                if s.op == ruff_python_ast::Operator::Add {
                    flow = flow.then(self.doubling(&s.target, &s.value, ctx));
                }
                Ok(flow)
            }
            Stmt::Expr(s) => {
                let flow = self.expr(&s.value, ctx)?.0;
                // `res.extend([r + [x] for r in res])` doubles like `res += …`.
                if let Expr::Call(c) = s.value.as_ref()
                    && let (Expr::Attribute(a), [arg]) = (c.func.as_ref(), &*c.arguments.args)
                    && a.attr.as_str() == "extend"
                {
                    return Ok(flow.then(self.doubling(&a.value, arg, ctx)));
                }
                Ok(flow)
            }
            Stmt::Return(s) => match &s.value {
                Some(value) => {
                    let (flow, val) = self.expr(value, ctx)?;
                    let frame = self.frame();
                    frame.returned = Some(match frame.returned {
                        Some(old) if old.storage() >= val.storage() => old,
                        _ => val,
                    });
                    Ok(flow)
                }
                None => Ok(Flow::NONE),
            },
            Stmt::Delete(s) => self.exprs(&s.targets, ctx),
            Stmt::For(s) => self.for_loop(s, ctx),
            Stmt::While(s) => self.while_loop(s, ctx),
            Stmt::If(s) => {
                let test = self.expr(&s.test, ctx)?.0;
                let mut capped = Vec::new();
                capped_names(&s.test, false, &mut capped);
                let saved = self.cap(&capped);
                let worst = self.branch(&s.body, ctx);
                self.restore(saved);
                let mut worst = worst?;
                for clause in &s.elif_else_clauses {
                    let mut branch = Flow::NONE;
                    if let Some(t) = &clause.test {
                        branch = self.expr(t, ctx)?.0;
                    }
                    worst = worst.either(branch.then(self.branch(&clause.body, ctx)?));
                }
                Ok(test.then(worst))
            }
            Stmt::With(s) => {
                let mut flow = Flow::NONE;
                for item in &s.items {
                    flow = flow.then(self.expr(&item.context_expr, ctx)?.0);
                }
                Ok(flow.then(self.block(&s.body, ctx)?))
            }
            Stmt::Try(s) => {
                let mut flow = self.block(&s.body, ctx)?;
                for handler in &s.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(h) = handler;
                    flow = flow.either(self.block(&h.body, ctx)?);
                }
                flow = flow.then(self.block(&s.orelse, ctx)?);
                Ok(flow.then(self.block(&s.finalbody, ctx)?))
            }
            Stmt::Match(s) => {
                let mut flow = self.expr(&s.subject, ctx)?.0;
                for case in &s.cases {
                    flow = flow.either(self.block(&case.body, ctx)?);
                }
                Ok(flow)
            }
            Stmt::Raise(_)
            | Stmt::Assert(_)
            | Stmt::Global(_)
            | Stmt::Nonlocal(_)
            | Stmt::Pass(_)
            | Stmt::Break(_)
            | Stmt::Continue(_)
            | Stmt::TypeAlias(_)
            | Stmt::IpyEscapeCommand(_) => Ok(Flow::NONE),
        }
    }

    /// A branch of an `if`; inside a loop, one that ends by leaving it runs only once.
    fn branch(&mut self, body: &'a [Stmt], ctx: Ctx) -> Result<Flow> {
        let leaves = matches!(
            body.last(),
            Some(Stmt::Break(_) | Stmt::Return(_) | Stmt::Raise(_))
        );
        if leaves && ctx.depth > 0 {
            let once = Ctx {
                mult: ctx.outer,
                ..ctx
            };
            return Ok(self.block(body, once)?.exiting());
        }
        self.block(body, ctx)
    }

    pub fn exprs(&mut self, exprs: &[Expr], ctx: Ctx) -> Result<Flow> {
        let mut flow = Flow::NONE;
        for e in exprs {
            flow = flow.then(self.expr(e, ctx)?.0);
        }
        Ok(flow)
    }

    /// Binds a target to a value; subscript stores grow their container. Returns the cost of
    /// evaluating the target (an index or slice expression).
    pub fn assign(&mut self, target: &Expr, val: Val, value: &Expr, ctx: Ctx) -> Result<Flow> {
        let mut flow = Flow::NONE;
        match target {
            Expr::Name(n) => {
                let line = self.line_of(target);
                let val = if val.read
                    && val.kind.is_collection()
                    && self.facts.records.contains(n.id.as_str())
                {
                    Val {
                        size: Cost::ONE,
                        ..val
                    }
                } else {
                    val
                };
                if val.kind.is_collection() && !val.storage().is_constant() {
                    self.allocate(line, val.storage(), format_args!("`{}`", n.id));
                }
                self.link_instances(n.id.as_str(), &val, value, ctx, line);
                self.bind(n.id.as_str(), val);
                self.frame()
                    .loops
                    .assigned_at
                    .insert(n.id.to_string(), ctx.mult);
            }
            Expr::Tuple(t) => {
                let parts: Option<&[Expr]> = match value {
                    Expr::Tuple(v) if v.elts.len() == t.elts.len() => Some(&v.elts),
                    Expr::List(v) if v.elts.len() == t.elts.len() => Some(&v.elts),
                    _ => None,
                };
                for (i, elt) in t.elts.iter().enumerate() {
                    let part = match parts {
                        Some(p) => self.expr(&p[i], ctx)?.1,
                        None => val.element(),
                    };
                    flow = flow.then(self.assign(elt, part, value, ctx)?);
                }
            }
            Expr::List(t) => {
                for elt in &t.elts {
                    flow = flow.then(self.assign(elt, val.element(), value, ctx)?);
                }
            }
            // `a[:] = b` replaces the whole content with a copy of `b`.
            Expr::Subscript(s)
                if matches!(s.slice.as_ref(), Expr::Slice(sl) if sl.lower.is_none() && sl.upper.is_none())
                    && val.kind.is_collection() =>
            {
                flow = flow.then(Flow::of(val.size));
                flow = flow.then(self.assign(&s.value, val, value, ctx)?);
            }
            Expr::Subscript(s) => {
                flow = flow.then(self.expr(&s.slice, ctx)?.0);
                if !self.updates_in_place(target, false) {
                    self.grow(&s.value, ctx, false);
                }
            }
            Expr::Starred(s) => flow = flow.then(self.assign(&s.value, val, value, ctx)?),
            Expr::Attribute(a) => {
                // `tail.next = node` in a loop links an instance into a structure that
                // outlives the pass (a linked list or tree built node by node): one instance
                // per pass stays alive.
                if matches!(val.kind, Kind::Object(_)) && !ctx.mult.is_constant() {
                    let line = self.line_of(target);
                    self.allocate(line, ctx.mult, "linked instances");
                    self.fired.record(Rule::SpaceLinkedInstances);
                }
                self.assign_attribute(target, &a.value, a.attr.as_str(), val);
            }
            _ => {}
        }
        Ok(flow)
    }

    fn augment(&mut self, target: &Expr, op: Operator, val: Val, ctx: Ctx) -> Result<Flow> {
        if let Expr::Name(n) = target {
            let name = n.id.as_str();
            if let Some(old) = self.lookup(name)
                && old.kind == Kind::Int
                && op == Operator::Add
                && val.kind == Kind::Int
                && val.size.is_constant()
            {
                // A counter (`c += 1`) is at most the number of times its line runs since
                // the counter was last set.
                let since = self.frame().loops.assigned_at.get(name).copied();
                let counted = Val {
                    size: old.size.max(ctx.mult.per(since.unwrap_or(Cost::ONE))),
                    ..old
                };
                self.bind(name, counted);
            } else if let Some(old) = self.lookup(name)
                && old.kind.is_collection()
                && (val.kind.is_collection() || old.kind == Kind::Str && op == Operator::Add)
            {
                // `a += [x]` or `s += t` in a loop grows the container and copies what is
                // added (what was read is part of reading). Only a string can be added to a
                // string, so `s += ch` with `ch` of unknown kind extends `s` too.
                let added = if val.kind.is_collection() {
                    val.size
                } else {
                    Cost::ONE
                };
                if old.kind == Kind::Str && !ctx.mult.is_constant() {
                    self.fired.record(Rule::SpaceStringExtended);
                }
                let grown = old.size.plus(self.growth(name, ctx).times(added));
                let line = self.line_of(target);
                self.bind(name, Val { size: grown, ..old });
                self.allocate(line, grown, format_args!("`{name}`"));
                return Ok(Flow::of(if val.read { Cost::ONE } else { added }));
            }
        } else if let Expr::Subscript(s) = target {
            let flow = self.expr(&s.slice, ctx)?.0;
            if !self.updates_in_place(target, true) {
                self.grow(&s.value, ctx, false);
            }
            return Ok(flow);
        }
        Ok(Flow::NONE)
    }

    /// Numbers a condition caps by a small literal are constant-sized while it holds. Returns
    /// what they were, for `restore`.
    fn cap(&mut self, names: &[String]) -> Vec<(String, Val)> {
        let mut saved = Vec::new();
        for name in names {
            if let Some(old) = self.lookup(name)
                && old.kind == Kind::Int
            {
                saved.push((name.clone(), old));
                self.frame().env.set(name, Val::int(Cost::ONE));
            }
        }
        saved
    }

    /// Undoes `cap` for the names the capped block did not reassign.
    fn restore(&mut self, saved: Vec<(String, Val)>) {
        for (name, val) in saved {
            if self.frame().env.get(&name) == Some(Val::int(Cost::ONE)) {
                self.frame().env.set(&name, val);
            }
        }
    }
}
