//! Function summaries: a function's body is analysed once, with its parameters taken as
//! input-sized; calls of itself are counted and solved (master theorem, subtract-and-conquer,
//! memoisation, graph traversal, backtracking).

use std::collections::HashSet;

use ruff_python_ast::{CmpOp, Expr, ExprCall, Stmt, StmtFunctionDef, UnaryOp};

use super::memo::{Memo, flag_parameters, memoisation, passes_chosen_items};
use super::patterns::uses_as_bitmask;
use super::values::{Kind, Val};
use super::walker::{Ctx, Frame, RecSite, Shrink, Summary, Walker};
use crate::cost::Cost;
use crate::error::Result;

/// Memoised functions are charged this many input-sized parameters at most.
const MAX_MEMO_DIMENSIONS: u32 = 3;

impl<'a> Walker<'a> {
    /// The summary of a user function, computing it on first use.
    pub fn summary(&mut self, name: &str) -> Result<Summary> {
        self.summary_for(name, &[])
    }

    /// The summary of a user function called with these arguments: a parameter that receives
    /// an adjacency list is one (walking its rows is amortised), one that receives an instance
    /// of a user class is one (its methods are known); a parameter without
    /// annotation that receives a number is a number (its digits are log n, not n), and one
    /// that receives a number known to be below n (`f(5)`, a count of digits) or a collection of
    /// a fixed size (a literal list of points) is that small.
    /// Calls with different small arguments are summarised separately.
    pub fn summary_for(&mut self, name: &str, args: &[Val]) -> Result<Summary> {
        // A recursive function's parameters change from call to call: only its first call's
        // kinds are kept, not their sizes.
        let def = self.resolve(name);
        let mut small: Vec<Option<Cost>> = args.iter().map(|a| small_number(*a)).collect();
        if !self.reads_input {
            small.fill(None);
        }
        // Scanning the body for self-calls only matters when a small argument was passed (a
        // call site is visited often; most pass none).
        if small.iter().any(Option::is_some)
            && def.is_some_and(|def| super::scan::calls_any(&def.body, &[def.name.as_str()]))
        {
            small.fill(None);
        }
        let name = self.summary_key(name);
        let key = if small.iter().all(Option::is_none) {
            name
        } else {
            format!("{name}#{small:?}")
        };
        if let Some(s) = self.summaries.get(&key) {
            return Ok(s.clone());
        }
        let Some(def) = def else {
            return Ok(Summary {
                time: Cost::ONE,
                per_call: Cost::ONE,
                shared: Cost::ONE,
                memo_table: None,
                space: Cost::ONE,
                returned: Val::UNKNOWN,
                contributions: Vec::new(),
                recursion: None,
                uncertain: 0,
            });
        };
        self.prepare_class(def)?;
        if let Some(s) = self.summaries.get(&key) {
            return Ok(s.clone());
        }
        let summary = self.analyse_function(def, args, &small)?;
        self.summaries.insert(key, summary.clone());
        Ok(summary)
    }

