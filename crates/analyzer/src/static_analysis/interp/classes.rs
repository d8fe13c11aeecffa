//! User classes: instances, their attributes and calls of their methods.
//!
//! An instance is a value of `Kind::Object`. A class's attributes are what its methods assign
//! to `self.x`, `__init__` first (so `self.tree = [0] * (2 * n)` is an input-sized list in every
//! method); an attribute some method adds elements to holds as many elements as there are
//! calls. `obj.method(…)` on an instance costs that method's summary, `Cls(…)` costs its
//! `__init__` and calling an instance its `__call__`. Bases that are user classes are searched
//! for methods and attributes. A loop in a method that removes from a container the instance
//! keeps is amortised over all calls. Attributes set through `setattr` or `__dict__` are not
//! followed.

use std::collections::{HashMap, HashSet};

use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
use ruff_python_ast::{Expr, ExprCall, Stmt, StmtClassDef, StmtFunctionDef};
use ruff_text_size::{Ranged, TextSize};

use crate::cost::Cost;
use crate::error::Result;
use crate::static_analysis::domain::values::{Kind, Val};
use crate::static_analysis::interp::walker::{Ctx, Flow, Walker};

/// Base classes are followed this many levels up when looking a method up.
const MAX_BASES: usize = 8;
/// Classes past this many are not tracked (an instance's class index is a `u16`, and every
/// index handed out stays valid).
const MAX_CLASSES: usize = u16::MAX as usize;
/// Scans of method bodies stop this deep.
const MAX_SCAN_DEPTH: usize = 200;

/// A class defined in the program.
#[derive(Debug)]
pub struct Class<'a> {
    pub name: String,
    pub methods: HashMap<String, &'a StmtFunctionDef>,
    bases: Vec<String>,
    /// What the methods assign to `self.x`, the largest value seen.
    attrs: HashMap<String, Val>,
    /// Attributes some method adds elements to (`self.heap.append(x)`).
    grown: HashSet<String>,
    /// Attributes some method stores an entry into (`self.d[k] = v`): a dictionary gains keys.
    stored: HashSet<String>,
    init_started: bool,
}

/// The classes of a program, and which class each method belongs to.
#[derive(Debug, Default)]
pub struct Classes<'a> {
    list: Vec<Class<'a>>,
    by_name: HashMap<String, usize>,
    owner: HashMap<TextSize, usize>,
}

impl<'a> Classes<'a> {
    pub fn register(&mut self, class: &'a StmtClassDef) {
        let index = self.list.len();
        if index >= MAX_CLASSES {
            return;
        }
        let mut methods = HashMap::new();
        let mut grown = HashSet::new();
        let mut stored = HashSet::new();
        for stmt in &class.body {
            if let Stmt::FunctionDef(f) = stmt {
                methods.insert(f.name.to_string(), f);
                self.owner.insert(f.start(), index);
                if let Some(receiver) = receiver_name(f) {
                    let (g, s) = grown_attributes(&f.body, receiver);
                    grown.extend(g);
                    stored.extend(s);
                }
            }
        }
        let bases = class
            .bases()
            .iter()
            .filter_map(|b| match b {
                Expr::Name(n) => Some(n.id.to_string()),
                _ => None,
            })
            .collect();
        self.by_name.insert(class.name.to_string(), index);
        self.list.push(Class {
            name: class.name.to_string(),
            methods,
            bases,
            attrs: HashMap::new(),
            grown,
            stored,
            init_started: false,
        });
    }

