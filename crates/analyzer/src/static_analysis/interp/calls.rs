//! Calls: user functions (through their summaries), builtins, stdlib functions and methods.

use ruff_python_ast::{CmpOp, Expr, ExprCall};

use crate::cost::Cost;
use crate::error::Result;
use crate::static_analysis::domain::budget::MAX_LAMBDA_DEPTH;
use crate::static_analysis::domain::builtins::{
    builtin, first, is_builtin_method, is_module, method_call,
};
use crate::static_analysis::domain::values::{Kind, Val};
use crate::static_analysis::interp::walker::{Ctx, Flow, RecSite, Shrink, Walker};
use crate::static_analysis::syntax::literals::{GROWS, callee_name};

/// Names that read a line of input: the line's length is the input size.
const READERS: &[&str] = &[
    "input",
    "raw_input",
    "readline",
    "read",
    "readlines",
    "stdin",
];

impl Walker<'_> {
    /// The reader a bare function value names: `sys.stdin.readline`, `input`, or a name
    /// already bound to one.
    pub fn reader_named(&self, value: &Expr) -> Option<String> {
        let name = match value {
            Expr::Name(n) => self
                .facts
                .aliases
                .get(n.id.as_str())
                .map_or(n.id.as_str(), String::as_str),
            Expr::Attribute(a) => a.attr.as_str(),
            _ => return None,
        };
        // A stream (`f = sys.stdin`) is read through its methods, not called.
        (name != "stdin" && READERS.contains(&name)).then(|| name.to_owned())
    }

    pub fn call(&mut self, call: &ExprCall, ctx: Ctx) -> Result<(Flow, Val)> {
        let mut flow = Flow::NONE;
        let mut args = Vec::with_capacity(call.arguments.args.len());
        for arg in call.arguments.args.iter() {
            let (f, v) = self.expr(arg, ctx)?;
            flow = flow.then(f);
            args.push(v);
        }
        for kw in call.arguments.keywords.iter() {
            let (f, _) = self.expr(&kw.value, ctx)?;
            flow = flow.then(f);
            // threading.Thread(target=main) runs `main`.
            if kw.arg.as_ref().is_some_and(|a| a.as_str() == "target")
                && let Expr::Name(n) = &kw.value
                && self.facts.funcs.contains_key(n.id.as_str())
            {
                flow = flow.then(self.user_call(n.id.as_str(), call, &[], ctx)?.0);
            }
        }
        let line = self.line_of(call);
        let (extra, val) = match call.func.as_ref() {
            Expr::Name(n) if self.facts.funcs.contains_key(n.id.as_str()) => {
                let (f, v) = self.user_call(n.id.as_str(), call, &args, ctx)?;
                return Ok((flow.then(f), v));
            }
            Expr::Name(n) if self.classes.named(n.id.as_str()).is_some() => {
                let class = self.classes.named(n.id.as_str()).expect("checked above");
                let (f, v) = self.construct(class, call, &args, ctx)?;
                return Ok((flow.then(f), v));
            }
            Expr::Name(n)
                if self
                    .lookup(n.id.as_str())
                    .and_then(|v| self.method_key(v, "__call__"))
                    .is_some() =>
            {
                let callee = self.lookup(n.id.as_str()).unwrap_or(Val::UNKNOWN);
                let key = self.method_key(callee, "__call__").expect("checked above");
                let (f, v) = self.user_call(&key, call, &args, ctx)?;
                return Ok((flow.then(f), v));
            }
            Expr::Name(n) if self.lambdas.contains_key(n.id.as_str()) => {
                let (f, v) = self.lambda_call(n.id.as_str(), &args, ctx)?;
                return Ok((flow.then(f), v));
            }
            // `len(obj)` runs the class's `__len__`.
            Expr::Name(n)
                if n.id.as_str() == "len" && self.method_key(first(&args), "__len__").is_some() =>
            {
                let key = self
                    .method_key(first(&args), "__len__")
                    .expect("checked above");
                let (f, v) = self.user_call(&key, call, &[], ctx)?;
                return Ok((flow.then(f), v));
            }
            Expr::Name(n) => {
                let name = self
                    .facts
                    .aliases
                    .get(n.id.as_str())
                    .map_or(n.id.as_str(), String::as_str);
                builtin(name, &args, call)
            }
            Expr::Attribute(a) => {
                let (rf, receiver) = self.expr(&a.value, ctx)?;
                flow = flow.then(rf);
                let method = a.attr.as_str();
                // `obj.update(i, x)` on an instance of a user class runs that class's method,
                // and so does `Cls.method(…)`.
                if let Some(key) = self.method_key(receiver, method) {
                    let (f, v) = self.user_call(&key, call, &args, ctx)?;
                    return Ok((flow.then(f), v));
                }
                if let Expr::Name(c) = a.value.as_ref()
                    && self.lookup(c.id.as_str()).is_none()
                    && let Some(class) = self.classes.named(c.id.as_str())
                    && let Some(key) = self.method_key(
                        crate::static_analysis::interp::classes::instance(class),
                        method,
                    )
                {
                    let (f, v) = self.user_call(&key, call, &args, ctx)?;
                    return Ok((flow.then(f), v));
                }
                let module = match a.value.as_ref() {
                    Expr::Name(m) => Some(m.id.as_str()),
                    Expr::Attribute(m) => Some(m.attr.as_str()),
                    _ => None,
                };
                if module.is_some_and(|m| is_module(m) && self.lookup(m).is_none())
                    || READERS.contains(&method)
                    // `chain.from_iterable(…)` is a constructor of itertools, not a method.
                    || method == "from_iterable"
                {
                    builtin(method, &args, call)
                } else if let Some(type_name) = module.filter(|m| is_builtin_type(m))
                    && self.lookup(type_name).is_none()
                    && !args.is_empty()
                {
                    // `list.sort(a)`, `str.join(sep, parts)`: an unbound method takes its
                    // receiver as the first argument.
                    method_call(method, args[0], &args[1..])
                } else if let Some(key) = self.unknown_receiver_method(method) {
                    let (f, v) = self.user_call(&key, call, &args, ctx)?;
                    return Ok((flow.then(f), v));
                } else {
                    let out = method_call(method, receiver, &args);
                    if GROWS.contains(&method) {
                        self.grow(&a.value, ctx, true);
                    }
                    if method == "append" {
                        self.holds_appended(&a.value, first(&args));
                    }
                    out
                }
            }
            other => {
                let (f, callee) = self.expr(other, ctx)?;
                flow = flow.then(f);
                // `Solver()()`: calling an instance runs its `__call__`.
                if let Some(key) = self.method_key(callee, "__call__") {
                    let (f, v) = self.user_call(&key, call, &args, ctx)?;
                    return Ok((flow.then(f), v));
                }
                (Cost::ONE, Val::UNKNOWN)
            }
        };
        // `heappush(h, x)` and `insort(a, x)` add an element to their first argument (methods
        // such as `h.append(x)` grew their receiver above).
        if let Some(container) = crate::static_analysis::syntax::scan::grown_container(call)
            && !matches!(call.func.as_ref(), Expr::Attribute(a) if GROWS.contains(&a.attr.as_str()))
        {
            self.grow(container, ctx, true);
        }
        // Copying (or sorting) one row of an adjacency list inside a traversal is amortised
        // like walking it: its cost per element, for each element walked.
        let extra = if val.kind == Kind::Adjacency && !val.nested {
            self.iteration_count(val, ctx).times(extra.per(val.size))
        } else {
            extra
        };
        if !extra.is_constant() {
            let name = callee_name(call);
            self.contribute(
                line,
                ctx.mult.times(extra),
                ctx,
                format!("`{name}` costs {} per call", extra.size()),
            );
        }
        Ok((flow.then(Flow::of(extra)), val))
    }

    /// `x.method(…)` on a value of unknown class: a user function or method of that name,
    /// unless a builtin method has it.
    fn unknown_receiver_method(&self, method: &str) -> Option<String> {
        if is_builtin_method(method) {
            return None;
        }
        if self.facts.funcs.contains_key(method) {
            return Some(method.to_owned());
        }
        self.classes
            .any_method(method)
            .map(|def| self.classes.key(def))
    }

    /// Evaluates a named lambda's body with its parameters bound to the arguments.
    fn lambda_call(&mut self, name: &str, args: &[Val], ctx: Ctx) -> Result<(Flow, Val)> {
        let Some(lambda) = self.lambdas.get(name).copied() else {
            return Ok((Flow::NONE, Val::UNKNOWN));
        };
        if self.budget.lambda_depth > MAX_LAMBDA_DEPTH {
            return Ok((Flow::NONE, Val::UNKNOWN));
        }
        let params: Vec<String> = lambda
            .parameters
            .iter()
            .flat_map(|p| p.iter_non_variadic_params())
            .map(|p| p.parameter.name.to_string())
            .collect();
        let saved: Vec<Option<Val>> = params.iter().map(|p| self.frame().env.get(p)).collect();
        for (i, p) in params.iter().enumerate() {
            let v = args
                .get(i)
                .copied()
                .unwrap_or(Val::of(Kind::Unknown, Cost::N, Cost::N));
            self.frame().env.set(p, v);
        }
        self.budget.lambda_depth += 1;
        let out = self.expr(&lambda.body, ctx);
        self.budget.lambda_depth -= 1;
        for (p, old) in params.iter().zip(saved) {
            match old {
                Some(v) => self.frame().env.set(p, v),
                None => self.frame().env.set(p, Val::UNKNOWN),
            }
        }
        out
    }

    pub fn user_call(
        &mut self,
        name: &str,
        call: &ExprCall,
        args: &[Val],
        ctx: Ctx,
    ) -> Result<(Flow, Val)> {
        let key = self.summary_key(name);
        let name = key.as_str();
        let current = self.frames.last().and_then(|f| f.function.clone());
        if current.as_deref() == Some(name) {
            let locals = self
                .resolve(name)
                .map(|def| crate::static_analysis::syntax::patterns::simple_assignments(&def.body))
                .unwrap_or_default();
            let splits = self
                .resolve(name)
                .is_some_and(|def| splits_at_a_point(def, call));
            // Quicksort recursing on one side of a random pivot and looping on the other: the
            // loop stands for the second call, so this is divide and conquer, not a branch
            // per iteration.
            let tail_loop = self.resolve(name).is_some_and(|def| {
                crate::static_analysis::syntax::counters::in_random_pivot_loop(
                    &def.body,
                    call.arguments.range.start(),
                    &|f| self.facts.picks_randomly(f),
                )
            });
            let shrink = match shrink_of(call, &locals) {
                _ if tail_loop => Shrink::Divide,
                Shrink::Divide => Shrink::Divide,
                _ if splits => Shrink::Pivot,
                shrink => shrink,
            };
            // A random pivot splits in half in expectation; a fixed one can split off one
            // element per call (the worst case, `rec.fixed_pivot`).
            let shrink = match shrink {
                Shrink::Pivot if self.facts.pivots_randomly(name) => Shrink::Divide,
                shrink => shrink,
            };
            let line = self.line_of(call);
            // `find(parent[x])` follows a link; `f(s[1:])` is a shorter copy, not a link.
            let chases = call.arguments.args.len() == 1
                && matches!(&call.arguments.args[0], Expr::Subscript(s) if !matches!(s.slice.as_ref(), Expr::Slice(_)));
            let descends = call.arguments.args.iter().any(
                |a| matches!(a, Expr::Attribute(at) if matches!(at.value.as_ref(), Expr::Name(_))),
            );
            self.frame().rec_sites.push(RecSite {
                shrink,
                chases,
                descends,
                in_loop: !ctx.mult.is_constant() && !tail_loop,
                line,
            });
            let result = if self.resolve(name).is_some_and(returns_tuples) {
                Val::of(Kind::Tuple, Cost::ONE, Cost::N)
            } else {
                Val::int(Cost::N)
            };
            return Ok((
                Flow {
                    calls: 1,
                    ..Flow::NONE
                },
                result,
            ));
        }
        if self
            .frames
            .iter()
            .any(|f| f.function.as_deref() == Some(name))
        {
            // Mutual recursion: counted once, with a note.
            self.frame().uncertain += 1;
            return Ok((Flow::NONE, Val::UNKNOWN));
        }
        let args = self.unless_filled_elsewhere(call, args);
        let summary = self.summary_for(name, &args)?;
        self.grown_by_call(name, call, summary.time, ctx);
        let line = self.line_of(call);
        // A memo table recreated by a loop around the call starts empty on every iteration,
        // and so does one the call passes fresh.
        let table = summary
            .memo_table
            .as_deref()
            .map(|t| self.caller_table(name, call, t));
        let (per_call, shared) = match table {
            Some(None) => (summary.time, Cost::ONE),
            Some(Some(table)) if self.assigned_in_loop(&table) => (summary.time, Cost::ONE),
            _ => (summary.per_call, summary.shared),
        };
        if !per_call.is_constant() {
            self.contribute(
                line,
                ctx.mult.times(per_call),
                ctx,
                format!("call to `{name}`, which costs {}", per_call.size()),
            );
        }
        if !shared.is_constant() {
            self.contribute(
                line,
                shared,
                ctx,
                format!(
                    "`{name}` does {} of work once over all its calls (memoised states, amortised removals)",
                    shared.size()
                ),
            );
        }
        let space = summary.space;
        self.allocate(line, space, format_args!("the call to `{name}`"));
        Ok((
            Flow {
                shared,
                ..Flow::of(per_call)
            },
            summary.returned,
        ))
    }
}