    /// The function a name calls: `f`, or `Class.method`.
    pub(super) fn resolve(&self, name: &str) -> Option<&'a StmtFunctionDef> {
        match name.split_once('.') {
            Some((class, method)) => self.classes.method(self.classes.named(class)?, method),
            None => self.funcs.get(name).copied(),
        }
    }

    /// The name a function's summary is kept under: `Class.method` for methods.
    pub fn summary_key(&self, name: &str) -> String {
        self.resolve(name)
            .map_or_else(|| name.to_owned(), |def| self.classes.key(def))
    }

    fn analyse_function(
        &mut self,
        def: &'a StmtFunctionDef,
        args: &[Val],
        small: &[Option<Cost>],
    ) -> Result<Summary> {
        let mut frame = Frame {
            function: Some(self.classes.key(def)),
            ..Frame::default()
        };
        self.init_started(def);
        super::tables::stored_tables(&def.body, &mut frame.stored_tables);
        super::growth::read_slots(&def.body, &mut frame.read_slots);
        frame.globals = declared_globals(def).map(str::to_owned).collect();
        let receiver = self.receiver_of(def);
        if let Some((name, class)) = receiver {
            frame.env.set(name, super::classes::instance(class));
            frame.receiver = Some((name.to_owned(), class));
        }
        let params = def
            .parameters
            .iter_non_variadic_params()
            .filter(|p| p.parameter.name.as_str() != "self")
            .filter(|p| receiver.is_none_or(|(r, _)| p.parameter.name.as_str() != r));
        let keyed_table = match memoisation(def) {
            Some(Memo::Table(Some(t))) if tests_membership(&def.body, &t) => Some(t),
            _ => None,
        };
        for (i, p) in params.enumerate() {
            let name = p.parameter.name.as_str();
            let mut val = match args.get(i) {
                Some(arg) if matches!(arg.kind, Kind::Adjacency | Kind::Object(_)) => *arg,
                _ if names_a_graph(name) => Val {
                    kind: Kind::Adjacency,
                    size: Cost::N,
                    elem: Cost::N,
                    nested: true,
                    elem_kind: Kind::List,
                    read: false,
                },
                _ => param_value(p.parameter.annotation.as_deref(), p.default.as_deref()),
            };
            if val.kind == Kind::Unknown && adds_to(&def.body, name) {
                val.kind = Kind::Set;
            }
            // A memo table received as a parameter and consulted by key (`if n in memo`).
            if val.kind == Kind::Unknown && keyed_table.as_deref() == Some(name) {
                val.kind = Kind::Dict;
            }
            if args.get(i).is_some_and(|a| a.kind == Kind::Int)
                && matches!(val.kind, Kind::Unknown | Kind::Int)
            {
                let size = small.get(i).copied().flatten();
                val = Val::int(size.unwrap_or(val.size));
            } else if let Some(arg) = args.get(i)
                && arg.kind.is_collection()
                && small.get(i).is_some_and(Option::is_some)
                // A parameter that receives a fixed-size collection keeps it, unless the
                // function adds to it.
                && !super::scan::grown_names(&def.body)
                    .iter()
                    .any(|g| g == name)
            {
                val = *arg;
            }
            frame.env.set(name, val);
        }
        self.frames.push(frame);
        let flow = self.block(&def.body, Ctx::TOP);
        let frame = self.frames.pop().expect("pushed above");
        let flow = flow?.settled();
        let work = flow.time;
        let memo = memoisation(def);
        let params: Vec<&str> = def
            .parameters
            .iter_non_variadic_params()
            .map(|p| p.parameter.name.as_str())
            .filter(|p| *p != "self" && receiver.is_none_or(|(r, _)| p != &r))
            .collect();
        // A parameter that only takes constants (a flag, a side to move) adds no dimension,
        // nor does the memo table when it is passed along as a parameter.
        let flags = flag_parameters(def, &params);
        let table_param = match &memo {
            Some(Memo::Table(Some(table))) => {
                params.contains(&table.as_str()) && !flags.contains(table)
            }
            _ => false,
        };
        let params = params.len() - flags.len() - usize::from(table_param);
        // A list used as the memo table has a slot per state: its size counts them.
        let table_states = match &memo {
            Some(Memo::Table(Some(table))) => self
                .lookup(table)
                .filter(|t| matches!(t.kind, Kind::List | Kind::Tuple))
                .map(|t| t.storage())
                .filter(|s| !s.is_constant()),
            _ => None,
        };
        let marks =
            marked_table(&def.body).or_else(|| sentinel_marks(&def.body, def.name.as_str()));
        let visits = marks.is_some() || skips_parent(def);
        let names: HashSet<String> = def
            .parameters
            .iter_non_variadic_params()
            .map(|p| p.parameter.name.to_string())
            .collect();
        let doubles = result_growth(def);
        let solved = solve(Recurrence {
            work,
            calls: flow.calls,
            sites: &frame.rec_sites,
            memo: memo.is_some(),
            mask: uses_as_bitmask(&def.body, &names)
                || passes_chosen_items(&def.body, def.name.as_str()),
            params: u32::try_from(params).unwrap_or(u32::MAX),
            table_states,
            visits,
            unmarks: unmarks(&def.body),
            range_query: super::ranges::prunes_to_a_range(def, receiver.map(|(r, _)| r)),
            doubles_result: doubles,
            swaps: swaps_around_call(&def.body, def.name.as_str()),
            guards: guards_on_marks(&def.body, def.name.as_str()),
            cells: match &marks {
                Some(table) if self.grid_parameter(&def.body, table) => Cost::N.times(Cost::N),
                _ => Cost::N,
            },
        });
        let mut contributions = frame.contributions;
        if let Some(site) = frame.rec_sites.first() {
            contributions.push(super::walker::Contribution {
                line: site.line,
                cost: solved.time,
                depth: u32::MAX,
                reason: solved.reason.clone(),
            });
        }
        // An exponential recursion that adds to a container outside it (at its leaves) fills
        // it with as many elements as it makes calls.
        let collected = if memo.is_none() && solved.time >= Cost::EXP && collects_outside(def) {
            solved.time
        } else {
            Cost::ONE
        };
        let mut returned = frame.returned.unwrap_or(Val::UNKNOWN);
        if let Some(growth) = doubles {
            returned.size = returned.size.max(growth);
        }
        let time = solved.time.max(work);
        // A memoised recursion computes each state once over the whole program, however many
        // times it is called: the states are shared work and a call is a table lookup. A
        // cache that can be cleared does not persist; nor does a method's, which lives with an
        // instance that may be created again. A table the function receives is the caller's
        // (see `calls::caller_table`).
        let persists = receiver.is_none()
            && match &memo {
                Some(Memo::Decorated) => !self.clears_caches,
                Some(Memo::Table(Some(_))) => true,
                _ => false,
            };
        // Likewise a traversal whose marks outlive the call (a module's or an enclosing
        // function's table, or one passed in) enters each node once over all its calls.
        let lasting_marks = marks.filter(|m| {
            memo.is_none()
                && visits
                && !unmarks(&def.body)
                && !super::patterns::all_assigned(&def.body).contains(m)
        });
        let (per_call, shared, memo_table) = if persists && !frame.rec_sites.is_empty() {
            let table = match memo {
                Some(Memo::Table(t)) => t,
                _ => None,
            };
            (Cost::ONE, flow.shared.plus(time), table)
        } else if let Some(marks) = lasting_marks
            && receiver.is_none()
            && !frame.rec_sites.is_empty()
        {
            (Cost::ONE, flow.shared.plus(time), Some(marks))
        } else {
            (time, flow.shared, None)
        };
        Ok(Summary {
            time: time.plus(flow.shared),
            per_call,
            shared,
            memo_table,
            space: frame
                .space
                .max(solved.depth)
                .max(returned.storage())
                .max(collected),
            returned,
            contributions,
            recursion: (!frame.rec_sites.is_empty()).then_some(solved.reason),
            uncertain: frame.uncertain + u32::from(solved.uncertain),
        })
    }
}

impl<'a> Walker<'a> {
    /// Whether the function marks the cells of a grid it was handed (`grid[r][c] = '0'` on a
    /// parameter whose rows are not known): its sides are input sizes, so it has n² cells. A
    /// grid the program reads or builds itself keeps its known size.
    fn grid_parameter(&self, body: &[Stmt], table: &str) -> bool {
        marks_cells(body, table) && self.lookup(table).is_none_or(|v| !v.nested)
    }

    /// For a method: the parameter that receives the instance, and the class.
    fn receiver_of(&self, def: &'a StmtFunctionDef) -> Option<(&'a str, usize)> {
        let class = self.classes.owner_of(def)?;
        Some((super::classes::receiver_name(def)?, class))
    }
}

