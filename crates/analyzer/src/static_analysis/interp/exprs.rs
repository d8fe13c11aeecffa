//! Expressions: their cost and the abstract value they produce.

use ruff_python_ast::comparable::ComparableExpr;
use ruff_python_ast::{CmpOp, Comprehension, Expr, ExprSlice, Number, Operator};

use crate::cost::Cost;
use crate::error::Result;
use crate::static_analysis::domain::values::{Kind, Val};
use crate::static_analysis::interp::walker::{Ctx, Flow, Walker};
use crate::static_analysis::syntax::literals::{LARGE_LITERAL, is_small_constant, literal_value};

impl Walker<'_> {
    pub fn expr(&mut self, e: &Expr, ctx: Ctx) -> Result<(Flow, Val)> {
        self.enter()?;
        let out = self.expr_inner(e, ctx);
        self.leave();
        out
    }

    fn expr_inner(&mut self, e: &Expr, ctx: Ctx) -> Result<(Flow, Val)> {
        Ok(match e {
            Expr::NumberLiteral(n) => (Flow::NONE, Val::int(literal_size(&n.value))),
            Expr::StringLiteral(_) | Expr::BytesLiteral(_) | Expr::FString(_) => {
                (Flow::NONE, Val::of(Kind::Str, Cost::ONE, Cost::ONE))
            }
            Expr::Name(n) => (
                Flow::NONE,
                self.lookup(n.id.as_str()).unwrap_or(Val::UNKNOWN),
            ),
            Expr::BinOp(_) if literal_value(e, 0).is_some() => {
                let v = literal_value(e, 0).unwrap_or(0);
                let size = if v < LARGE_LITERAL {
                    Cost::ONE
                } else {
                    Cost::N
                };
                (Flow::NONE, Val::int(size))
            }
            Expr::BinOp(b) => {
                let (lf, l) = self.expr(&b.left, ctx)?;
                let (rf, r) = self.expr(&b.right, ctx)?;
                // `a @ b` on an instance of a user class runs its `__matmul__`, and so on.
                if let Some(key) = operator_method(b.op).and_then(|m| self.method_key(l, m)) {
                    let (f, val) = self.operator_call(&key, r, e, ctx)?;
                    return Ok((lf.then(rf).then(f), val));
                }
                let (extra, val) = binop(b.op, l, r, &b.right);
                (lf.then(rf).then(Flow::of(extra)), val)
            }
            Expr::UnaryOp(u) => self.expr(&u.operand, ctx)?,
            Expr::BoolOp(b) => {
                let mut flow = Flow::NONE;
                let mut val = Val::UNKNOWN;
                for v in &b.values {
                    let (f, x) = self.expr(v, ctx)?;
                    flow = flow.then(f);
                    val = x;
                }
                (flow, val)
            }
            Expr::Compare(c) => {
                let (mut flow, _) = self.expr(&c.left, ctx)?;
                for (op, right) in c.ops.iter().zip(c.comparators.iter()) {
                    let (f, r) = self.expr(right, ctx)?;
                    flow = flow.then(f);
                    if matches!(op, CmpOp::In | CmpOp::NotIn) && Kind::membership_scans(r) {
                        flow = flow.then(Flow::of(r.size));
                        if !r.size.is_constant() {
                            let line = self.line_of(right);
                            let cost = ctx.mult.times(r.size);
                            self.contribute(
                                line,
                                cost,
                                ctx,
                                format!("`in` scans a sequence of {} elements", r.size.size()),
                            );
                        }
                    }
                }
                (flow, Val::int(Cost::ONE))
            }
            Expr::Call(call) => self.call(call, ctx)?,
            Expr::Attribute(a) => {
                let (flow, owner) = self.expr(&a.value, ctx)?;
                let val = self.attribute_of(owner, a.attr.as_str());
                (flow, val.unwrap_or(Val::UNKNOWN))
            }
            Expr::Subscript(s) => {
                let (vf, v) = self.expr(&s.value, ctx)?;
                if let Expr::Slice(sl) = s.slice.as_ref() {
                    let mut flow = vf;
                    for part in [&sl.lower, &sl.upper, &sl.step].into_iter().flatten() {
                        flow = flow.then(self.expr(part, ctx)?.0);
                    }
                    // A slice copies up to the whole sequence (a row of an adjacency list
                    // inside a traversal: amortised, like walking it).
                    // A slice of a few elements (`s[i - 2:i]`) copies only those.
                    let copied = if is_short(sl) {
                        Cost::ONE
                    } else {
                        self.iteration_count(v, ctx)
                    };
                    (flow.then(Flow::of(copied)), sliced(v, sl))
                } else {
                    let (sf, _) = self.expr(&s.slice, ctx)?;
                    (vf.then(sf), index(v))
                }
            }
            Expr::List(l) => self.literal(&l.elts, Kind::List, ctx)?,
            Expr::Tuple(t) => self.literal(&t.elts, Kind::Tuple, ctx)?,
            Expr::Set(s) => self.literal(&s.elts, Kind::Set, ctx)?,
            Expr::Dict(d) => {
                let mut flow = Flow::NONE;
                for item in &d.items {
                    if let Some(k) = &item.key {
                        flow = flow.then(self.expr(k, ctx)?.0);
                    }
                    flow = flow.then(self.expr(&item.value, ctx)?.0);
                }
                (flow, Val::of(Kind::Dict, Cost::ONE, Cost::ONE))
            }
            Expr::ListComp(c) => self.comprehension(&c.generators, &[&c.elt], Kind::List, ctx)?,
            Expr::SetComp(c) => self.comprehension(&c.generators, &[&c.elt], Kind::Set, ctx)?,
            Expr::Generator(c) => self.comprehension(&c.generators, &[&c.elt], Kind::Iter, ctx)?,
            Expr::DictComp(c) => {
                let key = c.key.as_deref().unwrap_or(&c.value);
                self.comprehension(&c.generators, &[key, &c.value], Kind::Dict, ctx)?
            }
            Expr::Lambda(_) | Expr::NoneLiteral(_) | Expr::BooleanLiteral(_) => {
                (Flow::NONE, Val::int(Cost::ONE))
            }
            Expr::EllipsisLiteral(_) | Expr::IpyEscapeCommand(_) | Expr::TString(_) => {
                (Flow::NONE, Val::UNKNOWN)
            }
            Expr::If(i) => {
                let (tf, _) = self.expr(&i.test, ctx)?;
                let (bf, b) = self.expr(&i.body, ctx)?;
                let (of, o) = self.expr(&i.orelse, ctx)?;
                let val = if b.storage() >= o.storage() { b } else { o };
                (tf.then(bf.either(of)), val)
            }
            Expr::Named(n) => {
                let (flow, val) = self.expr(&n.value, ctx)?;
                self.assign(&n.target, val, &n.value, ctx)?;
                (flow, val)
            }
            Expr::Starred(s) => self.expr(&s.value, ctx)?,
            Expr::Await(a) => self.expr(&a.value, ctx)?,
            Expr::YieldFrom(y) => self.expr(&y.value, ctx)?,
            Expr::Yield(y) => match &y.value {
                Some(v) => {
                    let (flow, val) = self.expr(v, ctx)?;
                    self.hold_yielded(v, val);
                    (flow, val)
                }
                None => (Flow::NONE, Val::UNKNOWN),
            },
            Expr::Slice(_) => (Flow::NONE, Val::UNKNOWN),
        })
    }

    fn literal(&mut self, elts: &[Expr], kind: Kind, ctx: Ctx) -> Result<(Flow, Val)> {
        let mut flow = Flow::NONE;
        let mut size = Cost::ONE;
        let mut elem = Cost::ONE;
        let mut nested = false;
        let mut elem_kind = Kind::Int;
        // `[*map(int, input().split())]` unpacks what was read: reading, not work.
        let read = !elts.is_empty() && elts.iter().all(|e| matches!(e, Expr::Starred(_)));
        let mut all_read = true;
        for e in elts {
            let (f, v) = self.expr(e, ctx)?;
            flow = flow.then(f);
            if let Expr::Starred(_) = e {
                all_read &= v.read;
                size = size.plus(v.size);
                if !v.read {
                    flow = flow.then(Flow::of(v.size));
                }
            } else if v.kind.is_collection() {
                nested = true;
                elem_kind = v.kind;
                elem = elem.plus(v.size);
            } else {
                elem = elem.plus(v.size);
            }
        }
        Ok((
            flow,
            Val {
                kind,
                size,
                elem,
                nested,
                elem_kind,
                read: read && all_read,
            },
        ))
    }

    /// `[elt for x in xs for y in ys if c]`: the element work runs once per combination.
    pub fn comprehension(
        &mut self,
        generators: &[Comprehension],
        elts: &[&Expr],
        kind: Kind,
        ctx: Ctx,
    ) -> Result<(Flow, Val)> {
        let mut inner = ctx;
        let mut flow = Flow::NONE;
        let mut iterations = Cost::ONE;
        let mut all_read = true;
        for generator in generators {
            let (f, source) = self.expr(&generator.iter, inner)?;
            all_read &= source.read;
            flow = flow.then(f);
            let mut count = self.iteration_count(source, inner);
            // Like a `for` loop, a generator whose variable is an exponent walks bits or digits.
            if let Expr::Name(target) = &generator.target
                && (!count.is_constant() || matches!(generator.iter, Expr::Call(_)))
                && elts.iter().any(|e| {
                    crate::static_analysis::syntax::scan::any_in(std::slice::from_ref(*e), |x| {
                        crate::static_analysis::syntax::patterns::is_exponent_use(
                            x,
                            target.id.as_str(),
                        )
                    })
                })
            {
                count = Cost::LOG;
            }
            self.bind_enumerated(&generator.target, &generator.iter, source, ctx)?;
            iterations = iterations.times(count);
            inner = inner.inside(count);
            // A filter runs once per combination of the generators so far.
            for cond in &generator.ifs {
                let test = self.expr(cond, inner)?.0;
                flow = flow.then(Flow {
                    time: iterations.times(test.time),
                    ..test
                });
            }
        }
        let mut body = Flow::NONE;
        let mut elem = Val::int(Cost::ONE);
        for e in elts {
            let (f, v) = self.expr(e, inner)?;
            body = body.then(f);
            elem = v;
        }
        // `[int(x) for x in input().split()]` is reading, which the input's size already pays.
        let all_read = all_read && body.time.is_constant();
        let total = if all_read {
            Cost::ONE
        } else {
            iterations.times(body.time)
        };
        if !total.is_constant() {
            let line = self.line_of(elts[0]);
            let outer = ctx.mult.times(total);
            self.contribute(
                line,
                outer,
                inner,
                if iterations.is_constant() {
                    "comprehension over a fixed number of elements".to_owned()
                } else {
                    format!("comprehension over {} elements", iterations.size())
                },
            );
        }
        let val = Val {
            kind,
            size: iterations,
            elem: elem.size,
            nested: elem.kind.is_collection() && kind != Kind::Iter,
            elem_kind: elem.kind,
            read: all_read,
        };
        Ok((
            flow.then(Flow {
                time: total,
                ..body.repeated(iterations)
            }),
            val,
        ))
    }
}