impl Walker<'_> {
    /// An operator on an instance of a user class (`a @ b`): its method `key` runs on the
    /// right operand, charged like a call of it.
    pub fn operator_call(
        &mut self,
        key: &str,
        operand: Val,
        at: &Expr,
        ctx: Ctx,
    ) -> Result<(Flow, Val)> {
        if self
            .frames
            .iter()
            .any(|f| f.function.as_deref() == Some(key))
        {
            return Ok((Flow::NONE, Val::UNKNOWN));
        }
        let summary = self.summary_for(key, &[operand])?;
        let line = self.line_of(at);
        if !summary.time.is_constant() {
            self.contribute(
                line,
                ctx.mult.times(summary.time),
                ctx,
                format!(
                    "operator calling `{key}`, which costs {}",
                    summary.time.size()
                ),
            );
        }
        self.allocate(line, summary.space, format_args!("the call to `{key}`"));
        Ok((Flow::of(summary.time), summary.returned))
    }

    /// The caller's name for a memo table. A table the callee receives as a parameter is the
    /// caller's argument when that is a variable of the module (it outlives the call), and
    /// `None` otherwise: a fresh table (`f(n, {})`) or a local of the calling function starts
    /// empty on every call.
    fn caller_table(&self, callee: &str, call: &ExprCall, table: &str) -> Option<String> {
        let Some(i) = self.resolve(callee).and_then(|def| {
            def.parameters
                .iter_non_variadic_params()
                .position(|p| p.parameter.name.as_str() == table)
        }) else {
            return Some(table.to_owned());
        };
        let Some(Expr::Name(arg)) = call.arguments.args.get(i) else {
            return None;
        };
        let local = self.frames.len() > 1
            && self
                .frames
                .last()
                .is_some_and(|f| f.env.get(arg.id.as_str()).is_some());
        (!local).then(|| arg.id.to_string())
    }
}

