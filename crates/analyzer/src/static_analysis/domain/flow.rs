//! The values that flow out of the walk: costs with their call counts, loop context,
//! recursion sites and per-line contributions.

use crate::cost::Cost;

/// A cost attributed to one line, for hotspots and the explanation.
#[derive(Debug, Clone)]
pub struct Contribution {
    pub line: u32,
    pub cost: Cost,
    pub depth: u32,
    pub reason: String,
}

/// Costs flowing out of a block: time, and how many times it calls the function being analysed.
#[derive(Debug, Clone, Copy)]
pub struct Flow {
    pub time: Cost,
    pub calls: u32,
    /// Work done at most once per enclosing loop: a branch that ends in `break` or `return`.
    pub once: Cost,
    /// Work done once however often the code runs: filling a memo table that outlives the
    /// call (see `Summary::shared`).
    pub shared: Cost,
}

impl Flow {
    pub const NONE: Flow = Flow {
        time: Cost::ONE,
        calls: 0,
        once: Cost::ONE,
        shared: Cost::ONE,
    };

    pub fn of(time: Cost) -> Flow {
        Flow { time, ..Flow::NONE }
    }

    pub fn then(self, other: Flow) -> Flow {
        Flow {
            time: self.time.plus(other.time),
            calls: self.calls.saturating_add(other.calls),
            once: self.once.plus(other.once),
            shared: self.shared.plus(other.shared),
        }
    }

    pub fn either(self, other: Flow) -> Flow {
        Flow {
            time: self.time.plus(other.time),
            calls: self.calls.max(other.calls),
            once: self.once.plus(other.once),
            shared: self.shared.plus(other.shared),
        }
    }

    /// The block leaves the loop: its work happens once, not once per iteration.
    pub fn exiting(self) -> Flow {
        Flow {
            time: Cost::ONE,
            calls: self.calls,
            once: self.time.plus(self.once),
            shared: self.shared,
        }
    }

    /// Seen from outside a loop, exit work is ordinary work.
    pub fn settled(self) -> Flow {
        Flow {
            time: self.time.plus(self.once),
            once: Cost::ONE,
            ..self
        }
    }

    /// Everything the code costs, shared work included: the cost of a whole program.
    pub fn total(self) -> Cost {
        self.time.plus(self.once).plus(self.shared)
    }

    /// The body of a loop run `count` times: its work is repeated, shared work is not.
    pub fn repeated(self, count: Cost) -> Flow {
        Flow {
            time: count.times(self.time).plus(self.once),
            once: Cost::ONE,
            ..self
        }
    }
}

/// Where in the loop structure a statement sits.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    /// Product of the iteration counts of the enclosing loops of this function.
    pub mult: Cost,
    /// Number of enclosing loops.
    pub depth: u32,
    /// `mult` without the innermost loop: how often code that leaves that loop runs.
    pub outer: Cost,
}

impl Ctx {
    pub const TOP: Ctx = Ctx {
        mult: Cost::ONE,
        depth: 0,
        outer: Cost::ONE,
    };

    pub fn inside(self, iterations: Cost) -> Ctx {
        Ctx {
            mult: self.mult.times(iterations),
            depth: self.depth + 1,
            outer: self.mult,
        }
    }
}

/// A call of the function being analysed from inside itself.
#[derive(Debug, Clone)]
pub struct RecSite {
    pub shrink: Shrink,
    /// The argument is an entry of a table (`find(parent[x])`).
    pub chases: bool,
    /// An argument is a field of a node (`f(node.left)`): the call descends to a child.
    pub descends: bool,
    pub in_loop: bool,
    pub line: u32,
}

/// How a recursive call's arguments relate to the parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shrink {
    /// `n // 2`, `mid`, `n >> 1`: the problem halves.
    Divide,
    /// `n - 1`, `i + 1`, anything else: the problem shrinks by a constant.
    Subtract,
    /// `s[:i] + s[i + 1:]`: one element of a sequence is left out (a choice among all of
    /// them, made in a loop: permutations).
    LeaveOut,
    /// `quicksort(a, lo, p - 1)` and `quicksort(a, p + 1, hi)`, `qs([x for x in a if x < p])`:
    /// the sides of a pivot, half of the input when the pivot is random (expected), all but one
    /// element in the worst case of a fixed pivot.
    Pivot,
}