/// A parameter called `graph`, `adj` or `tree` holds adjacency lists: its rows add up to the
/// number of edges, so walking the row of each visited node is amortised.
fn names_a_graph(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "graph"
            | "g"
            | "adj"
            | "adj_list"
            | "adjlist"
            | "adjacency"
            | "tree"
            | "children"
            | "neighbors"
            | "neighbours"
    )
}

impl Walker<'_> {
    /// The arguments of a call, except that a collection that looks fixed-size but is a global
    /// some function adds to (`primes.append(p)`, which the caller does not see) is taken as
    /// input-sized.
    pub fn unless_filled_elsewhere(&self, call: &ExprCall, args: &[Val]) -> Vec<Val> {
        let filled_elsewhere = |e: &Expr| {
            matches!(e, Expr::Name(n) if self.funcs.values().any(|def| {
                super::scan::grown_names(&def.body).iter().any(|g| g == n.id.as_str())
            }))
        };
        args.iter()
            .zip(call.arguments.args.iter())
            .map(|(v, e)| {
                if v.kind.is_collection() && small_number(*v).is_some() && filled_elsewhere(e) {
                    Val {
                        size: Cost::N,
                        ..*v
                    }
                } else {
                    *v
                }
            })
            .chain(args.iter().skip(call.arguments.args.len()).copied())
            .collect()
    }

    /// After a call of a function that adds to one of its parameters (`fill(a, n)`), the
    /// caller sees the container it passed grown by as many elements as the call does steps
    /// (at most n: the common case of one element per input element), on every pass of the
    /// loops around the call since the container was made.
    pub fn grown_by_call(&mut self, name: &str, call: &ExprCall, steps: Cost, ctx: Ctx) {
        self.globals_grown_by_call(name, steps, ctx);
        let growable: Vec<(usize, &str, Val)> = call
            .arguments
            .args
            .iter()
            .enumerate()
            .filter_map(|(i, e)| match e {
                Expr::Name(n) => self
                    .lookup(n.id.as_str())
                    .filter(|v| v.kind.is_collection() && v.size < Cost::N)
                    .map(|v| (i, n.id.as_str(), v)),
                _ => None,
            })
            .collect();
        if growable.is_empty() || name.contains('.') {
            return;
        }
        let Some(def) = self.resolve(name) else {
            return;
        };
        let grown = super::scan::grown_names(&def.body);
        let params: Vec<&str> = def
            .parameters
            .iter_non_variadic_params()
            .map(|p| p.parameter.name.as_str())
            .collect();
        for (i, arg, old) in growable {
            if params.get(i).is_some_and(|p| grown.iter().any(|g| g == p)) {
                let size = old
                    .size
                    .max(steps.times(self.growth(arg, ctx)).min(Cost::N));
                self.set_value(arg, Val { size, ..old });
            }
        }
    }
}

impl<'a> Walker<'a> {
    /// After a call of a function that adds to module-level containers, itself or through the
    /// functions it calls (`primes.append(p)`, `seen[k] = v` into a dict, a rebinding under
    /// `global`), the caller sees them grown the way `grown_by_call` grows a parameter.
    fn globals_grown_by_call(&mut self, name: &str, steps: Cost, ctx: Ctx) {
        let grown = match self.grown_globals.get(name) {
            Some(grown) => grown.clone(),
            None => {
                let Some(def) = self.resolve(name) else {
                    return;
                };
                let mut grown = Vec::new();
                self.globals_grown_in(def, &mut Vec::new(), &mut grown);
                grown.sort();
                grown.dedup();
                self.grown_globals.insert(name.to_owned(), grown.clone());
                grown
            }
        };
        for (global, stored) in grown {
            let Some(old) = self.lookup(&global) else {
                continue;
            };
            let grows = old.kind.is_collection() && old.size < Cost::N;
            if grows && (!stored || old.kind == Kind::Dict) {
                let size = old
                    .size
                    .max(steps.times(self.growth(&global, ctx)).min(Cost::N));
                self.set_value(&global, Val { size, ..old });
            }
        }
    }

    /// The names a function adds to or rebinds under `global` without binding them as locals,
    /// each with whether only by a subscript store (which grows dictionaries alone); also those
    /// of the user functions it calls.
    fn globals_grown_in(
        &self,
        def: &'a StmtFunctionDef,
        seen: &mut Vec<&'a str>,
        out: &mut Vec<(String, bool)>,
    ) {
        if seen.contains(&def.name.as_str()) {
            return;
        }
        seen.push(def.name.as_str());
        let declared: Vec<&str> = declared_globals(def).collect();
        let mut assigned = Vec::new();
        super::patterns::collect_assigned(&def.body, &mut assigned, true);
        assigned.extend(def.parameters.iter().map(|p| p.name().to_string()));
        let local = |n: &String| !declared.contains(&n.as_str()) && assigned.contains(n);
        // `global best; best = [0] * n` (not a reset to an empty list).
        let rebinds = super::patterns::simple_assignments(&def.body);
        let rebound = declared
            .iter()
            .filter(|d| {
                rebinds
                    .get(**d)
                    .is_some_and(|v| !super::marks::is_empty_container(v))
            })
            .map(|d| d.to_string());
        let appended = super::scan::grown_names(&def.body)
            .into_iter()
            .chain(rebound);
        // A stack pushed and popped again (`path.append(v)`, …, `path.pop()`) ends as it was.
        let popped = |n: &String| super::scan::pops_from(&def.body, &HashSet::from([n.clone()]));
        out.extend(
            appended
                .filter(|n| !local(n) && !popped(n))
                .map(|n| (n, false)),
        );
        let mut stored = HashSet::new();
        super::tables::stored_tables(&def.body, &mut stored);
        out.extend(
            stored
                .into_iter()
                .filter(|n| !n.contains('.') && !local(n))
                .map(|n| (n, true)),
        );
        let mut callees = Vec::new();
        super::scan::any_expr(&def.body, super::scan::Defs::Skip, |e| {
            if let Expr::Call(c) = e
                && let Expr::Name(f) = c.func.as_ref()
            {
                callees.extend(self.funcs.get(f.id.as_str()).copied());
            }
            false
        });
        for callee in callees {
            self.globals_grown_in(callee, seen, out);
        }
    }
}