/// How a recursive call's arguments shrink the problem.
/// `locals` are the calling function's simple assignments (`half = n // 2`), through which a
/// named argument is read.
fn shrink_of(call: &ExprCall, locals: &std::collections::HashMap<String, &Expr>) -> Shrink {
    let halves = |e: &Expr| -> bool {
        let e = match e {
            Expr::Name(n) => locals.get(n.id.as_str()).copied().unwrap_or(e),
            _ => e,
        };
        // `mid = int((l + r) / 2)`: rounding keeps the half.
        match crate::static_analysis::syntax::patterns::unrounded(e) {
            // `gcd(b, a % b)`: a remainder is less than half of the larger argument every
            // two steps (Euclid), so it shrinks like a halving.
            Expr::BinOp(b) => matches!(
                b.op,
                ruff_python_ast::Operator::FloorDiv
                    | ruff_python_ast::Operator::RShift
                    | ruff_python_ast::Operator::Div
                    | ruff_python_ast::Operator::Mod
            ),
            Expr::Name(n) => matches!(n.id.as_str(), "mid" | "m" | "middle" | "md"),
            _ => false,
        }
    };
    let has = |e: &Expr| -> bool {
        // `a = arr[:mid]; f(a)`: a local holding a slice up to or from a midpoint is that half.
        let e = match e {
            Expr::Name(n) => match locals.get(n.id.as_str()) {
                Some(slice @ Expr::Subscript(_)) => slice,
                _ => e,
            },
            _ => e,
        };
        match e {
            Expr::BinOp(b) => halves(e) || halves(&b.left) || halves(&b.right),
            Expr::Subscript(s) => {
                matches!(s.slice.as_ref(), Expr::Slice(sl) if sl.lower.as_deref().is_some_and(halves) || sl.upper.as_deref().is_some_and(halves))
            }
            _ => halves(e),
        }
    };
    // `s[:i] + s[i + 1:]`: a prefix and a suffix of the same sequence.
    let leaves_out = |e: &Expr| {
        let e = match e {
            Expr::Name(n) => locals.get(n.id.as_str()).copied().unwrap_or(e),
            _ => e,
        };
        fn slice(x: &Expr, prefix: bool) -> Option<&str> {
            let Expr::Subscript(s) = x else { return None };
            match (s.value.as_ref(), s.slice.as_ref()) {
                (Expr::Name(n), Expr::Slice(sl)) if sl.step.is_none() => {
                    let open = if prefix { &sl.lower } else { &sl.upper };
                    open.is_none().then_some(n.id.as_str())
                }
                _ => None,
            }
        }
        matches!(e, Expr::BinOp(b) if b.op == ruff_python_ast::Operator::Add
            && slice(&b.left, true).is_some()
            && slice(&b.left, true) == slice(&b.right, false))
    };
    let partitions = |e: &Expr| is_pivot_partition(e, locals);
    if call.arguments.args.iter().any(has) {
        Shrink::Divide
    } else if call.arguments.args.iter().any(partitions) {
        Shrink::Pivot
    } else if call.arguments.args.iter().any(leaves_out) {
        Shrink::LeaveOut
    } else {
        Shrink::Subtract
    }
}