/// The value of `v[i]`.
fn index(v: Val) -> Val {
    match v.kind {
        Kind::Adjacency if v.nested => Val {
            kind: Kind::Adjacency,
            size: Cost::N,
            elem: Cost::N,
            nested: false,
            // A row remembers whether it is a set (see `Kind::membership_scans`).
            elem_kind: v.elem_kind,
            read: false,
        },
        Kind::Str => Val::of(Kind::Str, Cost::ONE, Cost::ONE),
        Kind::Dict if v.nested => {
            let kind = if v.elem_kind.is_collection() {
                v.elem_kind
            } else {
                Kind::List
            };
            Val::of(kind, v.elem, Cost::N)
        }
        _ => v.element(),
    }
}

/// The method an operator calls on an instance: `a @ b` is `a.__matmul__(b)`.
fn operator_method(op: Operator) -> Option<&'static str> {
    Some(match op {
        Operator::Add => "__add__",
        Operator::Sub => "__sub__",
        Operator::Mult => "__mul__",
        Operator::MatMult => "__matmul__",
        Operator::Div => "__truediv__",
        Operator::FloorDiv => "__floordiv__",
        Operator::Mod => "__mod__",
        Operator::Pow => "__pow__",
        _ => return None,
    })
}

/// The value of `v[lo:hi]`: only sequences are sliced, so a slice of a value of unknown kind
/// (an unannotated parameter, a row of one) is a sequence as long as the value, unless a bound
/// keeps it to a few elements (`s[:3]`, `s[-2:]`, `s[i:i + 2]`, `s[i - 2:i]`).
fn sliced(v: Val, sl: &ExprSlice) -> Val {
    if v.kind.is_collection() || v.size.is_constant() || is_short(sl) {
        return v;
    }
    Val {
        kind: Kind::List,
        ..v
    }
}

