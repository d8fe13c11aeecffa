//! Calls: user functions (through their summaries), builtins, stdlib functions and methods.

use ruff_python_ast::{Expr, ExprCall};

use super::exprs::size_words;
use super::values::{Kind, Val};
use super::walker::{Ctx, Flow, RecSite, Shrink, Walker};
use crate::cost::Cost;
use crate::error::Result;

/// Lambdas calling lambdas are followed this deep.
const MAX_LAMBDA_DEPTH: u32 = 8;

/// Names that read a line of input: the line's length is the input size.
const READERS: &[&str] = &["input", "readline", "read", "readlines", "stdin"];

impl Walker<'_> {
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
                && self.funcs.contains_key(n.id.as_str())
            {
                flow = flow.then(self.user_call(n.id.as_str(), call, ctx)?.0);
            }
        }
        let line = self.line_of(call);
        let (extra, val) = match call.func.as_ref() {
            Expr::Name(n) if self.funcs.contains_key(n.id.as_str()) => {
                let (f, v) = self.user_call(n.id.as_str(), call, ctx)?;
                return Ok((flow.then(f), v));
            }
            Expr::Name(n) if self.lambdas.contains_key(n.id.as_str()) => {
                let (f, v) = self.lambda_call(n.id.as_str(), &args, ctx)?;
                return Ok((flow.then(f), v));
            }
            Expr::Name(n) => {
                let name = self
                    .aliases
                    .get(n.id.as_str())
                    .map_or(n.id.as_str(), String::as_str);
                builtin(name, &args, call)
            }
            Expr::Attribute(a) => {
                let (rf, receiver) = self.expr(&a.value, ctx)?;
                flow = flow.then(rf);
                let method = a.attr.as_str();
                let module = match a.value.as_ref() {
                    Expr::Name(m) => Some(m.id.as_str()),
                    Expr::Attribute(m) => Some(m.attr.as_str()),
                    _ => None,
                };
                if module.is_some_and(is_module) || READERS.contains(&method) {
                    builtin(method, &args, call)
                } else if self.funcs.contains_key(method) && !is_builtin_method(method) {
                    let (f, v) = self.user_call(method, call, ctx)?;
                    return Ok((flow.then(f), v));
                } else {
                    let out = method_call(method, receiver, &args);
                    if GROWS.contains(&method) {
                        self.grow(&a.value, ctx);
                    }
                    out
                }
            }
            other => {
                let (f, _) = self.expr(other, ctx)?;
                flow = flow.then(f);
                (Cost::ONE, Val::UNKNOWN)
            }
        };
        if !extra.is_constant() {
            let name = callee_name(call);
            self.contribute(
                line,
                ctx.mult.times(extra),
                ctx,
                format!("`{name}` costs {} per call", size_words(extra)),
            );
        }
        Ok((flow.then(Flow::of(extra)), val))
    }

    /// Evaluates a named lambda's body with its parameters bound to the arguments.
    fn lambda_call(&mut self, name: &str, args: &[Val], ctx: Ctx) -> Result<(Flow, Val)> {
        let Some(lambda) = self.lambdas.get(name).copied() else {
            return Ok((Flow::NONE, Val::UNKNOWN));
        };
        if self.lambda_depth > MAX_LAMBDA_DEPTH {
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
        self.lambda_depth += 1;
        let out = self.expr(&lambda.body, ctx);
        self.lambda_depth -= 1;
        for (p, old) in params.iter().zip(saved) {
            match old {
                Some(v) => self.frame().env.set(p, v),
                None => self.frame().env.set(p, Val::UNKNOWN),
            }
        }
        out
    }

    fn user_call(&mut self, name: &str, call: &ExprCall, ctx: Ctx) -> Result<(Flow, Val)> {
        let current = self.frames.last().and_then(|f| f.function.clone());
        if current.as_deref() == Some(name) {
            let shrink = shrink_of(call);
            let line = self.line_of(call);
            let chases = call.arguments.args.len() == 1
                && matches!(&call.arguments.args[0], Expr::Subscript(_));
            self.frame().rec_sites.push(RecSite {
                shrink,
                chases,
                in_loop: !ctx.mult.is_constant(),
                line,
            });
            return Ok((
                Flow {
                    calls: 1,
                    ..Flow::NONE
                },
                Val::int(Cost::N),
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
        let summary = self.summary(name)?;
        let line = self.line_of(call);
        if !summary.time.is_constant() {
            self.contribute(
                line,
                ctx.mult.times(summary.time),
                ctx,
                format!("call to `{name}`, which costs {}", size_words(summary.time)),
            );
        }
        let space = summary.space;
        self.allocate(line, space, &format!("the call to `{name}`"));
        Ok((Flow::of(summary.time), summary.returned))
    }
}

/// Methods that add an element to their receiver.
const GROWS: &[&str] = &[
    "append",
    "appendleft",
    "add",
    "insert",
    "extend",
    "update",
    "setdefault",
    "push",
    "put",
];

fn is_module(name: &str) -> bool {
    matches!(
        name,
        "math"
            | "heapq"
            | "bisect"
            | "itertools"
            | "sys"
            | "collections"
            | "functools"
            | "os"
            | "operator"
            | "random"
            | "string"
            | "stdin"
            | "numpy"
    )
}

fn is_builtin_method(name: &str) -> bool {
    GROWS.contains(&name)
        || matches!(
            name,
            "pop"
                | "popleft"
                | "sort"
                | "index"
                | "count"
                | "remove"
                | "join"
                | "split"
                | "get"
                | "keys"
                | "values"
                | "items"
                | "copy"
                | "reverse"
                | "find"
        )
}

fn callee_name(call: &ExprCall) -> String {
    match call.func.as_ref() {
        Expr::Name(n) => n.id.to_string(),
        Expr::Attribute(a) => a.attr.to_string(),
        _ => "call".to_owned(),
    }
}

fn first(args: &[Val]) -> Val {
    args.first().copied().unwrap_or(Val::UNKNOWN)
}

fn log_of(size: Cost) -> Cost {
    if size.is_constant() {
        Cost::ONE
    } else {
        Cost::LOG
    }
}

/// Cost and value of a builtin or stdlib function.
fn builtin(name: &str, args: &[Val], call: &ExprCall) -> (Cost, Val) {
    let a = first(args);
    let n = a.size;
    match name {
        "input" | "readline" | "read" | "stdin" => (
            Cost::ONE,
            Val {
                read: true,
                ..Val::of(Kind::Str, Cost::N, Cost::N)
            },
        ),
        "readlines" => (
            Cost::ONE,
            Val {
                read: true,
                ..Val::of(Kind::List, Cost::N, Cost::N)
            },
        ),
        "int" | "float" | "abs" | "round" | "ord" | "chr" | "bool" | "divmod" | "hash" => {
            let size = if a.kind == Kind::Str {
                a.elem.max(n)
            } else {
                n
            };
            (
                Cost::ONE,
                Val {
                    read: a.read,
                    ..Val::int(size)
                },
            )
        }
        "str" | "bin" | "hex" | "oct" | "repr" => {
            let digits = if a.kind == Kind::Int { log_of(n) } else { n };
            (Cost::ONE, Val::of(Kind::Str, digits, Cost::ONE))
        }
        "len" => (Cost::ONE, Val::int(n)),
        "range" => {
            let stop = match args.len() {
                0 => Val::UNKNOWN,
                1 => args[0],
                _ => args[1],
            };
            let count = if args.len() >= 2 {
                args[0].size.max(stop.size)
            } else {
                stop.size
            };
            (Cost::ONE, Val::of(Kind::Iter, count, count))
        }
        "sorted" => {
            let cost = n.times(log_of(n));
            (
                cost,
                Val {
                    kind: Kind::List,
                    ..a
                },
            )
        }
        "list" | "tuple" | "set" | "frozenset" | "dict" | "deque" | "Counter" | "defaultdict"
        | "OrderedDict" | "bytearray" | "heapify" | "array" => {
            let kind = match name {
                "set" | "frozenset" => Kind::Set,
                "dict" | "Counter" | "defaultdict" | "OrderedDict" => Kind::Dict,
                "deque" => Kind::Deque,
                "tuple" => Kind::Tuple,
                _ => Kind::List,
            };
            let nested = name == "defaultdict"
                && call.arguments.args.first().is_some_and(
                    |e| matches!(e, Expr::Name(n) if matches!(n.id.as_str(), "list" | "set")),
                );
            let size = if args.is_empty() { Cost::ONE } else { n };
            let elem = a.elem;
            let cost = if a.read { Cost::ONE } else { size };
            (
                cost,
                Val {
                    kind,
                    size,
                    elem,
                    nested: nested || a.nested,
                    elem_kind: a.elem_kind,
                    read: a.read,
                },
            )
        }
        "sum" | "min" | "max" | "any" | "all" | "reversed" | "enumerate" | "zip" | "map"
        | "filter" | "iter" | "next" | "print" | "accumulate" => {
            if args.len() >= 2 && matches!(name, "min" | "max") {
                let size = args.iter().map(|v| v.size).max().unwrap_or(Cost::ONE);
                return (Cost::ONE, Val::int(size));
            }
            let source = if name == "map" || name == "filter" {
                args.get(1).copied().unwrap_or(a)
            } else {
                a
            };
            let lazy = matches!(
                name,
                "reversed" | "enumerate" | "zip" | "map" | "filter" | "iter" | "accumulate"
            );
            let is_print = name == "print";
            let starred = call
                .arguments
                .args
                .iter()
                .any(|e| matches!(e, Expr::Starred(_)));
            let cost = if lazy || (is_print && !starred) || name == "next" {
                Cost::ONE
            } else {
                source.size
            };
            let val = if lazy {
                Val {
                    kind: Kind::Iter,
                    size: source.size,
                    elem: if name == "enumerate" || name == "zip" {
                        source.size.max(source.elem)
                    } else {
                        source.elem
                    },
                    nested: name == "enumerate" || name == "zip",
                    elem_kind: source.elem_kind,
                    read: source.read,
                }
            } else {
                Val::int(source.elem)
            };
            (cost, val)
        }
        "pow" if args.len() >= 3 => (log_of(args[1].size), Val::int(Cost::ONE)),
        "heappush" | "heappop" | "heappushpop" | "heapreplace" | "bisect" | "bisect_left"
        | "bisect_right" | "insort" | "insort_left" | "insort_right" => {
            (Cost::LOG, Val::int(Cost::N))
        }
        "nlargest" | "nsmallest" => {
            let target = args.get(1).copied().unwrap_or(a);
            (
                target.size.times(log_of(target.size)),
                Val::of(Kind::List, Cost::N, Cost::N),
            )
        }
        "permutations" => (Cost::ONE, Val::of(Kind::Iter, Cost::FACTORIAL, Cost::N)),
        "product" | "combinations_with_replacement" | "combinations" => {
            let repeat = call
                .arguments
                .keywords
                .iter()
                .any(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "repeat"));
            let size = match (name, args.get(1)) {
                ("combinations", Some(k)) if !k.size.is_constant() => Cost::EXP,
                ("combinations" | "combinations_with_replacement", Some(_)) => {
                    let k = small_int(call.arguments.args.get(1)).unwrap_or(2);
                    Cost::power(k).times(n.max(Cost::ONE)).max(Cost::power(k))
                }
                ("product", _) if repeat => Cost::EXP,
                ("product", _) => args.iter().fold(Cost::ONE, |acc, v| acc.times(v.size)),
                _ => Cost::EXP,
            };
            (Cost::ONE, Val::of(Kind::Iter, size, Cost::N))
        }
        "sqrt" | "isqrt" => (
            Cost::ONE,
            Val::int(if n >= Cost::N { Cost::SQRT } else { n }),
        ),
        "log" | "log2" | "log10" => (Cost::ONE, Val::int(log_of(n))),
        "factorial" | "comb" => (Cost::ONE, Val::int(Cost::N)),
        "setrecursionlimit" | "exit" | "gcd" | "lcm" | "ceil" | "floor" | "write" | "flush"
        | "stack_size" | "Thread" | "start" | "join" | "open" => (Cost::ONE, Val::UNKNOWN),
        _ => (Cost::ONE, Val::UNKNOWN),
    }
}

fn small_int(e: Option<&Expr>) -> Option<u32> {
    match e? {
        Expr::NumberLiteral(n) => n
            .value
            .as_int()
            .and_then(|i| i.as_u64())
            .and_then(|v| u32::try_from(v).ok()),
        _ => None,
    }
}

/// Cost and value of `receiver.method(args)`.
fn method_call(method: &str, receiver: Val, args: &[Val]) -> (Cost, Val) {
    let n = receiver.size;
    let arg_is_zero_index = |i: usize| {
        args.get(i)
            .is_some_and(|v| v.kind == Kind::Int && v.size.is_constant())
    };
    match method {
        "split" | "strip" | "rstrip" | "lstrip" | "lower" | "upper" | "decode" | "encode" => {
            let kind = if method == "split" {
                Kind::List
            } else {
                Kind::Str
            };
            (
                Cost::ONE,
                Val {
                    read: receiver.read,
                    ..Val::of(kind, n, Cost::N)
                },
            )
        }
        "append" | "add" | "appendleft" | "popleft" | "get" | "setdefault" | "discard" | "put"
        | "push" => (Cost::ONE, receiver.element()),
        "pop" => {
            // `list.pop(0)` shifts every element; `pop()` and dict/deque pops do not.
            let shifts = !args.is_empty() && receiver.kind == Kind::List && arg_is_zero_index(0);
            (if shifts { n } else { Cost::ONE }, receiver.element())
        }
        "insert" => (n, Val::UNKNOWN),
        "remove" | "index" | "count" | "find" | "rfind" | "replace" | "reverse" | "copy"
        | "startswith" | "endswith" => {
            let cost = if receiver.kind == Kind::Set || receiver.kind == Kind::Dict {
                Cost::ONE
            } else {
                n
            };
            (
                cost,
                if method == "copy" {
                    receiver
                } else {
                    Val::int(n)
                },
            )
        }
        "sort" => (n.times(log_of(n)), Val::UNKNOWN),
        "join" => {
            let a = first(args);
            (a.size, Val::of(Kind::Str, a.size, Cost::ONE))
        }
        "extend" | "update" => (first(args).size, Val::UNKNOWN),
        "keys" | "values" | "items" => (
            Cost::ONE,
            Val {
                kind: Kind::Iter,
                size: n,
                elem: receiver.elem,
                nested: method == "items",
                elem_kind: receiver.elem_kind,
                read: false,
            },
        ),
        "most_common" => (n.times(log_of(n)), Val::of(Kind::List, n, Cost::ONE)),
        _ => (Cost::ONE, Val::UNKNOWN),
    }
}

/// How a recursive call's arguments shrink the problem.
fn shrink_of(call: &ExprCall) -> Shrink {
    let halves = |e: &Expr| -> bool {
        match e {
            Expr::BinOp(b) => matches!(
                b.op,
                ruff_python_ast::Operator::FloorDiv
                    | ruff_python_ast::Operator::RShift
                    | ruff_python_ast::Operator::Div
            ),
            Expr::Name(n) => matches!(n.id.as_str(), "mid" | "m" | "middle" | "md"),
            _ => false,
        }
    };
    let has = |e: &Expr| -> bool {
        match e {
            Expr::BinOp(b) => halves(e) || halves(&b.left) || halves(&b.right),
            Expr::Subscript(s) => {
                matches!(s.slice.as_ref(), Expr::Slice(sl) if sl.lower.as_deref().is_some_and(halves) || sl.upper.as_deref().is_some_and(halves))
            }
            _ => halves(e),
        }
    };
    if call.arguments.args.iter().any(has) {
        Shrink::Divide
    } else {
        Shrink::Subtract
    }
}
