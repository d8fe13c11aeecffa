//! The registry of named rules: the loop and recurrence idioms the interpreter recognises,
//! each with a stable name and the reason it is true of the code. Trip-count rules are tried
//! in the order the interpreter lists them (`interp::bounds`, `interp::for_loop`); recurrence
//! rules in `summaries::solve`. `Firings` counts how often each decided something, which the
//! `accuracy` program prints.

macro_rules! rules {
    ($($rule:ident => $name:literal, $reason:literal;)*) => {
        /// A named rule.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Rule {
            $($rule,)*
        }

        impl Rule {
            /// Every rule, in registry order.
            pub const ALL: &'static [Rule] = &[$(Rule::$rule,)*];

            /// A stable name, `area.idiom`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Rule::$rule => $name,)*
                }
            }

            /// Why the rule's answer is true of code of its shape.
            pub fn reason(self) -> &'static str {
                match self {
                    $(Rule::$rule => $reason,)*
                }
            }
        }
    };
}

rules! {
    // `for` loops: the count starts as the length of what the loop iterates over; these
    // override it, tried in this order.
    ForAdjacencyRow => "for.adjacency_row",
        "loop over one node's neighbours: each edge is walked once over the whole traversal";
    ForHarmonic => "for.harmonic",
        "loop steps by an outer loop variable: n/1 + n/2 + … adds up to n log n";
    ForTiles => "for.tiles",
        "loop steps by k over windows of k: the windows cover the range once, so its passes add up to one window as long as the range";
    ForCountedCopies => "for.counted_copies",
        "each distinct key is written out as many times as it was counted: the counts add up to what was counted";
    ForTestCases => "for.test_cases", "loop over independent test cases";
    ForExponent => "for.exponent",
        "the loop variable is a shift amount or an exponent: it walks the bits or digits of a number";
    ForKeptPointer => "for.kept_pointer",
        "a pointer the enclosing loop never resets ends the loop: amortised";
    ForLevel => "for.level",
        "each pass takes an item off the worklist: once per item over the enclosing loop";
    ForMarkedOnce => "for.marked_once",
        "each element joins the container once over the enclosing loop: amortised";
    ForExitsAtOnce => "for.exits_at_once", "the body always leaves the loop: it runs once";
    ForNarrowedRange => "for.narrowed_range",
        "a range between two ends a preceding `while` only leaves once they are a few apart (`while hi - lo > 2`): a few steps";
    // `while` loops, tried in this order; the first that applies gives the count.
    WhileDrainsInstance => "while.drains_instance",
        "each element of the instance's container is removed once over all calls";
    WhileTestCases => "while.test_cases", "a loop over independent test cases";
    WhileAmortised => "while.amortised", "each element is removed or marked once: amortised";
    WhileKeptShrinking => "while.kept_shrinking",
        "divides down a number the enclosing loop never resets: log n steps over all passes";
    WhileDoubledToPower => "while.doubled_to_power",
        "the loop variable is doubled up to a power: as many times as its exponent";
    WhileGeometric => "while.geometric", "the loop variable is halved or doubled each time";
    WhileBisection => "while.bisection", "binary search halves the range each time";
    WhileShrinkingPartition => "while.shrinking_partition",
        "each pass partitions a range a constant fraction (in expectation) smaller than the last: the passes add up to the first one's work";
    WhileRandomPivot => "while.random_pivot",
        "each pass discards one side of a random pivot: a constant fraction in expectation";
    WhileOdometer => "while.odometer",
        "a counter of n digits that restarts at the lowest digit: once per value of the counter";
    WhileCountsToPower => "while.counts_to_power",
        "the loop variable counts up to a power with an input-sized exponent";
    WhileCountsToDigitsPower => "while.counts_to_digits_power",
        "the loop variable counts up to a power of the number of digits: about n";
    WhileGrowingBound => "while.growing_bound",
        "the bound grows exponentially with the loop variable";
    WhileSquare => "while.square", "the loop stops when i*i passes the bound";
    WhileUnionFind => "while.union_find",
        "follows parent links the function compresses (union-find): amortised";
    WhileBitmaskStates => "while.bitmask_states",
        "the worklist holds bitmasks: up to 2^n states";
    WhileBranchingWorklist => "while.branching_worklist",
        "each item pushes two or more longer items: a tree exponential in its depth";
    WhileStepsBackSwapping => "while.steps_back_swapping",
        "each step back swaps an out-of-order pair, removing one of at most n^2 inversions";
    WhileForwardPointer => "while.forward_pointer",
        "a pointer that only moves forward: amortised";
    WhileBetweenConstants => "while.between_constants",
        "the loop variable runs between two constants";
    WhileIndexedLength => "while.indexed_length",
        "the loop variable steps through the sequence it indexes";
    WhileConstantStep => "while.constant_step", "the loop variable moves by a constant step";
    WhileCountedDownEntry => "while.counted_down_entry",
        "counts one entry of a table down to zero";
    WhileGridCells => "while.grid_cells",
        "the worklist holds neighbouring cells of a grid: each of its n·m cells";
    WhileWorklist => "while.worklist", "each element of the worklist is processed";
    WhileAssumed => "while.assumed", "assumed to run once per input element";
    WhileExitsAtOnce => "while.exits_at_once", "the body always leaves the loop: it runs once";
    // Collections that grow geometrically.
    GrowJoinedCopies => "grow.joined_copies",
        "assigned two full copies of itself (`codes = first + second`, each a comprehension over `codes`): it doubles on every pass";
    // Space: what a loop keeps alive.
    SpaceStringExtended => "space.string_extended",
        "`s += t` extends a string: it holds everything added to it";
    SpaceLinkedInstances => "space.linked_instances",
        "an instance linked into a structure in a loop (`tail.next = node`, `head = Node(x, head)`) stays alive: one per pass";
    SpaceHandedOutInstances => "space.handed_out_instances",
        "a call that builds an instance and returns it or links it under the structure it is given, stored back into the name it was given: every instance stays reachable";
    SpaceHeldOrdering => "space.held_ordering",
        "`for p in permutations(a)` holds one tuple at a time, as long as `a`: n space, not the n! tuples";
    SpaceYieldedCopy => "space.yielded_copy",
        "a generator that yields a collection it builds (`yield seq[i:i + k]`) hands out a live copy: at least one is alive while the consumer holds it";
    SpaceMarkedAdditions => "space.marked_additions",
        "added only under a mark set in the same branch: at most once per entry of the marking table";
    SpaceDistinctIndices => "space.distinct_indices",
        "a loop's index added to a set (`rows.add(i)`, `i` from `range(n)` or `enumerate`) takes at most as many distinct values as that loop runs";
    SpaceDividedOut => "space.divided_out",
        "added in a loop that divides down a number the enclosing loops never reset: log n additions in all";
    SpaceLoopedCopy => "space.looped_copy",
        "a loop over a collection it builds (`for x in sorted(a)`) keeps that collection alive while it runs";
    // Recurrences (`summaries::solve`), tried in this order.
    RecMemoSubsets => "rec.memo_subsets",
        "memoised recursion over subsets: a bitmask or a set of chosen items has 2^n values";
    RecMemoStates => "rec.memo_states",
        "memoised recursion: each distinct state is computed once";
    RecBacktracking => "rec.backtracking",
        "marks are cleared after each recursive call, so every ordering of the choices is explored";
    RecTraversal => "rec.traversal", "depth-first traversal: each node is visited once";
    RecSwapPermutations => "rec.swap_permutations",
        "a loop swaps each entry into place around the recursive call: every ordering";
    RecLeaveOutPermutations => "rec.leave_out_permutations",
        "each call leaves out one element, chosen in a loop: every ordering";
    RecBranchingLoop => "rec.branching_loop",
        "a recursive call inside a loop explores every branch";
    RecRangeQuery => "rec.range_query",
        "nodes outside or inside the query range return at once: a few nodes per level";
    RecFixedPivot => "rec.fixed_pivot",
        "recursion on the sides of a pivot that is not random: in the worst case one side holds all but one element, so the recursion is n deep";
    RecDivideAndConquer => "rec.divide_and_conquer",
        "calls on a fraction of the input: the master theorem";
    RecFloodFill => "rec.flood_fill", "each node is marked and entered once";
    RecTree => "rec.tree", "one call per child of a tree node: each node is visited once";
    RecParentLink => "rec.parent_link",
        "follows a parent link that the function compresses: amortised constant";
    RecMultipliedResult => "rec.multiplied_result",
        "the result multiplies on every level";
    RecLinear => "rec.linear", "one call on an input smaller by a constant";
    RecBranching => "rec.branching",
        "several calls on an input smaller by a constant: exponential";
}

/// How often each rule decided something during one analysis.
#[derive(Debug, Clone)]
pub struct Firings {
    /// Indexed by the rule's place in the registry.
    counts: [u32; Rule::ALL.len()],
}

impl Default for Firings {
    fn default() -> Firings {
        Firings {
            counts: [0; Rule::ALL.len()],
        }
    }
}

impl Firings {
    pub fn record(&mut self, rule: Rule) {
        self.counts[rule as usize] += 1;
    }

    /// How often `rule` fired.
    pub fn count(&self, rule: Rule) -> u32 {
        self.counts[rule as usize]
    }
}
