//! The cost table of builtins, stdlib functions and methods: what a call costs and what it
//! returns, given abstract values of its arguments.

use ruff_python_ast::comparable::ComparableExpr;
use ruff_python_ast::{Expr, ExprCall, Operator};

use crate::static_analysis::syntax::literals::is_small_constant;

use crate::cost::Cost;
use crate::static_analysis::domain::values::{Kind, Val};
use crate::static_analysis::syntax::literals::GROWS;

pub fn is_module(name: &str) -> bool {
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
            | "copy"
    )
}

pub fn is_builtin_method(name: &str) -> bool {
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

pub fn first(args: &[Val]) -> Val {
    args.first().copied().unwrap_or(Val::UNKNOWN)
}

pub fn log_of(size: Cost) -> Cost {
    if size.is_constant() {
        Cost::ONE
    } else {
        Cost::LOG
    }
}

/// Cost and value of a builtin or stdlib function.
pub fn builtin(name: &str, args: &[Val], call: &ExprCall) -> (Cost, Val) {
    let a = first(args);
    let n = a.size;
    match name {
        "input" | "raw_input" | "readline" | "read" | "stdin" => (
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
            // `int(s, 2)`: converting a string of digits in a given base reads every digit.
            let cost = if name == "int" && args.len() == 2 && a.kind == Kind::Str {
                n
            } else {
                Cost::ONE
            };
            (
                cost,
                Val {
                    read: a.read,
                    ..Val::int(size)
                },
            )
        }
        "str" | "bin" | "hex" | "oct" | "repr" | "format" => {
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
            let steps = match call.arguments.args.as_ref() {
                [start, stop, ..] if fixed_width(start, stop) => Cost::ONE,
                _ => count,
            };
            (Cost::ONE, Val::of(Kind::Iter, steps, count))
        }
        "sorted" => {
            let cost = n.times(log_of(n));
            // A sorted copy of one row of an adjacency list is still one row.
            let kind = if a.kind == Kind::Adjacency && !a.nested {
                Kind::Adjacency
            } else {
                Kind::List
            };
            (
                cost,
                Val {
                    kind,
                    elem_kind: if kind == Kind::Adjacency {
                        Kind::List
                    } else {
                        a.elem_kind
                    },
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
                // A copy of one row of an adjacency list is still one row.
                _ if a.kind == Kind::Adjacency && !a.nested => Kind::Adjacency,
                "tuple" => Kind::Tuple,
                _ => Kind::List,
            };
            let nested = name == "defaultdict"
                && call.arguments.args.first().is_some_and(
                    |e| matches!(e, Expr::Name(n) if matches!(n.id.as_str(), "list" | "set")),
                );
            // Storing what was read as a list is part of reading; hashing it into a set or a
            // counter is work over every element.
            let hashes = matches!(kind, Kind::Set | Kind::Dict);
            // The distinct characters of a string are at most its alphabet: a fixed number.
            let size = if args.is_empty() || hashes && a.kind == Kind::Str {
                Cost::ONE
            } else {
                n
            };
            let elem = a.elem;
            let read = a.read && !hashes;
            // `list(a)` of a list or string already stored in a variable copies it, read or not.
            let copies_variable = matches!(call.arguments.args.first(), Some(Expr::Name(_)))
                && matches!(a.kind, Kind::List | Kind::Tuple | Kind::Deque | Kind::Str);
            let cost = if read && !copies_variable || args.is_empty() {
                Cost::ONE
            } else {
                n
            };
            (
                cost,
                Val {
                    kind,
                    size,
                    elem,
                    nested: nested || a.nested,
                    elem_kind: if kind == Kind::Adjacency {
                        Kind::List
                    } else {
                        a.elem_kind
                    },
                    read,
                },
            )
        }
        "sum" | "min" | "max" | "any" | "all" | "reversed" | "enumerate" | "zip" | "map"
        | "filter" | "iter" | "next" | "print" | "accumulate" | "pairwise" | "groupby" => {
            if args.len() >= 2 && matches!(name, "min" | "max") {
                // `min(n, 60)` is at most 60 (an argument of unknown size bounds nothing);
                // `max(a, b)` is as large as the larger.
                let largest = args.iter().map(|v| v.size).max();
                let size = if name == "min" {
                    args.iter()
                        .filter(|v| v.kind != Kind::Unknown)
                        .map(|v| v.size)
                        .min()
                        .or(largest)
                } else {
                    largest
                };
                return (Cost::ONE, Val::int(size.unwrap_or(Cost::ONE)));
            }
            let source = if name == "map" || name == "filter" {
                args.get(1).copied().unwrap_or(a)
            } else {
                a
            };
            // `pairwise(a)` yields neighbouring pairs and `groupby(a)` runs of equal
            // elements, lazily, in one pass over `a`.
            let lazy = matches!(
                name,
                "reversed"
                    | "enumerate"
                    | "zip"
                    | "map"
                    | "filter"
                    | "iter"
                    | "accumulate"
                    | "pairwise"
                    | "groupby"
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
        // `copy.copy(a)` copies the top level, `copy.deepcopy(a)` everything inside too.
        "copy" => (n, Val { read: false, ..a }),
        "deepcopy" => (a.storage(), Val { read: false, ..a }),
        "pow" if args.len() >= 3 => (log_of(args[1].size), Val::int(Cost::ONE)),
        "heappush" | "heappop" | "heappushpop" | "heapreplace" | "bisect" | "bisect_left"
        | "bisect_right" => (Cost::LOG, Val::int(Cost::N)),
        // Finding the place is a bisection, but inserting there shifts the list's tail.
        "insort" | "insort_left" | "insort_right" => (n.max(Cost::LOG), Val::UNKNOWN),
        "nlargest" | "nsmallest" => {
            let target = args.get(1).copied().unwrap_or(a);
            (
                target.size.times(log_of(target.size)),
                Val::of(Kind::List, Cost::N, Cost::N),
            )
        }
        // `permutations(a, 2)` are the ordered pairs, n^2; all of them, n!.
        "permutations" => {
            let size = match small_int(call.arguments.args.get(1)) {
                Some(k) => n_to_the(n, k),
                None if n.is_constant() => Cost::ONE,
                None => Cost::FACTORIAL,
            };
            (Cost::ONE, Val::of(Kind::Iter, size, n))
        }
        // Lazy concatenation: `chain(a, b)` of the parts, `chain.from_iterable(xs)` of every
        // element of every x.
        "chain" => {
            let size = args.iter().fold(Cost::ONE, |acc, v| acc.plus(v.size));
            (Cost::ONE, Val::of(Kind::Iter, size, a.elem))
        }
        "from_iterable" => (
            Cost::ONE,
            Val::of(Kind::Iter, a.size.times(a.elem), Cost::N),
        ),
        "product" | "combinations_with_replacement" | "combinations" => {
            let repeat = call
                .arguments
                .keywords
                .iter()
                .any(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "repeat"));
            let size = match (name, args.get(1)) {
                ("combinations", Some(k)) if !k.size.is_constant() => Cost::EXP,
                ("combinations" | "combinations_with_replacement", Some(_)) => {
                    n_to_the(n, small_int(call.arguments.args.get(1)).unwrap_or(2))
                }
                ("product", _) if repeat => Cost::EXP,
                ("product", _) => args.iter().fold(Cost::ONE, |acc, v| acc.times(v.size)),
                _ => Cost::EXP,
            };
            (Cost::ONE, Val::of(Kind::Iter, size, Cost::N))
        }
        // Square roots of input-sized numbers take log n Newton steps (big integers).
        "sqrt" | "isqrt" => (
            log_of(n),
            Val::int(if n >= Cost::N { Cost::SQRT } else { n }),
        ),
        "log" | "log2" | "log10" => (Cost::ONE, Val::int(log_of(n))),
        // `factorial(k)` multiplies k numbers and `comb(n, k)` k of them.
        "factorial" => (n, Val::int(Cost::N)),
        "comb" => (args.get(1).map_or(n, |k| k.size.min(n)), Val::int(Cost::N)),
        // Euclid's algorithm: log steps of the numbers (at most log of the larger).
        "gcd" if args.len() == 2 && args.iter().all(|v| !v.kind.is_collection()) => {
            let larger = args[0].size.max(args[1].size);
            (log_of(larger), Val::int(larger))
        }
        "setrecursionlimit" | "exit" | "gcd" | "lcm" | "ceil" | "floor" | "write" | "flush"
        | "stack_size" | "Thread" | "start" | "join" | "open" => (Cost::ONE, Val::UNKNOWN),
        _ => (Cost::ONE, Val::UNKNOWN),
    }
}

/// `range(x, x + 1000)`, `range(x - k, min(n, x + k))`: both ends are the same expression
/// plus or minus small constants (a `max` at the start or a `min` at the end only narrows the
/// range), so the range has a fixed number of steps however large `x` is.
fn fixed_width(start: &Expr, stop: &Expr) -> bool {
    let starts = range_ends(start, "max");
    range_ends(stop, "min").iter().any(|b| starts.contains(b))
}

/// The bases of one end of a range: of each argument of a narrowing `max`/`min`, or of the end.
fn range_ends<'e>(e: &'e Expr, narrowing: &str) -> Vec<ComparableExpr<'e>> {
    match e {
        Expr::Call(c) if matches!(c.func.as_ref(), Expr::Name(f) if f.id.as_str() == narrowing) => {
            c.arguments.args.iter().map(base_of_offset).collect()
        }
        _ => vec![base_of_offset(e)],
    }
}

/// `x` in `x`, `x + 5`, `5 + x` or `x - 5` (small constants).
fn base_of_offset(e: &Expr) -> ComparableExpr<'_> {
    match e {
        Expr::BinOp(b) if b.op == Operator::Add && is_small_constant(&b.left) => {
            ComparableExpr::from(b.right.as_ref())
        }
        Expr::BinOp(b)
            if matches!(b.op, Operator::Add | Operator::Sub) && is_small_constant(&b.right) =>
        {
            ComparableExpr::from(b.left.as_ref())
        }
        _ => ComparableExpr::from(e),
    }
}

/// `size^k`: the k-tuples of a collection of that size.
fn n_to_the(size: Cost, k: u32) -> Cost {
    (0..k).fold(Cost::ONE, |acc, _| acc.times(size))
}

pub fn small_int(e: Option<&Expr>) -> Option<u32> {
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
pub fn method_call(method: &str, receiver: Val, args: &[Val]) -> (Cost, Val) {
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
        // The number of bits of a number is the log of its size.
        "bit_length" | "bit_count" => (Cost::ONE, Val::int(log_of(n))),
        "most_common" => (n.times(log_of(n)), Val::of(Kind::List, n, Cost::ONE)),
        _ => (Cost::ONE, Val::UNKNOWN),
    }
}