/// `[x for x in a if x < pivot]`, directly or through a local: the elements on one side of a
/// pivot, half of them in expectation (quicksort, quickselect).
fn is_pivot_partition(e: &Expr, locals: &std::collections::HashMap<String, &Expr>) -> bool {
    let e = match e {
        Expr::Name(n) => locals.get(n.id.as_str()).copied().unwrap_or(e),
        _ => e,
    };
    let Expr::ListComp(c) = e else { return false };
    matches!(c.generators.as_slice(), [g] if g.ifs.iter().any(|test| matches!(test,
        Expr::Compare(t) if t.ops.iter().all(|op| matches!(op,
            CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE)))))
}

/// `quicksort(a, lo, p - 1)` beside `quicksort(a, p + 1, hi)`: two recursive calls on the two
/// sides of a point `p` the function computes (a pivot's place), the other ends passed on
/// unchanged. The sides add up to the range; each is half of it in expectation.
fn splits_at_a_point(def: &ruff_python_ast::StmtFunctionDef, call: &ExprCall) -> bool {
    let assigned = crate::static_analysis::syntax::patterns::all_assigned(&def.body);
    // `p`, `p - 1` or `p + 1` for a local `p`.
    let point = |e: &Expr| -> Option<String> {
        let e = match e {
            Expr::BinOp(b) if matches!(b.right.as_ref(), Expr::NumberLiteral(_)) => &b.left,
            _ => e,
        };
        match e {
            Expr::Name(n) if assigned.contains(n.id.as_str()) => Some(n.id.to_string()),
            _ => None,
        }
    };
    let plain = |e: &Expr| matches!(e, Expr::Name(n) if !assigned.contains(n.id.as_str()));
    let mut others = Vec::new();
    crate::static_analysis::syntax::scan::any_expr(
        &def.body,
        crate::static_analysis::syntax::scan::Defs::Skip,
        |e| {
            if let Expr::Call(c) = e
                && crate::static_analysis::syntax::scan::callee(e) == Some(def.name.as_str())
                && c.arguments.range != call.arguments.range
            {
                others.push(c);
            }
            false
        },
    );
    let args = &call.arguments.args;
    others.iter().any(|other| {
        let theirs = &other.arguments.args;
        theirs.len() == args.len()
            && (0..args.len()).any(|i| {
                (0..args.len()).any(|j| {
                    i != j
                        && point(&args[i]).is_some()
                        && point(&args[i]) == point(&theirs[j])
                        && plain(&args[j])
                        && plain(&theirs[i])
                })
            })
    })
}

/// Whether every `return` of the function gives a tuple literal (`return take, skip`): a
/// recursive call's result is then a pair or so of numbers, not a collection of n.
fn returns_tuples(def: &ruff_python_ast::StmtFunctionDef) -> bool {
    use ruff_python_ast::visitor::Visitor;
    let mut returns = ruff_python_ast::helpers::ReturnStatementVisitor::default();
    returns.visit_body(&def.body);
    !returns.returns.is_empty()
        && returns
            .returns
            .iter()
            .all(|r| matches!(r.value.as_deref(), Some(Expr::Tuple(_))))
}

/// Builtin types whose methods can be called unbound (`list.sort(a)`).
fn is_builtin_type(name: &str) -> bool {
    matches!(
        name,
        "list" | "str" | "dict" | "set" | "tuple" | "bytes" | "frozenset"
    )
}