/// The names a function declares `global`.
fn declared_globals(def: &StmtFunctionDef) -> impl Iterator<Item = &str> {
    def.body
        .iter()
        .filter_map(|s| match s {
            Stmt::Global(g) => Some(g.names.iter().map(|n| n.as_str())),
            _ => None,
        })
        .flatten()
}

/// The size of a number known to be below n, or of a collection that holds a fixed number of
/// values (`[(x1, y1), (x2, y2)]`, `[a, b, c]`).
fn small_number(v: Val) -> Option<Cost> {
    let fixed_collection = v.kind.is_collection() && v.storage().is_constant();
    (v.kind == Kind::Int && v.size < Cost::N || fixed_collection).then_some(v.size)
}

fn param_value(annotation: Option<&Expr>, default: Option<&Expr>) -> Val {
    let named = |e: &Expr| match e {
        Expr::Name(n) => Some(n.id.to_string()),
        Expr::Subscript(s) => match s.value.as_ref() {
            Expr::Name(n) => Some(n.id.to_string()),
            _ => None,
        },
        _ => None,
    };
    // `memo={}`, `seen=set()`: the default tells the kind when there is no annotation.
    let default_kind = match default {
        Some(Expr::Dict(_)) => Some("dict".to_owned()),
        Some(Expr::Call(c)) if c.arguments.is_empty() => named(&c.func),
        _ => None,
    };
    let kind = match annotation.and_then(named).or(default_kind).as_deref() {
        Some("int" | "float") => Kind::Int,
        Some("str") => Kind::Str,
        Some("set" | "frozenset" | "Set") => Kind::Set,
        Some("dict" | "Dict") => Kind::Dict,
        Some("list" | "List" | "Sequence" | "tuple" | "Tuple") => Kind::List,
        _ => Kind::Unknown,
    };
    if matches!(
        default,
        Some(Expr::NumberLiteral(_) | Expr::NoneLiteral(_) | Expr::BooleanLiteral(_))
    ) {
        return Val::int(Cost::ONE);
    }
    Val::of(kind, Cost::N, Cost::N)
}

/// `k in name` (or `not in`) somewhere in the block.
fn tests_membership(body: &[Stmt], name: &str) -> bool {
    super::scan::any_expr(body, super::scan::Defs::Skip, |e| match e {
        Expr::Compare(c) => c.ops.iter().zip(c.comparators.iter()).any(|(op, r)| {
            matches!(op, CmpOp::In | CmpOp::NotIn)
                && matches!(r, Expr::Name(n) if n.id.as_str() == name)
        }),
        _ => false,
    })
}

/// `p.add(x)`: only sets have `add`, so membership in `p` hashes.
fn adds_to(body: &[Stmt], name: &str) -> bool {
    super::scan::any_expr(body, super::scan::Defs::Skip, |e| match e {
        Expr::Call(c) => matches!(c.func.as_ref(), Expr::Attribute(a)
            if a.attr.as_str() == "add"
                && matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == name)),
        _ => false,
    })
}

/// `visited[v] = True`, `seen.add(v)`: the function marks nodes so each is entered once.
/// Returns the table of marks (`visited`, `self.seen`; `seen` for `seen[x][y]`).
fn marked_table(body: &[Stmt]) -> Option<String> {
    let base = |mut e: &Expr| {
        while let Expr::Subscript(s) = e {
            e = &s.value;
        }
        match e {
            Expr::Name(n) => n.id.to_string(),
            _ => super::patterns::dotted(e).unwrap_or_default(),
        }
    };
    body.iter().find_map(|stmt| match stmt {
        Stmt::Assign(s)
            if matches!(s.value.as_ref(), Expr::BooleanLiteral(b) if b.value)
                || matches!(
                    s.value.as_ref(),
                    Expr::NumberLiteral(_) | Expr::StringLiteral(_)
                ) =>
        {
            s.targets
                .iter()
                .find(|t| matches!(t, Expr::Subscript(_)))
                .map(base)
        }
        Stmt::Expr(e) => match e.value.as_ref() {
            Expr::Call(c) => match c.func.as_ref() {
                Expr::Attribute(a) if a.attr.as_str() == "add" => Some(base(&a.value)),
                _ => None,
            },
            _ => None,
        },
        Stmt::If(s) => marked_table(&s.body).or_else(|| {
            s.elif_else_clauses
                .iter()
                .find_map(|c| marked_table(&c.body))
        }),
        Stmt::For(s) => marked_table(&s.body),
        _ => None,
    })
}

/// `grid[r][c] = '0'`, `seen[x][y] = True`: the marks are the cells of a grid, n² of them in
/// all when each side is an input size.
fn marks_cells(body: &[Stmt], table: &str) -> bool {
    super::scan::any_expr(body, super::scan::Defs::Skip, |e| {
        matches!(e, Expr::Subscript(s) if s.ctx.is_store()
            && matches!(s.value.as_ref(), Expr::Subscript(row)
                if matches!(row.value.as_ref(), Expr::Name(t) if t.id.as_str() == table)))
    })
}

