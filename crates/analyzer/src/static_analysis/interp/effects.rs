//! What a call does to its caller's variables: a container passed to a function, or a module
//! variable, that the function adds to is seen grown after the call.

use std::collections::HashSet;

use ruff_python_ast::{Expr, ExprCall, Stmt, StmtFunctionDef};

use crate::cost::Cost;
use crate::static_analysis::domain::values::small_number;
use crate::static_analysis::domain::values::{Kind, Val};
use crate::static_analysis::interp::walker::{Ctx, Walker};

impl Walker<'_> {
    /// The arguments of a call, except that a collection that looks fixed-size but is a global
    /// some function adds to (`primes.append(p)`, which the caller does not see) is taken as
    /// input-sized.
    pub fn unless_filled_elsewhere(&self, call: &ExprCall, args: &[Val]) -> Vec<Val> {
        let filled_elsewhere = |e: &Expr| {
            matches!(e, Expr::Name(n) if self.facts.funcs.values().any(|def| {
                crate::static_analysis::syntax::scan::grown_names(&def.body).iter().any(|g| g == n.id.as_str())
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
        let grown = crate::static_analysis::syntax::scan::grown_names(&def.body);
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
        crate::static_analysis::syntax::patterns::collect_assigned(&def.body, &mut assigned, true);
        assigned.extend(def.parameters.iter().map(|p| p.name().to_string()));
        let local = |n: &String| !declared.contains(&n.as_str()) && assigned.contains(n);
        // `global best; best = [0] * n` (not a reset to an empty list).
        let rebinds = crate::static_analysis::syntax::patterns::simple_assignments(&def.body);
        let rebound = declared
            .iter()
            .filter(|d| {
                rebinds
                    .get(**d)
                    .is_some_and(|v| !crate::static_analysis::syntax::marks::is_empty_container(v))
            })
            .map(|d| d.to_string());
        let appended = crate::static_analysis::syntax::scan::grown_names(&def.body)
            .into_iter()
            .chain(rebound);
        // A stack pushed and popped again (`path.append(v)`, …, `path.pop()`) ends as it was.
        let popped = |n: &String| {
            crate::static_analysis::syntax::scan::pops_from(&def.body, &HashSet::from([n.clone()]))
        };
        out.extend(
            appended
                .filter(|n| !local(n) && !popped(n))
                .map(|n| (n, false)),
        );
        let mut stored = HashSet::new();
        crate::static_analysis::syntax::tables::stored_tables(&def.body, &mut stored);
        out.extend(
            stored
                .into_iter()
                .filter(|n| !n.contains('.') && !local(n))
                .map(|n| (n, true)),
        );
        let mut callees = Vec::new();
        crate::static_analysis::syntax::scan::any_expr(
            &def.body,
            crate::static_analysis::syntax::scan::Defs::Skip,
            |e| {
                if let Expr::Call(c) = e
                    && let Expr::Name(f) = c.func.as_ref()
                {
                    callees.extend(self.facts.funcs.get(f.id.as_str()).copied());
                }
                false
            },
        );
        for callee in callees {
            self.globals_grown_in(callee, seen, out);
        }
    }
}

/// The names a function declares `global`.
pub fn declared_globals(def: &StmtFunctionDef) -> impl Iterator<Item = &str> {
    def.body
        .iter()
        .filter_map(|s| match s {
            Stmt::Global(g) => Some(g.names.iter().map(|n| n.as_str())),
            _ => None,
        })
        .flatten()
}
