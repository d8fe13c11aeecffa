//! Abstract values: what the analyzer knows about a variable — its kind and how big it is.

use crate::cost::Cost;

/// The kind of a Python value, as far as costs are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    Str,
    List,
    Tuple,
    Set,
    Dict,
    Deque,
    /// A range or lazy iterator (map, zip, enumerate, permutations, …).
    Iter,
    /// A list of lists filled by `g[u].append(v)`: its rows add up to the input size, so
    /// walking one row inside a traversal is amortised constant work.
    Adjacency,
    /// An instance of the user class with this index (see `classes`).
    Object(u16),
    Unknown,
}

impl Kind {
    /// Whether `x in value` scans the value (`O(len)`) rather than hashing (`O(1)`).
    pub fn scans_on_membership(self) -> bool {
        !matches!(self, Kind::Set | Kind::Dict | Kind::Int | Kind::Iter)
    }

    /// Membership on a whole value: an adjacency structure is looked up by key.
    pub fn membership_scans(v: Val) -> bool {
        if v.kind == Kind::Adjacency {
            // The whole structure is looked up by key; one row scans unless its rows are sets.
            return !v.nested && !matches!(v.elem_kind, Kind::Set | Kind::Dict);
        }
        v.kind.scans_on_membership()
    }

    pub fn is_collection(self) -> bool {
        !matches!(self, Kind::Int | Kind::Unknown | Kind::Object(_))
    }
}

/// An abstract value: for numbers `size` is the magnitude of the value, for collections their
/// length; `elem` is the same for one element, and `nested` says elements are collections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Val {
    pub kind: Kind,
    pub size: Cost,
    pub elem: Cost,
    pub nested: bool,
    /// The kind of one element.
    pub elem_kind: Kind,
    /// The value came straight from the input; materialising it is part of reading, not work.
    pub read: bool,
}

impl Val {
    pub const UNKNOWN: Val = Val {
        kind: Kind::Unknown,
        size: Cost::ONE,
        elem: Cost::ONE,
        nested: false,
        elem_kind: Kind::Unknown,
        read: false,
    };

    pub fn int(size: Cost) -> Val {
        Val {
            kind: Kind::Int,
            size,
            elem: Cost::ONE,
            nested: false,
            elem_kind: Kind::Unknown,
            read: false,
        }
    }

    pub fn of(kind: Kind, size: Cost, elem: Cost) -> Val {
        Val {
            kind,
            size,
            elem,
            nested: false,
            elem_kind: Kind::Int,
            read: false,
        }
    }

    /// How much memory the value holds.
    pub fn storage(self) -> Cost {
        if !self.kind.is_collection() {
            return Cost::ONE;
        }
        if self.nested {
            self.size.times(self.elem)
        } else {
            self.size
        }
    }

    /// The value an iteration over this one yields.
    pub fn element(self) -> Val {
        match self.kind {
            Kind::Str => Val::of(Kind::Str, Cost::ONE, Cost::ONE),
            _ if self.nested => {
                let kind = if self.elem_kind.is_collection() {
                    self.elem_kind
                } else {
                    Kind::List
                };
                Val::of(kind, self.elem, Cost::N)
            }
            // `nodes[i]` of a list of instances is an instance.
            _ if matches!(self.elem_kind, Kind::Object(_)) => Val {
                kind: self.elem_kind,
                ..Val::UNKNOWN
            },
            _ => Val {
                read: self.read,
                ..Val::int(self.elem)
            },
        }
    }
}

/// Variables in scope. Functions see the module's variables through `globals`.
#[derive(Debug, Default, Clone)]
pub struct Env {
    vars: rustc_hash::FxHashMap<String, Val>,
}

impl Env {
    pub fn get(&self, name: &str) -> Option<Val> {
        self.vars.get(name).copied()
    }

    pub fn set(&mut self, name: &str, val: Val) {
        // Most sets rebind a known name: no new key to allocate.
        match self.vars.get_mut(name) {
            Some(slot) => *slot = val,
            None => {
                self.vars.insert(name.to_owned(), val);
            }
        }
    }
}

/// The size of a number known to be below n, or of a collection that holds a fixed number of
/// values (`[(x1, y1), (x2, y2)]`, `[a, b, c]`).
pub fn small_number(v: Val) -> Option<Cost> {
    let fixed_collection = v.kind.is_collection() && v.storage().is_constant();
    (v.kind == Kind::Int && v.size < Cost::N || fixed_collection).then_some(v.size)
}