/// `comp[u] = c` with `if comp[v] == -1: f(v, c)`: a store of any value is a visited mark
/// when the function only recurses into entries still holding the table's initial sentinel
/// (`== -1`, `== 0`, `is None`, `not t[v]`), or returns at once from a marked one
/// (`if comp[u] != -1: return`). Returns the table.
fn sentinel_marks(body: &[Stmt], function: &str) -> Option<String> {
    let stored = body.iter().find_map(|stmt| match stmt {
        Stmt::Assign(a) => a.targets.iter().find_map(|t| match t {
            Expr::Subscript(s) => match s.value.as_ref() {
                Expr::Name(n) => Some(n.id.as_str()),
                _ => None,
            },
            _ => None,
        }),
        _ => None,
    })?;
    let on_table = |e: &Expr| {
        matches!(e, Expr::Subscript(s)
            if matches!(s.value.as_ref(), Expr::Name(n) if n.id.as_str() == stored))
    };
    let sentinel = |e: &Expr| match e {
        Expr::NoneLiteral(_) | Expr::NumberLiteral(_) => true,
        Expr::UnaryOp(u) => matches!(u.operand.as_ref(), Expr::NumberLiteral(_)),
        _ => false,
    };
    let tests_unmarked = |test: &Expr| match test {
        Expr::UnaryOp(u) if u.op == UnaryOp::Not => on_table(&u.operand),
        Expr::Compare(c) => {
            c.ops.len() == 1
                && matches!(c.ops[0], CmpOp::Eq | CmpOp::Is)
                && on_table(&c.left)
                && sentinel(&c.comparators[0])
        }
        _ => false,
    };
    let tests_marked = |test: &Expr| match test {
        Expr::Compare(c) => {
            c.ops.len() == 1
                && matches!(c.ops[0], CmpOp::NotEq | CmpOp::IsNot)
                && on_table(&c.left)
                && sentinel(&c.comparators[0])
        }
        _ => on_table(test),
    };
    let guarded_call = |stmt: &Stmt| {
        matches!(stmt, Stmt::If(i) if tests_unmarked(&i.test)
            && super::scan::calls_any(&i.body, &[function]))
    };
    // Or `if comp[u] != -1: return` at the top: a bare return, not a memo's answer.
    let leaves_marked = |stmt: &Stmt| {
        matches!(stmt, Stmt::If(i) if tests_marked(&i.test)
            && matches!(i.body.as_slice(), [Stmt::Return(r)] if r.value.is_none()))
    };
    body.iter()
        .any(|stmt| {
            leaves_marked(stmt) || matches!(stmt, Stmt::For(f) if f.body.iter().any(guarded_call))
        })
        .then(|| stored.to_owned())
}

/// `used[i] = True … f(…) … used[i] = False`, `cols.add(c) … cols.remove(c)`: the function
/// clears the marks it set once the recursive call returns, so a node can be entered again on
/// another path: backtracking, not a traversal.
fn unmarks(body: &[Stmt]) -> bool {
    fn base(e: &Expr) -> Option<String> {
        match e {
            Expr::Subscript(s) => base(&s.value),
            Expr::Name(n) => Some(n.id.to_string()),
            _ => None,
        }
    }
    fn scan(body: &[Stmt], marked: &mut HashSet<String>, cleared: &mut HashSet<String>) {
        for stmt in body {
            match stmt {
                Stmt::Assign(s) => {
                    let set = match s.value.as_ref() {
                        Expr::BooleanLiteral(b) => Some(b.value),
                        Expr::NumberLiteral(n) => Some(
                            !matches!(&n.value, ruff_python_ast::Number::Int(i) if i.as_u64() == Some(0)),
                        ),
                        _ => None,
                    };
                    for t in &s.targets {
                        if let (Expr::Subscript(_), Some(set), Some(name)) = (t, set, base(t)) {
                            if set {
                                marked.insert(name);
                            } else {
                                cleared.insert(name);
                            }
                        }
                    }
                }
                Stmt::Expr(e) => {
                    if let Expr::Call(c) = e.value.as_ref()
                        && let Expr::Attribute(a) = c.func.as_ref()
                        && let Some(name) = base(&a.value)
                    {
                        match a.attr.as_str() {
                            "add" => {
                                marked.insert(name);
                            }
                            "remove" | "discard" => {
                                cleared.insert(name);
                            }
                            _ => {}
                        }
                    }
                }
                Stmt::If(s) => {
                    scan(&s.body, marked, cleared);
                    for c in &s.elif_else_clauses {
                        scan(&c.body, marked, cleared);
                    }
                }
                Stmt::For(s) => scan(&s.body, marked, cleared),
                Stmt::While(s) => scan(&s.body, marked, cleared),
                _ => {}
            }
        }
    }
    let (mut marked, mut cleared) = (HashSet::new(), HashSet::new());
    scan(body, &mut marked, &mut cleared);
    marked.intersection(&cleared).next().is_some()
}

struct Recurrence<'s> {
    work: Cost,
    calls: u32,
    sites: &'s [RecSite],
    memo: bool,
    /// A parameter is a bitmask or a collection of chosen items: the states are subsets.
    mask: bool,
    params: u32,
    /// The size of the list the states are kept in, when known.
    table_states: Option<Cost>,
    visits: bool,
    /// The marks are cleared after the recursive call (backtracking).
    unmarks: bool,
    /// A query range is carried through the calls and nodes outside or inside it return.
    range_query: bool,
    /// The function's result multiplies on every level (2^n or n!): it returns two or more
    /// copies of its recursive result, or makes several items from each of its elements.
    doubles_result: Option<Cost>,
    /// A loop swaps entries around the recursive call.
    swaps: bool,
    /// A guard at the top tests the marks the function sets.
    guards: bool,
    /// How many entries the marks can cover: the nodes a traversal enters, and how deep it
    /// can go (n² for the cells of a grid).
    cells: Cost,
}

struct Solved {
    time: Cost,
    depth: Cost,
    reason: String,
    uncertain: bool,
}