    pub fn named(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    /// Every method of every class.
    pub fn methods(&self) -> impl Iterator<Item = &'a StmtFunctionDef> + '_ {
        self.list.iter().flat_map(|c| c.methods.values().copied())
    }

    /// The class a `def` is a method of.
    pub fn owner_of(&self, def: &StmtFunctionDef) -> Option<usize> {
        self.owner.get(&def.start()).copied()
    }

    pub fn name(&self, class: usize) -> &str {
        &self.list[class].name
    }

    /// `Class.method`, the key of a method's summary.
    pub fn key(&self, def: &StmtFunctionDef) -> String {
        match self.owner_of(def) {
            Some(c) => format!("{}.{}", self.list[c].name, def.name),
            None => def.name.to_string(),
        }
    }

    /// A method of the class or of one of its user-defined bases.
    pub fn method(&self, class: usize, name: &str) -> Option<&'a StmtFunctionDef> {
        self.lineage(class, |_, c| c.methods.get(name).copied())
    }

    /// The first answer `find` gives for the class or one of its user-defined bases.
    fn lineage<T>(&self, class: usize, find: impl Fn(usize, &Class<'a>) -> Option<T>) -> Option<T> {
        let mut queue = vec![class];
        let mut seen = 0;
        while let Some(c) = queue.pop() {
            if let Some(found) = find(c, &self.list[c]) {
                return Some(found);
            }
            seen += 1;
            if seen > MAX_BASES {
                return None;
            }
            queue.extend(self.list[c].bases.iter().filter_map(|b| self.named(b)));
        }
        None
    }

    /// A method of this name in any class (the last one defined), for a receiver whose class
    /// is unknown.
    pub fn any_method(&self, name: &str) -> Option<&'a StmtFunctionDef> {
        self.list
            .iter()
            .rev()
            .find_map(|c| c.methods.get(name).copied())
    }

    /// The value of `instance.attr`; an attribute set by a base class's method is inherited.
    pub fn attribute(&self, class: usize, attr: &str) -> Option<Val> {
        let owner = self.lineage(class, |i, c| c.attrs.contains_key(attr).then_some(i))?;
        let c = &self.list[owner];
        let val = c.attrs.get(attr).copied()?;
        // An attribute the methods add to holds one element per call that adds.
        let grows = c.grown.contains(attr) || c.stored.contains(attr) && val.kind == Kind::Dict;
        if grows && val.kind.is_collection() {
            return Some(Val {
                size: val.size.max(Cost::N),
                ..val
            });
        }
        Some(val)
    }

    /// Records `instance.attr = val`, keeping the largest value assigned.
    pub fn set_attribute(&mut self, class: usize, attr: &str, val: Val) {
        let attrs = &mut self.list[class].attrs;
        match attrs.get(attr) {
            Some(old) if old.storage() > val.storage() || old.size > val.size => {}
            _ => {
                attrs.insert(attr.to_owned(), val);
            }
        }
    }
}

/// The value of an instance of a class.
pub fn instance(class: usize) -> Val {
    Val {
        kind: Kind::Object(u16::try_from(class).unwrap_or(u16::MAX)),
        ..Val::UNKNOWN
    }
}

/// The parameter that receives the instance: the first one, unless the method is static.
pub fn receiver_name(def: &StmtFunctionDef) -> Option<&str> {
    let is_static = def
        .decorator_list
        .iter()
        .any(|d| matches!(&d.expression, Expr::Name(n) if n.id.as_str() == "staticmethod"));
    if is_static {
        return None;
    }
    def.parameters
        .posonlyargs
        .iter()
        .chain(def.parameters.args.iter())
        .next()
        .map(|p| p.parameter.name.as_str())
}

impl<'a> Walker<'a> {
    /// `Cls(…)`: an instance, at the cost of its `__init__`.
    pub fn construct(
        &mut self,
        class: usize,
        call: &ExprCall,
        args: &[Val],
        ctx: Ctx,
    ) -> Result<(Flow, Val)> {
        let mut flow = Flow::NONE;
        if self.classes.method(class, "__init__").is_some() {
            let key = format!("{}.__init__", self.classes.name(class));
            flow = self.user_call(&key, call, args, ctx)?.0;
        }
        Ok((flow, instance(class)))
    }

