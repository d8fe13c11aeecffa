//! Solving a function's recurrence: how many calls it makes on what shrunk input, and the
//! time and recursion depth that follow (master theorem, subtract-and-conquer, memoisation,
//! traversals, backtracking).

use crate::cost::Cost;
use crate::static_analysis::domain::flow::{RecSite, Shrink};
use crate::static_analysis::domain::rules::Rule;

/// Memoised functions are charged this many input-sized parameters at most.
const MAX_MEMO_DIMENSIONS: u32 = 3;

pub struct Recurrence<'s> {
    pub work: Cost,
    pub calls: u32,
    pub sites: &'s [RecSite],
    pub memo: bool,
    /// A parameter is a bitmask or a collection of chosen items: the states are subsets.
    pub mask: bool,
    pub params: u32,
    /// The size of the list the states are kept in, when known.
    pub table_states: Option<Cost>,
    pub visits: bool,
    /// The marks are cleared after the recursive call (backtracking).
    pub unmarks: bool,
    /// A query range is carried through the calls and nodes outside or inside it return.
    pub range_query: bool,
    /// The function's result multiplies on every level (2^n or n!): it returns two or more
    /// copies of its recursive result, or makes several items from each of its elements.
    pub doubles_result: Option<Cost>,
    /// A loop swaps entries around the recursive call.
    pub swaps: bool,
    /// A guard at the top tests the marks the function sets.
    pub guards: bool,
    /// How many entries the marks can cover: the nodes a traversal enters, and how deep it
    /// can go (n² for the cells of a grid).
    pub cells: Cost,
}

pub struct Solved {
    pub time: Cost,
    pub depth: Cost,
    pub reason: String,
    /// The registry rule that solved it (none for a function that does not recurse).
    pub rule: Option<Rule>,
    pub uncertain: bool,
}