/// How large the function's result grows when every level multiplies it: 2^n when it returns
/// two copies of its recursive result, or makes two items from each of its elements
/// (`for r in ps(a[1:]): yield r; yield [a[0]] + r`); n! when it makes one per position of
/// an inner loop (`for p in perms(a[1:]): for i in range(len(a)): yield p[:i] + a[:1] + p[i:]`).
fn result_growth(def: &StmtFunctionDef) -> Option<Cost> {
    if returns_doubled(def) {
        return Some(Cost::EXP);
    }
    // What a statement makes an item of: the generator's output (`yield`, "") or a list.
    let made = |s: &Stmt| match s {
        Stmt::Expr(e) => match e.value.as_ref() {
            Expr::Yield(_) => Some(String::new()),
            Expr::Call(c) => match super::scan::grown_container(c) {
                Some(Expr::Name(n)) => Some(n.id.to_string()),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    };
    let makes = |s: &Stmt| made(s).is_some();
    def.body.iter().find_map(|stmt| {
        let Stmt::For(f) = stmt else { return None };
        if super::scan::callee(&f.iter) != Some(def.name.as_str()) {
            return None;
        }
        let per_position = f.body.iter().any(|s| {
            matches!(s, Stmt::For(inner) if super::patterns::literal_len(&inner.iter).is_none()
                && inner.body.iter().any(makes))
        });
        if per_position {
            Some(Cost::FACTORIAL)
        } else {
            let outputs: Vec<String> = f.body.iter().filter_map(made).collect();
            let twice = outputs
                .iter()
                .any(|o| outputs.iter().filter(|x| *x == o).count() >= 2);
            twice.then_some(Cost::EXP)
        }
    })
}

/// Whether the function returns two or more copies of its own recursive result (`prev =
/// gray(n - 1)`; `return ['0' + s for s in prev] + ['1' + s for s in prev[::-1]]`): the result
/// doubles on every level of the recursion.
fn returns_doubled(def: &StmtFunctionDef) -> bool {
    fn returned<'e>(body: &'e [Stmt], out: &mut Vec<&'e Expr>) {
        for stmt in body {
            match stmt {
                Stmt::Return(r) => out.extend(r.value.as_deref()),
                Stmt::If(i) => {
                    returned(&i.body, out);
                    i.elif_else_clauses
                        .iter()
                        .for_each(|c| returned(&c.body, out));
                }
                _ => {}
            }
        }
    }
    fn terms<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
        match e {
            Expr::BinOp(b) if b.op == ruff_python_ast::Operator::Add => {
                terms(&b.left, out);
                terms(&b.right, out);
            }
            _ => out.push(e),
        }
    }
    let locals = super::patterns::simple_assignments(&def.body);
    let own_call = |v: &Expr| super::scan::callee(v) == Some(def.name.as_str());
    let mut results: Vec<&str> = locals
        .iter()
        .filter(|(_, v)| own_call(v))
        .map(|(k, _)| k.as_str())
        .collect();
    // `first, rest = a[0], subsets(a[1:])`.
    for stmt in &def.body {
        if let Stmt::Assign(a) = stmt
            && let ([Expr::Tuple(t)], Expr::Tuple(v)) = (a.targets.as_slice(), a.value.as_ref())
        {
            for (target, value) in t.elts.iter().zip(&v.elts) {
                if let Expr::Name(n) = target
                    && own_call(value)
                {
                    results.push(n.id.as_str());
                }
            }
        }
    }
    // A copy of a result: the result itself, or a comprehension over it (reversed or not).
    let copies = |t: &Expr| {
        let generators = match t {
            Expr::Name(n) => return results.contains(&n.id.as_str()),
            Expr::ListComp(c) => &c.generators,
            _ => return false,
        };
        generators.iter().any(|g| {
            let mut names = HashSet::new();
            super::patterns::collect_names(&g.iter, &mut names);
            results.iter().any(|r| names.contains(*r))
        })
    };
    let mut values = Vec::new();
    returned(&def.body, &mut values);
    values.iter().any(|v| {
        let v = match v {
            Expr::Name(n) => locals.get(n.id.as_str()).copied().unwrap_or(v),
            _ => v,
        };
        let mut parts = Vec::new();
        terms(v, &mut parts);
        parts.iter().filter(|t| copies(t)).count() >= 2
    })
}

/// Whether the function adds to a container it neither creates nor receives (`res.append(cur)`
/// into an enclosing or global list), or receives and passes on to its own calls without ever
/// popping from it (an accumulator, not a path): one element per call that gets there.
fn collects_outside(def: &StmtFunctionDef) -> bool {
    let mut own = Vec::new();
    super::patterns::collect_assigned(&def.body, &mut own, true);
    let passed_on = |name: &str| {
        super::scan::any_expr(&def.body, super::scan::Defs::Skip, |e| {
            matches!(e, Expr::Call(c) if super::scan::callee(e) == Some(def.name.as_str())
                && c.arguments.args.iter().any(|a| matches!(a, Expr::Name(n) if n.id.as_str() == name)))
        }) && !super::scan::pops_from(&def.body, &HashSet::from([name.to_owned()]))
    };
    own.extend(
        def.parameters
            .iter_non_variadic_params()
            .map(|p| p.parameter.name.to_string())
            .filter(|p| !passed_on(p)),
    );
    // A container it also takes from (`cols.add(c)` … `cols.remove(c)`) holds a path, not
    // the leaves.
    let taken_from =
        |name: &str| super::scan::pops_from(&def.body, &HashSet::from([name.to_owned()]));
    super::scan::any_expr(&def.body, super::scan::Defs::Skip, |e| {
        matches!(e, Expr::Call(c) if matches!(super::scan::grown_container(c),
            Some(Expr::Name(n)) if !own.iter().any(|o| o == n.id.as_str()) && !taken_from(n.id.as_str())))
    })
}