    /// A class body's `items = []`: a collection attribute every instance shares, which the
    /// methods may add to like one they assign themselves.
    pub fn class_attributes(&mut self, class: &StmtClassDef, ctx: Ctx) -> Result<Flow> {
        let mut flow = Flow::NONE;
        let Some(index) = self.classes.named(class.name.as_str()) else {
            return Ok(flow);
        };
        for stmt in &class.body {
            if let Stmt::Assign(a) = stmt
                && let [Expr::Name(n)] = a.targets.as_slice()
            {
                let (cost, val) = self.expr(&a.value, ctx)?;
                flow = flow.then(cost);
                if val.kind.is_collection() {
                    self.classes.set_attribute(index, n.id.as_str(), val);
                }
            }
        }
        Ok(flow)
    }

    /// Before a method of a class is analysed, its `__init__` is, so that the attributes it
    /// sets are known.
    pub fn prepare_class(&mut self, def: &StmtFunctionDef) -> Result<()> {
        let Some(class) = self.classes.owner_of(def) else {
            return Ok(());
        };
        if def.name.as_str() == "__init__" || self.classes.list[class].init_started {
            return Ok(());
        }
        self.classes.list[class].init_started = true;
        if self.classes.method(class, "__init__").is_some() {
            let key = format!("{}.__init__", self.classes.name(class));
            self.summary(&key)?;
        }
        Ok(())
    }

    /// The summary key of `method` on a value, when the value is an instance of a user class
    /// that has (or inherits) that method.
    pub fn method_key(&self, receiver: Val, method: &str) -> Option<String> {
        let Kind::Object(c) = receiver.kind else {
            return None;
        };
        let def = self.classes.method(usize::from(c), method)?;
        Some(self.classes.key(def))
    }

    /// In a method, whether a block removes an element from a container attribute of the
    /// instance (`self.q.pop()`, `heappop(self.h)`), directly or through a method of the
    /// instance that does (`self.pop()`).
    pub fn drains_instance(&self, body: &[Stmt]) -> bool {
        let Some((receiver, class)) = self.frames.last().and_then(|f| f.receiver.clone()) else {
            return false;
        };
        let (pops, calls) = removals(body, &receiver, &self.facts.aliases);
        pops || calls.iter().any(|m| {
            self.classes.method(class, m).is_some_and(|def| {
                receiver_name(def).is_some_and(|r| removals(&def.body, r, &self.facts.aliases).0)
            })
        })
    }

    /// Marks a class's `__init__` as analysed (or being analysed).
    pub fn init_started(&mut self, def: &StmtFunctionDef) {
        if def.name.as_str() == "__init__"
            && let Some(class) = self.classes.owner_of(def)
        {
            self.classes.list[class].init_started = true;
        }
    }

    /// The value of `receiver.attr`, when the receiver is an instance of a user class.
    pub fn attribute_of(&self, receiver: Val, attr: &str) -> Option<Val> {
        match receiver.kind {
            Kind::Object(c) => self.classes.attribute(usize::from(c), attr),
            _ => None,
        }
    }

    /// `self.x = value`: remembered for the class, and allocated when it is a collection.
    pub fn assign_attribute(&mut self, target: &Expr, owner: &Expr, attr: &str, val: Val) {
        let Expr::Name(n) = owner else { return };
        let Some(Kind::Object(c)) = self.lookup(n.id.as_str()).map(|v| v.kind) else {
            return;
        };
        self.classes.set_attribute(usize::from(c), attr, val);
        if val.kind.is_collection() && !val.storage().is_constant() {
            let line = self.line_of(target);
            self.allocate(line, val.storage(), format_args!("`{}.{attr}`", n.id));
        }
    }
}

