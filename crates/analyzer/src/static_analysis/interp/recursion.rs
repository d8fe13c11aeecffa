//! Function summaries: a function's body is analysed once, with its parameters taken as
//! input-sized; calls of itself are counted, and the recurrence they make is solved in
//! `solve` (master theorem, subtract-and-conquer, memoisation, graph traversal, backtracking).

use std::collections::HashSet;

use ruff_python_ast::{Expr, Stmt, StmtFunctionDef};

use crate::cost::Cost;
use crate::error::Result;
use crate::static_analysis::domain::values::{Kind, Val, small_number};
use crate::static_analysis::interp::effects::declared_globals;
use crate::static_analysis::interp::walker::{Ctx, Frame, Summary, Walker};
use crate::static_analysis::summaries::memo::{
    Memo, flag_parameters, memoisation, passes_chosen_items,
};
use crate::static_analysis::summaries::solve::{Recurrence, solve};
use crate::static_analysis::syntax::patterns::uses_as_bitmask;
use crate::static_analysis::syntax::recursive::{
    adds_to, collects_outside, names_a_graph, returns_doubled, skips_parent, swaps_around_call,
    tests_membership,
};
use crate::static_analysis::syntax::visits::{
    guards_on_marks, marked_table, marks_cells, sentinel_marks, unmarks,
};

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
        if !self.facts.reads_input {
            small.fill(None);
        }
        // Scanning the body for self-calls only matters when a small argument was passed (a
        // call site is visited often; most pass none).
        if small.iter().any(Option::is_some)
            && def.is_some_and(|def| {
                crate::static_analysis::syntax::scan::calls_any(&def.body, &[def.name.as_str()])
            })
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
    pub fn resolve(&self, name: &str) -> Option<&'a StmtFunctionDef> {
        match name.split_once('.') {
            Some((class, method)) => self.classes.method(self.classes.named(class)?, method),
            None => self.facts.funcs.get(name).copied(),
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
        crate::static_analysis::syntax::tables::stored_tables(&def.body, &mut frame.stored_tables);
        crate::static_analysis::interp::growth::read_slots(&def.body, &mut frame.read_slots);
        frame.globals = declared_globals(def).map(str::to_owned).collect();
        let receiver = self.receiver_of(def);
        if let Some((name, class)) = receiver {
            frame.env.set(
                name,
                crate::static_analysis::interp::classes::instance(class),
            );
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
                && !crate::static_analysis::syntax::scan::grown_names(&def.body)
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
            range_query: crate::static_analysis::syntax::ranges::prunes_to_a_range(
                def,
                receiver.map(|(r, _)| r),
            ),
            doubles_result: doubles,
            swaps: swaps_around_call(&def.body, def.name.as_str()),
            guards: guards_on_marks(&def.body, def.name.as_str()),
            cells: match &marks {
                Some(table) if self.grid_parameter(&def.body, table) => Cost::N.times(Cost::N),
                _ => Cost::N,
            },
        });
        if let Some(rule) = solved.rule {
            self.fired.record(rule);
        }
        let mut contributions = frame.contributions;
        if let Some(site) = frame.rec_sites.first() {
            contributions.push(crate::static_analysis::interp::walker::Contribution {
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
                Some(Memo::Decorated) => !self.facts.clears_caches,
                Some(Memo::Table(Some(_))) => true,
                _ => false,
            };
        // Likewise a traversal whose marks outlive the call (a module's or an enclosing
        // function's table, or one passed in) enters each node once over all its calls.
        let lasting_marks = marks.filter(|m| {
            memo.is_none()
                && visits
                && !unmarks(&def.body)
                && !crate::static_analysis::syntax::patterns::all_assigned(&def.body).contains(m)
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
        Some((
            crate::static_analysis::interp::classes::receiver_name(def)?,
            class,
        ))
    }
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
            Expr::Call(c) => match crate::static_analysis::syntax::scan::grown_container(c) {
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
        if crate::static_analysis::syntax::scan::callee(&f.iter) != Some(def.name.as_str()) {
            return None;
        }
        let per_position = f.body.iter().any(|s| {
            matches!(s, Stmt::For(inner) if crate::static_analysis::syntax::patterns::literal_len(&inner.iter).is_none()
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