/// Whether a loop in the function swaps two entries of a sequence (`a[k], a[i] = a[i], a[k]`)
/// and calls the function itself: every entry is moved into place in turn, permutations.
fn swaps_around_call(body: &[Stmt], function: &str) -> bool {
    let swaps = |s: &Stmt| {
        let Stmt::Assign(a) = s else { return false };
        let base = |e: &Expr| match e {
            Expr::Subscript(x) => match x.value.as_ref() {
                Expr::Name(n) => Some(n.id.to_string()),
                _ => None,
            },
            _ => None,
        };
        let pair = |e: &Expr| match e {
            Expr::Tuple(t) if t.elts.len() == 2 => {
                base(&t.elts[0]).filter(|b| base(&t.elts[1]).as_ref() == Some(b))
            }
            _ => None,
        };
        matches!(a.targets.as_slice(), [t] if pair(t).is_some() && pair(t) == pair(&a.value))
    };
    body.iter().any(|s| match s {
        Stmt::For(f) => {
            (f.body.iter().any(swaps) && super::scan::calls_any(&f.body, &[function]))
                || swaps_around_call(&f.body, function)
        }
        Stmt::If(i) => {
            swaps_around_call(&i.body, function)
                || i.elif_else_clauses
                    .iter()
                    .any(|c| swaps_around_call(&c.body, function))
        }
        _ => false,
    })
}

/// `for v in adj[u]: if v != p: dfs(v, u)`: a loop that recurses on every neighbour except the
/// one it came from (a parameter), passing its own node on as that parameter: a walk down a
/// tree, which enters each node once.
fn skips_parent(def: &StmtFunctionDef) -> bool {
    let params: Vec<&str> = def
        .parameters
        .iter_non_variadic_params()
        .map(|p| p.parameter.name.as_str())
        .collect();
    let is_param = |e: &Expr| matches!(e, Expr::Name(n) if params.contains(&n.id.as_str()));
    def.body.iter().any(|stmt| {
        let Stmt::For(f) = stmt else { return false };
        let Expr::Name(v) = f.target.as_ref() else {
            return false;
        };
        let is_v = |e: &Expr| matches!(e, Expr::Name(n) if n.id == v.id);
        let passes_on = |body: &[Stmt]| {
            super::scan::any_expr(body, super::scan::Defs::Skip, |e| {
                matches!(e, Expr::Call(c) if super::scan::callee(e) == Some(def.name.as_str())
                    && c.arguments.args.iter().any(is_v)
                    && c.arguments.args.iter().any(is_param))
            })
        };
        // `if v != p: dfs(v, u)` or `if v == p: continue` … `dfs(v, u)`.
        f.body.iter().any(|s| {
            let Stmt::If(i) = s else { return false };
            let Expr::Compare(c) = i.test.as_ref() else {
                return false;
            };
            let against_parent = (is_v(&c.left) && is_param(&c.comparators[0]))
                || (is_param(&c.left) && is_v(&c.comparators[0]));
            match c.ops.as_ref() {
                [ruff_python_ast::CmpOp::NotEq] => against_parent && passes_on(&i.body),
                [ruff_python_ast::CmpOp::Eq] => {
                    against_parent
                        && matches!(i.body.as_slice(), [Stmt::Continue(_)])
                        && passes_on(&f.body)
                }
                _ => false,
            }
        })
    })
}

/// Whether an `if` at the top of the function tests an entry of a table the function marks
/// (`if seen[x][y]: return` … `seen[x][y] = True`, `if v in seen` … `seen.add(v)`): a visited
/// mark that stops a second entry, not a choice recorded on the way down.
fn guards_on_marks(body: &[Stmt], function: &str) -> bool {
    fn base(e: &Expr) -> Option<&str> {
        match e {
            Expr::Subscript(s) => base(&s.value),
            Expr::Name(n) => Some(n.id.as_str()),
            _ => None,
        }
    }
    let mut marked = HashSet::new();
    for stmt in body {
        match stmt {
            Stmt::Assign(a)
                if matches!(
                    a.value.as_ref(),
                    Expr::BooleanLiteral(_) | Expr::NumberLiteral(_) | Expr::StringLiteral(_)
                ) =>
            {
                marked.extend(
                    a.targets
                        .iter()
                        .filter(|t| matches!(t, Expr::Subscript(_)))
                        .filter_map(base),
                );
            }
            Stmt::Expr(e) => {
                if let Expr::Call(c) = e.value.as_ref()
                    && let Expr::Attribute(a) = c.func.as_ref()
                    && a.attr.as_str() == "add"
                {
                    marked.extend(base(&a.value));
                }
            }
            _ => {}
        }
    }
    let tests_marks = |test: &Expr| {
        super::scan::any_in(std::slice::from_ref(test), |e| match e {
            Expr::Subscript(_) => base(e).is_some_and(|b| marked.contains(b)),
            Expr::Compare(c) => c
                .comparators
                .iter()
                .any(|x| base(x).is_some_and(|b| marked.contains(b))),
            _ => false,
        })
    };
    // Or, in a loop over the neighbours, an `if` on the marks around the call itself.
    let guarded_calls = |body: &[Stmt]| {
        body.iter().any(|stmt| {
            matches!(stmt, Stmt::If(i) if tests_marks(&i.test)
                && super::scan::calls_any(&i.body, &[function]))
        })
    };
    body.iter().any(|stmt| match stmt {
        Stmt::If(i) => tests_marks(&i.test),
        Stmt::For(f) => guarded_calls(&f.body),
        _ => false,
    })
}