pub fn solve(r: Recurrence<'_>) -> Solved {
    if r.sites.is_empty() {
        return Solved {
            rule: None,
            time: r.work,
            depth: Cost::ONE,
            reason: String::new(),
            uncertain: false,
        };
    }
    let divides = r.sites.iter().any(|s| s.shrink == Shrink::Divide);
    let in_loop = r.sites.iter().any(|s| s.in_loop);
    if r.memo && r.mask {
        return Solved {
            rule: Some(Rule::RecMemoSubsets),
            time: Cost::EXP.times(r.work),
            // The memo keeps an entry for every subset it reaches.
            depth: Cost::EXP,
            reason:
                "memoised recursion over subsets: a bitmask or a set of chosen items has 2^n values"
                    .to_owned(),
            uncertain: false,
        };
    }
    if r.memo {
        let dims = r.params.clamp(1, MAX_MEMO_DIMENSIONS);
        let states = r.table_states.unwrap_or(Cost::power(dims));
        // Halving calls reach few states: a memo only removes repeated ones, so it costs no
        // more than the divide and conquer without it.
        let branches = r.calls.max(1);
        if divides && !in_loop && r.sites.iter().all(|s| s.shrink == Shrink::Divide) {
            let solved = divide_and_conquer(branches, r.work);
            if solved.time < states.times(r.work) {
                return solved;
            }
        }
        return Solved {
            rule: Some(Rule::RecMemoStates),
            time: states.times(r.work),
            // The recursion is at most n deep, and the memo keeps one entry per state.
            depth: states.max(Cost::N),
            reason: format!(
                "memoised recursion: at most {} distinct states, each computed once",
                states.size()
            ),
            uncertain: false,
        };
    }
    if in_loop && r.visits && r.unmarks {
        return Solved {
            rule: Some(Rule::RecBacktracking),
            time: Cost::FACTORIAL,
            depth: Cost::N,
            reason: "backtracking: marks are cleared after each recursive call, so every ordering of the choices is explored".to_owned(),
            uncertain: false,
        };
    }
    if in_loop && r.visits {
        return Solved {
            rule: Some(Rule::RecTraversal),
            time: r.cells.max(r.work),
            depth: r.cells,
            reason: "depth-first traversal: each node is visited once".to_owned(),
            uncertain: false,
        };
    }
    if in_loop && r.swaps {
        return Solved {
            rule: Some(Rule::RecSwapPermutations),
            time: Cost::FACTORIAL,
            depth: Cost::N,
            reason: "permutations: a loop swaps each entry into place around the recursive call"
                .to_owned(),
            uncertain: false,
        };
    }
    if in_loop
        && r.sites
            .iter()
            .any(|s| s.in_loop && s.shrink == Shrink::LeaveOut)
    {
        return Solved {
            rule: Some(Rule::RecLeaveOutPermutations),
            time: Cost::FACTORIAL,
            depth: Cost::N,
            reason: "permutations: each call leaves out one element, chosen in a loop, so every ordering is built".to_owned(),
            uncertain: false,
        };
    }
    if in_loop {
        return Solved {
            rule: Some(Rule::RecBranchingLoop),
            time: Cost::EXP,
            depth: Cost::N,
            reason: "backtracking: a recursive call inside a loop explores every branch".to_owned(),
            uncertain: true,
        };
    }
    let branches = r.calls.max(1);
    if r.sites.iter().all(|s| s.shrink == Shrink::Pivot) {
        return Solved {
            rule: Some(Rule::RecFixedPivot),
            time: Cost::N.times(r.work),
            depth: Cost::N,
            reason: "quicksort with a fixed pivot: in the worst case each call splits off one \
                     element, so n levels"
                .to_owned(),
            uncertain: false,
        };
    }
    if divides && r.range_query {
        return Solved {
            rule: Some(Rule::RecRangeQuery),
            time: Cost::LOG.times(r.work),
            depth: Cost::LOG,
            reason: "range query: nodes outside or inside the range return at once, so a few \
                     nodes per level are visited: log n"
                .to_owned(),
            uncertain: false,
        };
    }
    if divides {
        return divide_and_conquer(branches, r.work);
    }
    // `seen[x][y] = True` then a call per neighbour (flood fill): each cell is entered once.
    if branches >= 2 && r.guards && !r.unmarks {
        return Solved {
            rule: Some(Rule::RecFloodFill),
            time: r.cells.max(r.work),
            depth: r.cells,
            reason: "depth-first traversal: each node is marked and entered once".to_owned(),
            uncertain: false,
        };
    }
    // `f(node.left)`, `f(node.right)`: each call descends to a different child of a tree,
    // so every node is entered once.
    if branches >= 2 && r.sites.iter().all(|s| s.descends) {
        return Solved {
            rule: Some(Rule::RecTree),
            time: Cost::N.times(r.work),
            depth: Cost::N,
            reason: "tree recursion: one call per child, so each node is visited once".to_owned(),
            uncertain: false,
        };
    }
    if branches == 1 && r.sites.iter().all(|s| s.chases) {
        return Solved {
            rule: Some(Rule::RecParentLink),
            time: r.work,
            depth: Cost::LOG,
            reason: "follows a parent link (union-find with path compression): amortised constant"
                .to_owned(),
            uncertain: false,
        };
    }
    if branches == 1
        && let Some(growth) = r.doubles_result
    {
        return Solved {
            rule: Some(Rule::RecMultipliedResult),
            time: growth,
            depth: Cost::N,
            reason: "the result multiplies on every level: each element of the recursive call's result gives two or more".to_owned(),
            uncertain: false,
        };
    }
    if branches == 1 {
        return Solved {
            rule: Some(Rule::RecLinear),
            time: Cost::N.times(r.work),
            depth: Cost::N,
            reason: "linear recursion: one call on an input smaller by a constant".to_owned(),
            uncertain: false,
        };
    }
    Solved {
        rule: Some(Rule::RecBranching),
        time: Cost::EXP,
        depth: Cost::N,
        reason: format!(
            "{branches} recursive calls on an input smaller by a constant: exponential"
        ),
        uncertain: false,
    }
}

/// `branches` recursive calls on half the input, each level doing `work`: the master theorem.
fn divide_and_conquer(branches: u32, work: Cost) -> Solved {
    let (time, how) = master(branches, work);
    Solved {
        rule: Some(Rule::RecDivideAndConquer),
        time,
        depth: Cost::LOG,
        reason: format!(
            "divide and conquer: {branches} recursive call(s) on half the input, {how}"
        ),
        uncertain: false,
    }
}

/// Master theorem for `T(n) = a·T(n/2) + work`.
fn master(a: u32, work: Cost) -> (Cost, &'static str) {
    if a == 1 {
        return if work.half_power == 0 {
            (work.times(Cost::LOG), "so log n levels of constant work")
        } else {
            (work, "and the top level's work dominates")
        };
    }
    let critical = match a {
        2 => 2,
        3 => 3,
        _ => 4,
    };
    if work.half_power < critical {
        (Cost::poly(critical, 0), "so the leaves dominate")
    } else if work.half_power == critical {
        (
            work.times(Cost::LOG),
            "with equal work on each of log n levels",
        )
    } else {
        (work, "and the top level's work dominates")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn master_theorem_covers_its_three_cases() {
        assert_eq!(master(2, Cost::N).0, Cost::N_LOG_N);
        assert_eq!(master(2, Cost::ONE).0, Cost::N);
        assert_eq!(master(1, Cost::ONE).0, Cost::LOG);
        assert_eq!(master(2, Cost::N2).0, Cost::N2);
    }
}