/// A slice whose bounds keep it to a few elements.
fn is_short(sl: &ExprSlice) -> bool {
    match (sl.lower.as_deref(), sl.upper.as_deref()) {
        (None, Some(hi)) => !matches!(hi, Expr::UnaryOp(_)) && is_small_constant(hi),
        (Some(lo @ Expr::UnaryOp(_)), None) => is_small_constant(lo),
        (Some(lo), Some(Expr::BinOp(hi))) => {
            hi.op == Operator::Add
                && ComparableExpr::from(lo) == ComparableExpr::from(hi.left.as_ref())
                && is_small_constant(&hi.right)
        }
        // `s[i - 2:i]`: the same few elements, counted back from the upper bound.
        (Some(Expr::BinOp(lo)), Some(hi)) => {
            lo.op == Operator::Sub
                && ComparableExpr::from(hi) == ComparableExpr::from(lo.left.as_ref())
                && is_small_constant(&lo.right)
        }
        _ => false,
    }
}

fn literal_size(n: &Number) -> Cost {
    match n {
        Number::Int(i) => match i.as_u64() {
            Some(v) if v < LARGE_LITERAL => Cost::ONE,
            _ => Cost::N,
        },
        Number::Float(f) if *f >= LARGE_LITERAL as f64 => Cost::N,
        _ => Cost::ONE,
    }
}