/// Attributes of `receiver` that a method body adds elements to: `self.x.append(…)` and the
/// other growing methods, `heappush(self.x, …)` and `self.x += …`; and those it stores an
/// entry into (`self.x[k] = v`).
fn grown_attributes(body: &[Stmt], receiver: &str) -> (HashSet<String>, HashSet<String>) {
    struct Finder<'r> {
        receiver: &'r str,
        found: HashSet<String>,
        stored: HashSet<String>,
        depth: usize,
    }
    impl Finder<'_> {
        fn attr<'e>(&self, e: &'e Expr) -> Option<&'e str> {
            match e {
                Expr::Attribute(a) if matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == self.receiver) => {
                    Some(a.attr.as_str())
                }
                _ => None,
            }
        }
        fn note(&mut self, e: &Expr) {
            if let Some(a) = self.attr(e) {
                self.found.insert(a.to_owned());
            }
        }
    }
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if self.depth > MAX_SCAN_DEPTH {
                return;
            }
            match stmt {
                Stmt::Assign(s) => {
                    for t in &s.targets {
                        if let Expr::Subscript(sub) = t
                            && let Some(a) = self.attr(&sub.value)
                        {
                            self.stored.insert(a.to_owned());
                        }
                    }
                }
                Stmt::AugAssign(s) => self.note(&s.target),
                _ => {}
            }
            self.depth += 1;
            walk_stmt(self, stmt);
            self.depth -= 1;
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if self.depth > MAX_SCAN_DEPTH {
                return;
            }
            if let Expr::Call(c) = expr
                && let Some(container) = crate::static_analysis::syntax::scan::grown_container(c)
            {
                self.note(container);
            }
            self.depth += 1;
            walk_expr(self, expr);
            self.depth -= 1;
        }
    }
    let mut finder = Finder {
        receiver,
        found: HashSet::new(),
        stored: HashSet::new(),
        depth: 0,
    };
    for stmt in body {
        finder.visit_stmt(stmt);
    }
    (finder.found, finder.stored)
}

/// Whether a block removes an element from an attribute of `receiver`, and the methods of
/// `receiver` it calls. `aliases` resolves `from heapq import heappop as pop`.
fn removals(
    body: &[Stmt],
    receiver: &str,
    aliases: &HashMap<String, String>,
) -> (bool, Vec<String>) {
    struct Finder<'r> {
        receiver: &'r str,
        aliases: &'r HashMap<String, String>,
        pops: bool,
        calls: Vec<String>,
        depth: usize,
    }
    impl Finder<'_> {
        fn is_attribute(&self, e: &Expr) -> bool {
            matches!(e, Expr::Attribute(a)
                if matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == self.receiver))
        }
    }
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if self.depth > MAX_SCAN_DEPTH || matches!(stmt, Stmt::FunctionDef(_)) {
                return;
            }
            self.depth += 1;
            walk_stmt(self, stmt);
            self.depth -= 1;
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if self.depth > MAX_SCAN_DEPTH {
                return;
            }
            if let Expr::Call(c) = expr {
                let first = c.arguments.args.first();
                match c.func.as_ref() {
                    Expr::Attribute(a)
                        if matches!(a.attr.as_str(), "pop" | "popleft" | "popitem" | "remove")
                            && self.is_attribute(&a.value) =>
                    {
                        self.pops = true;
                    }
                    Expr::Attribute(a) if matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == self.receiver) =>
                    {
                        self.calls.push(a.attr.to_string());
                    }
                    Expr::Name(f)
                        if self
                            .aliases
                            .get(f.id.as_str())
                            .map_or(f.id.as_str(), String::as_str)
                            == "heappop"
                            && first.is_some_and(|e| self.is_attribute(e)) =>
                    {
                        self.pops = true;
                    }
                    Expr::Attribute(a)
                        if a.attr.as_str() == "heappop"
                            && first.is_some_and(|e| self.is_attribute(e)) =>
                    {
                        self.pops = true;
                    }
                    _ => {}
                }
            }
            self.depth += 1;
            walk_expr(self, expr);
            self.depth -= 1;
        }
    }
    let mut finder = Finder {
        receiver,
        aliases,
        pops: false,
        calls: Vec::new(),
        depth: 0,
    };
    for stmt in body {
        finder.visit_stmt(stmt);
    }
    (finder.pops, finder.calls)
}
