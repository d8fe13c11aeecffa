//! Containers that a loop fills anew on every pass, but only with elements it marks as it adds
//! them (`if res[i] == 0: res[i] = v; layer.add(i)`): each element joins once over all the
//! passes, so walking the container in the loop's body is amortised, like a BFS layer.
//! Marks that may be reset (the table reassigned or stored into elsewhere in the loop) are
//! not recognised.

use std::collections::HashMap;

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextSize};

use crate::static_analysis::syntax::scan::grown_container;

/// Containers the block empties at its top level (`s = set()`, `s = []`) and then fills only
/// under a mark, and that it walks at its top level (`for v in s`).
pub fn filled_once(body: &[Stmt]) -> Vec<String> {
    body.iter()
        .filter_map(|stmt| match stmt {
            Stmt::Assign(a) if a.targets.len() == 1 && is_empty_container(&a.value) => {
                match &a.targets[0] {
                    Expr::Name(n) => Some(n.id.as_str()),
                    _ => None,
                }
            }
            _ => None,
        })
        .filter(|name| walks(body, name))
        .filter(|name| {
            let mut added = false;
            let mut tables = Vec::new();
            adds_only_marked(body, name, None, &mut added, &mut tables)
                && added
                && tables.iter().all(|t| {
                    !crate::static_analysis::syntax::patterns::all_assigned(body).contains(t)
                        && stores_into(body, t) == 1
                })
        })
        .map(str::to_owned)
        .collect()
}

/// How many stores into `table[…]` the block makes.
fn stores_into(body: &[Stmt], table: &str) -> usize {
    let mut stores = 0;
    crate::static_analysis::syntax::scan::any_expr(
        body,
        crate::static_analysis::syntax::scan::Defs::Skip,
        |e| {
            if let Expr::Subscript(s) = e
                && s.ctx.is_store()
                && matches!(s.value.as_ref(), Expr::Name(t) if t.id.as_str() == table)
            {
                stores += 1;
            }
            false
        },
    );
    stores
}

pub fn is_empty_container(e: &Expr) -> bool {
    match e {
        Expr::List(l) => l.elts.is_empty(),
        Expr::Set(s) => s.elts.is_empty(),
        Expr::Call(c) => {
            c.arguments.args.is_empty()
                && matches!(c.func.as_ref(), Expr::Name(n) if matches!(n.id.as_str(), "set" | "list" | "deque"))
        }
        _ => false,
    }
}

fn walks(body: &[Stmt], name: &str) -> bool {
    body.iter().any(|stmt| {
        matches!(stmt, Stmt::For(f) if matches!(f.iter.as_ref(), Expr::Name(n) if n.id.as_str() == name))
    })
}

/// Whether every addition to `name` in the block adds the index of a mark set in the same
/// branch (`guard`: the marking table and index). The marking tables are collected.
fn adds_only_marked(
    block: &[Stmt],
    name: &str,
    guard: Option<(&str, &str)>,
    added: &mut bool,
    tables: &mut Vec<String>,
) -> bool {
    block.iter().all(|stmt| match stmt {
        Stmt::Expr(e) => match added_element(&e.value, name) {
            Some(element) => {
                *added = true;
                guard.is_some_and(|(table, index)| {
                    tables.push(table.to_owned());
                    matches!(element, Expr::Name(n) if n.id.as_str() == index)
                })
            }
            None => true,
        },
        Stmt::If(s) => {
            let here = mark_set(&s.test, &s.body).or(guard);
            adds_only_marked(&s.body, name, here, added, tables)
                && s.elif_else_clauses.iter().all(|c| {
                    let here = c.test.as_ref().and_then(|t| mark_set(t, &c.body));
                    adds_only_marked(&c.body, name, here, added, tables)
                })
        }
        // Inside a nested loop a branch may add on every pass: its guard does not carry over.
        Stmt::For(f) => adds_only_marked(&f.body, name, None, added, tables),
        Stmt::While(w) => adds_only_marked(&w.body, name, None, added, tables),
        _ => true,
    })
}

/// `name.add(x)` / `name.append(x)`: the element added.
fn added_element<'e>(e: &'e Expr, name: &str) -> Option<&'e Expr> {
    let Expr::Call(c) = e else { return None };
    let Some(Expr::Name(container)) = grown_container(c) else {
        return None;
    };
    (container.id.as_str() == name)
        .then(|| c.arguments.args.first())
        .flatten()
}

/// A branch that tests `table[i]` and stores into `table[i]` at its top level: the table and
/// the index name.
fn mark_set<'e>(test: &Expr, body: &'e [Stmt]) -> Option<(&'e str, &'e str)> {
    body.iter().find_map(|stmt| {
        let Stmt::Assign(a) = stmt else { return None };
        a.targets.iter().find_map(|t| {
            let Expr::Subscript(s) = t else { return None };
            let (Expr::Name(table), Expr::Name(index)) = (s.value.as_ref(), s.slice.as_ref())
            else {
                return None;
            };
            tests_entry(test, table.id.as_str(), index.id.as_str())
                .then_some((table.id.as_str(), index.id.as_str()))
        })
    })
}

fn tests_entry(test: &Expr, table: &str, index: &str) -> bool {
    crate::static_analysis::syntax::scan::any_in(std::slice::from_ref(test), |e| {
        matches!(e, Expr::Subscript(s)
            if matches!(s.value.as_ref(), Expr::Name(t) if t.id.as_str() == table)
                && matches!(s.slice.as_ref(), Expr::Name(i) if i.id.as_str() == index))
    })
}

/// Every addition in the module that is guarded by a mark set in the same branch (`if
/// dist[v] == -1: dist[v] = d; q.append(v)`), keyed by the start of the container expression,
/// with the marking table: the container gains each index at most once while the mark stays,
/// so it holds no more elements than the table has entries.
pub fn marked_additions(body: &[Stmt], out: &mut HashMap<TextSize, String>) {
    for stmt in body {
        match stmt {
            Stmt::If(s) => {
                let branches = std::iter::once((Some(s.test.as_ref()), &s.body)).chain(
                    s.elif_else_clauses
                        .iter()
                        .map(|c| (c.test.as_ref(), &c.body)),
                );
                for (test, branch) in branches {
                    if let Some((table, index)) = test.and_then(|t| mark_set(t, branch)) {
                        for st in branch {
                            let Stmt::Expr(e) = st else { continue };
                            let Expr::Call(c) = e.value.as_ref() else {
                                continue;
                            };
                            if let Some(container @ Expr::Name(_)) = grown_container(c)
                                && matches!(c.arguments.args.first(), Some(Expr::Name(n)) if n.id.as_str() == index)
                            {
                                out.insert(container.start(), table.to_owned());
                            }
                        }
                    }
                    marked_additions(branch, out);
                }
            }
            Stmt::For(s) => marked_additions(&s.body, out),
            Stmt::While(s) => marked_additions(&s.body, out),
            Stmt::FunctionDef(s) => marked_additions(&s.body, out),
            Stmt::ClassDef(s) => marked_additions(&s.body, out),
            Stmt::With(s) => marked_additions(&s.body, out),
            Stmt::Try(s) => marked_additions(&s.body, out),
            _ => {}
        }
    }
}