/// The extra cost and the value of `l op r`.
fn binop(op: Operator, l: Val, r: Val, right: &Expr) -> (Cost, Val) {
    let coll = |v: Val| v.kind.is_collection() && v.kind != Kind::Iter;
    match op {
        Operator::Mult if coll(l) || coll(r) => {
            let (seq, count) = if coll(l) { (l, r) } else { (r, l) };
            let size = seq.size.times(count.size);
            (size, Val { size, ..seq })
        }
        Operator::Add if coll(l) && coll(r) => {
            let size = l.size.plus(r.size);
            let cost = if l.read || r.read { Cost::ONE } else { size };
            (cost, Val { size, ..l })
        }
        Operator::Mult => (Cost::ONE, Val::int(l.size.times(r.size))),
        // `x ** 0.5` is a square root, not a square.
        Operator::Pow if matches!(right, Expr::NumberLiteral(n) if matches!(n.value, Number::Float(f) if f < 1.0)) => {
            (
                Cost::ONE,
                Val::int(if l.size >= Cost::N {
                    Cost::SQRT
                } else {
                    l.size
                }),
            )
        }
        Operator::Pow | Operator::LShift => {
            let size = if r.size.is_constant() {
                match op {
                    Operator::Pow => l.size.times(l.size),
                    _ => l.size,
                }
            } else if r.size == Cost::LOG {
                // `1 << n.bit_length()`, `10 ** len(str(n))`: a base raised to n's count of
                // bits or digits is polynomial in n; in the base the count is taken in, about n.
                Cost::N
            } else {
                // Any base of at least 2 raised to (or shifted by) an input-sized amount.
                Cost::EXP
            };
            (Cost::ONE, Val::int(size))
        }
        Operator::Mod => (Cost::ONE, Val::int(l.size.min(r.size))),
        Operator::FloorDiv | Operator::Div | Operator::RShift => {
            let size = if r.size.is_constant() || l.size.is_constant() {
                l.size
            } else {
                Cost::ONE
            };
            (Cost::ONE, Val::int(size))
        }
        _ => (Cost::ONE, Val::int(l.size.plus(r.size))),
    }
}
