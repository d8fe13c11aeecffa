//! Layer 3: facts about the whole program, gathered in one pass before the walk and read by
//! every rule: which functions and classes exist, import aliases, which functions read input
//! or write output, records read from the input, and the module's stored tables.
//!
//! The walk adds to one fact only: a reader alias it meets (`rl = sys.stdin.readline`) joins
//! `readers` from there on, as the program binds it.

use std::collections::{HashMap, HashSet};

use ruff_python_ast::{Stmt, StmtClassDef, StmtFunctionDef};

use crate::error::{Error, Result};
use crate::static_analysis::domain::budget::MAX_DEPTH;
use crate::static_analysis::syntax::{scan, tables};

/// What the whole program is made of.
#[derive(Debug)]
pub struct ProgramFacts<'a> {
    /// Functions defined outside class bodies: the only ones a bare name can call (inside a
    /// method, `int(x)` is the builtin even if the class defines a method `int`).
    pub funcs: rustc_hash::FxHashMap<String, &'a StmtFunctionDef>,
    /// Class definitions in source order.
    pub classes: Vec<&'a StmtClassDef>,
    /// `from collections import Counter as C`: local name to imported name.
    pub aliases: HashMap<String, String>,
    /// Names of functions that read input, builtins and user functions alike.
    pub readers: Vec<&'a str>,
    /// Names of functions that write output.
    pub writers: Vec<&'a str>,
    /// Lists indexed at fixed positions (see `scan::record_names`).
    pub records: HashSet<String>,
    /// The program calls `cache_clear()`: decorated caches do not persist between calls.
    pub clears_caches: bool,
    /// The program reads input. One that does not (a function and a call to try it on literal
    /// data) has no input size of its own: its functions are summarised with their parameters
    /// as the input, whatever the call passes.
    pub reads_input: bool,
    /// Tables the module's top-level code stores into (see `tables::stored_tables`).
    pub stored_tables: HashSet<String>,
    /// Additions guarded by a mark (see `marks::marked_additions`): container start → table.
    pub marked_additions: HashMap<ruff_text_size::TextSize, String>,
    /// Additions of a loop index to a set (see `indices::index_adds`): container start → index.
    pub index_adds: HashMap<ruff_text_size::TextSize, String>,
    /// `for` loops over a range a `while` narrowed to a few values (see `narrowed`).
    pub narrowed_fors: HashSet<ruff_text_size::TextSize>,
}

impl<'a> ProgramFacts<'a> {
    /// Gathers the facts of a module. `methods` lists the methods of its classes as the
    /// interpreter registers them, so that methods that read or write count as readers and
    /// writers too.
    pub fn gather(suite: &'a [Stmt]) -> Result<ProgramFacts<'a>> {
        let mut facts = ProgramFacts {
            funcs: Default::default(),
            classes: Vec::new(),
            aliases: HashMap::new(),
            readers: scan::INPUT_READERS.to_vec(),
            writers: scan::OUTPUT_WRITERS.to_vec(),
            records: scan::record_names(suite),
            clears_caches: scan::calls_any(suite, &["cache_clear"]),
            reads_input: scan::reads_input(suite),
            stored_tables: HashSet::new(),
            marked_additions: HashMap::new(),
            index_adds: HashMap::new(),
            narrowed_fors: HashSet::new(),
        };
        crate::static_analysis::syntax::narrowed::narrowed_fors(suite, &mut facts.narrowed_fors);
        crate::static_analysis::syntax::indices::index_adds(suite, &mut facts.index_adds);
        crate::static_analysis::syntax::marks::marked_additions(suite, &mut facts.marked_additions);
        facts.register(suite, 0, false)?;
        tables::stored_tables(suite, &mut facts.stored_tables);
        Ok(facts)
    }

    /// Whether the user function `name` picks a random pivot, itself or through a user
    /// function it calls (a `partition` helper that draws one).
    pub fn pivots_randomly(&self, name: &str) -> bool {
        self.picks_randomly(name)
            || self.funcs.get(name).is_some_and(|def| {
                scan::any_expr(&def.body, scan::Defs::Skip, |e| {
                    scan::callee(e).is_some_and(|f| f != name && self.picks_randomly(f))
                })
            })
    }

    /// Whether the user function `name` picks a random pivot itself (`randint`, `randrange`,
    /// `choice`, `shuffle`): calling it is picking one (a `partition` helper).
    pub fn picks_randomly(&self, name: &str) -> bool {
        self.funcs.get(name).is_some_and(|def| {
            scan::calls_any(
                &def.body,
                crate::static_analysis::syntax::counters::RANDOM_PICKS,
            )
        })
    }

    /// Notes which of `defs` read input or write output.
    pub fn find_readers_and_writers(&mut self, defs: &[&'a StmtFunctionDef]) {
        for def in defs {
            // One scan for both questions, stopped once both are answered.
            let (mut reads, mut writes) = (false, false);
            scan::any_expr(&def.body, scan::Defs::Skip, |e| {
                if let Some(name) = scan::callee(e) {
                    reads |= scan::INPUT_READERS.contains(&name);
                    writes |= scan::OUTPUT_WRITERS.contains(&name);
                }
                reads && writes
            });
            if reads {
                self.readers.push(def.name.as_str());
            }
            if writes {
                self.writers.push(def.name.as_str());
            }
        }
    }

    /// Makes every `def` outside a class body callable by name, and notes classes and import
    /// aliases.
    fn register(&mut self, body: &'a [Stmt], depth: usize, class_body: bool) -> Result<()> {
        if depth > MAX_DEPTH {
            return Err(Error::TooDeep { limit: MAX_DEPTH });
        }
        for stmt in body {
            match stmt {
                Stmt::ImportFrom(i) => {
                    for alias in &i.names {
                        if let Some(local) = &alias.asname {
                            self.aliases
                                .insert(local.to_string(), alias.name.to_string());
                        }
                    }
                }
                Stmt::Import(i) => {
                    for alias in &i.names {
                        if let Some(local) = &alias.asname {
                            self.aliases
                                .insert(local.to_string(), alias.name.to_string());
                        }
                    }
                }
                // A bare name never calls a method: inside `class Read`, `int(x)` is the
                // builtin even when the class defines a method `int`.
                Stmt::FunctionDef(f) => {
                    if !class_body {
                        self.funcs.insert(f.name.to_string(), f);
                    }
                    self.register(&f.body, depth + 1, false)?;
                }
                Stmt::ClassDef(c) => {
                    self.classes.push(c);
                    self.register(&c.body, depth + 1, true)?;
                }
                Stmt::If(s) => {
                    self.register(&s.body, depth + 1, class_body)?;
                    for clause in &s.elif_else_clauses {
                        self.register(&clause.body, depth + 1, class_body)?;
                    }
                }
                Stmt::For(s) => self.register(&s.body, depth + 1, class_body)?,
                Stmt::While(s) => self.register(&s.body, depth + 1, class_body)?,
                Stmt::With(s) => self.register(&s.body, depth + 1, class_body)?,
                Stmt::Try(s) => self.register(&s.body, depth + 1, class_body)?,
                _ => {}
            }
        }
        Ok(())
    }
}