fn solve(r: Recurrence<'_>) -> Solved {
    if r.sites.is_empty() {
        return Solved {
            time: r.work,
            depth: Cost::ONE,
            reason: String::new(),
            uncertain: false,
        };
    }
    let divides = r.sites.iter().any(|s| s.shrink == Shrink::Divide);
    let in_loop = r.sites.iter().any(|s| s.in_loop);
    if r.memo && r.mask {
        return Solved {
            time: Cost::EXP.times(r.work),
            depth: Cost::N,
            reason:
                "memoised recursion over subsets: a bitmask or a set of chosen items has 2^n values"
                    .to_owned(),
            uncertain: false,
        };
    }
    if r.memo {
        let dims = r.params.clamp(1, MAX_MEMO_DIMENSIONS);
        let states = r.table_states.unwrap_or(Cost::power(dims));
        // Halving calls reach few states: a memo only removes repeated ones, so it costs no
        // more than the divide and conquer without it.
        let branches = r.calls.max(1);
        if divides && !in_loop && r.sites.iter().all(|s| s.shrink == Shrink::Divide) {
            let (time, how) = master(branches, r.work);
            if time < states.times(r.work) {
                return Solved {
                    time,
                    depth: Cost::LOG,
                    reason: format!(
                        "divide and conquer: {branches} recursive call(s) on half the input, {how}"
                    ),
                    uncertain: false,
                };
            }
        }
        return Solved {
            time: states.times(r.work),
            // The recursion is at most n deep, and the memo keeps one entry per state.
            depth: states.max(Cost::N),
            reason: format!(
                "memoised recursion: at most {} distinct states, each computed once",
                super::exprs::size_words(states)
            ),
            uncertain: false,
        };
    }
    if in_loop && r.visits && r.unmarks {
        return Solved {
            time: Cost::FACTORIAL,
            depth: Cost::N,
            reason: "backtracking: marks are cleared after each recursive call, so every ordering of the choices is explored".to_owned(),
            uncertain: false,
        };
    }
    if in_loop && r.visits {
        return Solved {
            time: r.cells.max(r.work),
            depth: r.cells,
            reason: "depth-first traversal: each node is visited once".to_owned(),
            uncertain: false,
        };
    }
    if in_loop && r.swaps {
        return Solved {
            time: Cost::FACTORIAL,
            depth: Cost::N,
            reason: "permutations: a loop swaps each entry into place around the recursive call"
                .to_owned(),
            uncertain: false,
        };
    }
    if in_loop
        && r.sites
            .iter()
            .any(|s| s.in_loop && s.shrink == Shrink::LeaveOut)
    {
        return Solved {
            time: Cost::FACTORIAL,
            depth: Cost::N,
            reason: "permutations: each call leaves out one element, chosen in a loop, so every ordering is built".to_owned(),
            uncertain: false,
        };
    }
    if in_loop {
        return Solved {
            time: Cost::EXP,
            depth: Cost::N,
            reason: "backtracking: a recursive call inside a loop explores every branch".to_owned(),
            uncertain: true,
        };
    }
    let branches = r.calls.max(1);
    if divides && r.range_query {
        return Solved {
            time: Cost::LOG.times(r.work),
            depth: Cost::LOG,
            reason: "range query: nodes outside or inside the range return at once, so a few \
                     nodes per level are visited: log n"
                .to_owned(),
            uncertain: false,
        };
    }
    if divides {
        let (time, how) = master(branches, r.work);
        return Solved {
            time,
            depth: Cost::LOG,
            reason: format!(
                "divide and conquer: {branches} recursive call(s) on half the input, {how}"
            ),
            uncertain: false,
        };
    }
    // `seen[x][y] = True` then a call per neighbour (flood fill): each cell is entered once.
    if branches >= 2 && r.guards && !r.unmarks {
        return Solved {
            time: r.cells.max(r.work),
            depth: r.cells,
            reason: "depth-first traversal: each node is marked and entered once".to_owned(),
            uncertain: false,
        };
    }
    // `f(node.left)`, `f(node.right)`: each call descends to a different child of a tree,
    // so every node is entered once.
    if branches >= 2 && r.sites.iter().all(|s| s.descends) {
        return Solved {
            time: Cost::N.times(r.work),
            depth: Cost::N,
            reason: "tree recursion: one call per child, so each node is visited once".to_owned(),
            uncertain: false,
        };
    }
    if branches == 1 && r.sites.iter().all(|s| s.chases) {
        return Solved {
            time: r.work,
            depth: Cost::LOG,
            reason: "follows a parent link (union-find with path compression): amortised constant"
                .to_owned(),
            uncertain: false,
        };
    }
    if branches == 1
        && let Some(growth) = r.doubles_result
    {
        return Solved {
            time: growth,
            depth: Cost::N,
            reason: "the result multiplies on every level: each element of the recursive call's result gives two or more".to_owned(),
            uncertain: false,
        };
    }
    if branches == 1 {
        return Solved {
            time: Cost::N.times(r.work),
            depth: Cost::N,
            reason: "linear recursion: one call on an input smaller by a constant".to_owned(),
            uncertain: false,
        };
    }
    Solved {
        time: Cost::EXP,
        depth: Cost::N,
        reason: format!(
            "{branches} recursive calls on an input smaller by a constant: exponential"
        ),
        uncertain: false,
    }
}

/// Master theorem for `T(n) = a·T(n/2) + work`.
fn master(a: u32, work: Cost) -> (Cost, &'static str) {
    if a == 1 {
        return if work.half_power == 0 {
            (work.times(Cost::LOG), "so log n levels of constant work")
        } else {
            (work, "and the top level's work dominates")
        };
    }
    let critical = match a {
        2 => 2,
        3 => 3,
        _ => 4,
    };
    if work.half_power < critical {
        (Cost::poly(critical, 0), "so the leaves dominate")
    } else if work.half_power == critical {
        (
            work.times(Cost::LOG),
            "with equal work on each of log n levels",
        )
    } else {
        (work, "and the top level's work dominates")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn master_theorem_covers_its_three_cases() {
        assert_eq!(master(2, Cost::N).0, Cost::N_LOG_N);
        assert_eq!(master(2, Cost::ONE).0, Cost::N);
        assert_eq!(master(1, Cost::ONE).0, Cost::LOG);
        assert_eq!(master(2, Cost::N2).0, Cost::N2);
    }
}
