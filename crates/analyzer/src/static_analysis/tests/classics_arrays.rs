//! Classic array, string and data-structure code as users write it in the editor.

use super::{analyse, space, time};

/// Snippets the analyzer already answers right: (name, code, time, space if checked).
const RIGHT: &[(&str, &str, &str, Option<&str>)] = &[
    (
        "kmp",
        "def prefix_function(s):\n    n = len(s)\n    pi = [0] * n\n    for i in range(1, n):\n        j = pi[i - 1]\n        while j > 0 and s[i] != s[j]:\n            j = pi[j - 1]\n        if s[i] == s[j]:\n            j += 1\n        pi[i] = j\n    return pi\n\nprint(prefix_function(input()))\n",
        "O(n)",
        Some("O(n)"),
    ),
    (
        "window_dict",
        "def longest_unique(s):\n    last = {}\n    start = 0\n    best = 0\n    for i, c in enumerate(s):\n        if c in last and last[c] >= start:\n            start = last[c] + 1\n        last[c] = i\n        best = max(best, i - start + 1)\n    return best\n\nprint(longest_unique(input()))\n",
        "O(n)",
        Some("O(n)"),
    ),
    (
        "twoptr",
        "def two_sum_sorted(a, target):\n    i, j = 0, len(a) - 1\n    while i < j:\n        s = a[i] + a[j]\n        if s == target:\n            return i, j\n        if s < target:\n            i += 1\n        else:\n            j -= 1\n    return None\n\na = list(map(int, input().split()))\nt = int(input())\nprint(two_sum_sorted(a, t))\n",
        "O(n)",
        None,
    ),
    (
        "nge",
        "def next_greater(a):\n    n = len(a)\n    res = [-1] * n\n    stack = []\n    for i in range(n):\n        while stack and a[stack[-1]] < a[i]:\n            res[stack.pop()] = a[i]\n        stack.append(i)\n    return res\n\nprint(next_greater(list(map(int, input().split()))))\n",
        "O(n)",
        Some("O(n)"),
    ),
    (
        "slidemax",
        "from collections import deque\n\ndef window_max(a, k):\n    dq = deque()\n    out = []\n    for i, x in enumerate(a):\n        while dq and a[dq[-1]] <= x:\n            dq.pop()\n        dq.append(i)\n        if dq[0] <= i - k:\n            dq.popleft()\n        if i >= k - 1:\n            out.append(a[dq[0]])\n    return out\n\nn, k = map(int, input().split())\na = list(map(int, input().split()))\nprint(window_max(a, k))\n",
        "O(n)",
        Some("O(n)"),
    ),
    (
        "prefix",
        "def prefix_sums(a):\n    p = [0] * (len(a) + 1)\n    for i, x in enumerate(a):\n        p[i + 1] = p[i] + x\n    return p\n\na = list(map(int, input().split()))\np = prefix_sums(a)\nq = int(input())\nl, r = map(int, input().split())\nprint(p[r] - p[l])\n",
        "O(n)",
        Some("O(n)"),
    ),
    (
        "kadane",
        "def max_subarray(a):\n    best = cur = a[0]\n    for x in a[1:]:\n        cur = max(x, cur + x)\n        best = max(best, cur)\n    return best\n\nprint(max_subarray(list(map(int, input().split()))))\n",
        "O(n)",
        None,
    ),
    (
        "selection",
        "def selection_sort(a):\n    n = len(a)\n    for i in range(n):\n        m = i\n        for j in range(i + 1, n):\n            if a[j] < a[m]:\n                m = j\n        a[i], a[m] = a[m], a[i]\n    return a\n\nprint(selection_sort(list(map(int, input().split()))))\n",
        "O(n^2)",
        Some("O(1)"),
    ),
    (
        "nlargest",
        "import heapq\n\ndef k_largest(a, k):\n    return heapq.nlargest(k, a)\n\nn, k = map(int, input().split())\na = list(map(int, input().split()))\nprint(k_largest(a, k))\n",
        "O(n log n)",
        None,
    ),
    (
        "bsanswer",
        "def can_split(a, k, cap):\n    parts, cur = 1, 0\n    for x in a:\n        if cur + x > cap:\n            parts += 1\n            cur = 0\n        cur += x\n    return parts <= k\n\ndef min_largest_sum(a, k):\n    lo, hi = max(a), sum(a)\n    while lo < hi:\n        mid = (lo + hi) // 2\n        if can_split(a, k, mid):\n            hi = mid\n        else:\n            lo = mid + 1\n    return lo\n\nn, k = map(int, input().split())\na = list(map(int, input().split()))\nprint(min_largest_sum(a, k))\n",
        "O(n log n)",
        None,
    ),
    (
        "palin",
        "def is_palindrome(s):\n    i, j = 0, len(s) - 1\n    while i < j:\n        if s[i] != s[j]:\n            return False\n        i += 1\n        j -= 1\n    return True\n\nprint(is_palindrome(input()))\n",
        "O(n)",
        Some("O(1)"),
    ),
    (
        "revslice",
        "s = input()\nprint(s[::-1])\nprint(s == s[::-1])\n",
        "O(n)",
        Some("O(n)"),
    ),
    (
        "revwords",
        "def reverse_words(s):\n    return ' '.join(reversed(s.split()))\n\nprint(reverse_words(input()))\n",
        "O(n)",
        Some("O(n)"),
    ),
    (
        "countloop",
        "s = input()\nres = []\nfor c in \"aeiou\":\n    res.append(s.count(c))\nprint(res)\n",
        "O(n)",
        None,
    ),
    (
        "bubble",
        "def bubble_sort(a):\n    n = len(a)\n    for i in range(n):\n        swapped = False\n        for j in range(n - 1 - i):\n            if a[j] > a[j + 1]:\n                a[j], a[j + 1] = a[j + 1], a[j]\n                swapped = True\n        if not swapped:\n            break\n    return a\n\nprint(bubble_sort(list(map(int, input().split()))))\n",
        "O(n^2)",
        Some("O(1)"),
    ),
    (
        "bsearch",
        "def binary_search(a, x):\n    lo, hi = 0, len(a) - 1\n    while lo <= hi:\n        mid = (lo + hi) // 2\n        if a[mid] == x:\n            return mid\n        if a[mid] < x:\n            lo = mid + 1\n        else:\n            hi = mid - 1\n    return -1\n",
        "O(log n)",
        Some("O(1)"),
    ),
    (
        "dutch",
        "def sort_colors(a):\n    lo, mid, hi = 0, 0, len(a) - 1\n    while mid <= hi:\n        if a[mid] == 0:\n            a[lo], a[mid] = a[mid], a[lo]\n            lo += 1\n            mid += 1\n        elif a[mid] == 1:\n            mid += 1\n        else:\n            a[mid], a[hi] = a[hi], a[mid]\n            hi -= 1\n    return a\n",
        "O(n)",
        Some("O(1)"),
    ),
    (
        "merge2",
        "def merge(a, b):\n    i = j = 0\n    out = []\n    while i < len(a) and j < len(b):\n        if a[i] <= b[j]:\n            out.append(a[i])\n            i += 1\n        else:\n            out.append(b[j])\n            j += 1\n    out.extend(a[i:])\n    out.extend(b[j:])\n    return out\n",
        "O(n)",
        Some("O(n)"),
    ),
    (
        "parens",
        "def valid(s):\n    pairs = {')': '(', ']': '[', '}': '{'}\n    stack = []\n    for c in s:\n        if c in pairs:\n            if not stack or stack.pop() != pairs[c]:\n                return False\n        else:\n            stack.append(c)\n    return not stack\n\nprint(valid(input()))\n",
        "O(n)",
        Some("O(n)"),
    ),
    (
        "minwindow",
        "def min_len(a, target):\n    left = 0\n    total = 0\n    best = float('inf')\n    for right in range(len(a)):\n        total += a[right]\n        while total >= target:\n            best = min(best, right - left + 1)\n            total -= a[left]\n            left += 1\n    return 0 if best == float('inf') else best\n",
        "O(n)",
        Some("O(1)"),
    ),
    (
        "lis",
        "import bisect\n\ndef lis(a):\n    tails = []\n    for x in a:\n        i = bisect.bisect_left(tails, x)\n        if i == len(tails):\n            tails.append(x)\n        else:\n            tails[i] = x\n    return len(tails)\n\nprint(lis(list(map(int, input().split()))))\n",
        "O(n log n)",
        Some("O(n)"),
    ),
    (
        "subarraysum",
        "def count_subarrays(a, k):\n    seen = {0: 1}\n    total = 0\n    count = 0\n    for x in a:\n        total += x\n        count += seen.get(total - k, 0)\n        seen[total] = seen.get(total, 0) + 1\n    return count\n\na = list(map(int, input().split()))\nprint(count_subarrays(a, int(input())))\n",
        "O(n)",
        Some("O(n)"),
    ),
    (
        "twosum",
        "def two_sum(nums, target):\n    seen = {}\n    for i, x in enumerate(nums):\n        if target - x in seen:\n            return seen[target - x], i\n        seen[x] = i\n    return None\n",
        "O(n)",
        Some("O(n)"),
    ),
    (
        "heapsort",
        "import heapq\n\ndef heap_sort(a):\n    h = list(a)\n    heapq.heapify(h)\n    return [heapq.heappop(h) for _ in range(len(h))]\n",
        "O(n log n)",
        Some("O(n)"),
    ),
];

#[test]
fn classic_array_and_string_snippets_keep_their_classes() {
    for (name, code, t, s) in RIGHT {
        let a = analyse(code);
        assert_eq!(a.time_complexity, *t, "time of {name}");
        if let Some(s) = s {
            assert_eq!(a.space_complexity, *s, "space of {name}");
        }
    }
}

#[test]
fn insertion_sort_shifting_the_tested_entries_is_quadratic() {
    let shift = "def insertion_sort(a):\n    for i in range(1, len(a)):\n        key = a[i]\n        j = i - 1\n        while j >= 0 and a[j] > key:\n            a[j + 1] = a[j]\n            j -= 1\n        a[j + 1] = key\n    return a\n\nprint(insertion_sort(list(map(int, input().split()))))\n";
    assert_eq!(time(shift), "O(n^2)");
    assert_eq!(space(shift), "O(1)");
    let swap = "a = list(map(int, input().split()))\nfor i in range(1, len(a)):\n    j = i\n    while j > 0 and a[j - 1] > a[j]:\n        a[j], a[j - 1] = a[j - 1], a[j]\n        j -= 1\nprint(a)\n";
    assert_eq!(time(swap), "O(n^2)");
    let marks = "n = int(input())\np = list(map(int, input().split()))\nseen = [False] * n\nfor i in range(n):\n    x = i\n    while not seen[x]:\n        seen[x] = True\n        x = p[x]\n";
    assert_eq!(
        time(marks),
        "O(n)",
        "marking visited entries stays amortised"
    );
}

#[test]
fn quicksort_and_quickselect_on_pivot_partitions_are_worst_case_unless_the_pivot_is_random() {
    let sort = "def quicksort(a):\n    if len(a) <= 1:\n        return a\n    pivot = a[len(a) // 2]\n    left = [x for x in a if x < pivot]\n    middle = [x for x in a if x == pivot]\n    right = [x for x in a if x > pivot]\n    return quicksort(left) + middle + quicksort(right)\n\nprint(quicksort(list(map(int, input().split()))))\n";
    assert_eq!(
        time(sort),
        "O(n^2)",
        "a fixed pivot can split off one element per call"
    );
    let random = sort.replace("pivot = a[len(a) // 2]", "pivot = random.choice(a)");
    assert_eq!(time(&format!("import random\n\n{random}")), "O(n log n)");
    let inline = "def qs(a):\n    if not a:\n        return []\n    p = a[0]\n    return qs([x for x in a[1:] if x < p]) + [p] + qs([x for x in a[1:] if x >= p])\n\nprint(qs(list(map(int, input().split()))))\n";
    assert_eq!(time(inline), "O(n^2)");
    let select = "import random\n\ndef quickselect(a, k):\n    pivot = random.choice(a)\n    lows = [x for x in a if x < pivot]\n    highs = [x for x in a if x > pivot]\n    pivots = [x for x in a if x == pivot]\n    if k < len(lows):\n        return quickselect(lows, k)\n    elif k < len(lows) + len(pivots):\n        return pivot\n    else:\n        return quickselect(highs, k - len(lows) - len(pivots))\n\na = list(map(int, input().split()))\nprint(quickselect(a, len(a) // 2))\n";
    assert_eq!(time(select), "O(n)");
}

#[test]
fn insort_in_a_loop_shifts_the_list_each_time() {
    let code = "import bisect\n\na = list(map(int, input().split()))\ns = []\nfor x in a:\n    bisect.insort(s, x)\nprint(s)\n";
    assert_eq!(time(code), "O(n^2)");
    assert_eq!(space(code), "O(n)");
    let search = "import bisect\n\na = sorted(map(int, input().split()))\nfor x in a:\n    print(bisect.bisect_left(a, x))\n";
    assert_eq!(time(search), "O(n log n)", "bisecting alone stays log n");
}

#[test]
fn in_place_quicksort_with_a_fixed_pivot_is_quadratic_in_the_worst_case() {
    let helper = "def partition(a, lo, hi):\n    pivot = a[hi]\n    i = lo - 1\n    for j in range(lo, hi):\n        if a[j] <= pivot:\n            i += 1\n            a[i], a[j] = a[j], a[i]\n    a[i + 1], a[hi] = a[hi], a[i + 1]\n    return i + 1\n\ndef quicksort(a, lo, hi):\n    if lo < hi:\n        p = partition(a, lo, hi)\n        quicksort(a, lo, p - 1)\n        quicksort(a, p + 1, hi)\n\na = list(map(int, input().split()))\nquicksort(a, 0, len(a) - 1)\nprint(a)\n";
    assert_eq!(time(helper), "O(n^2)");
    let random = helper.replace(
        "    pivot = a[hi]\n",
        "    k = random.randint(lo, hi)\n    a[k], a[hi] = a[hi], a[k]\n    pivot = a[hi]\n",
    );
    let random = format!("import random\n\n{random}");
    assert_eq!(
        time(&random),
        "O(n log n)",
        "a random pivot halves in expectation"
    );
    let inline = "def quick_sort(arr, low, high):\n    if low < high:\n        pivot = arr[high]\n        i = low\n        for j in range(low, high):\n            if arr[j] < pivot:\n                arr[i], arr[j] = arr[j], arr[i]\n                i += 1\n        arr[i], arr[high] = arr[high], arr[i]\n        quick_sort(arr, low, i - 1)\n        quick_sort(arr, i + 1, high)\n\na = list(map(int, input().split()))\nquick_sort(a, 0, len(a) - 1)\nprint(a)\n";
    assert_eq!(time(inline), "O(n^2)");
    let hanoi = "def hanoi(n, a, b, c):\n    if n == 0:\n        return\n    hanoi(n - 1, a, c, b)\n    print(a, c)\n    hanoi(n - 1, b, a, c)\n\nhanoi(int(input()), 1, 2, 3)\n";
    assert_eq!(time(hanoi), "O(2^n)", "two calls on n - 1 split nothing");
}

#[test]
fn grouping_runs_with_a_pointer_that_catches_up_is_linear() {
    let runs = "def compress(s):\n    out = []\n    i = 0\n    while i < len(s):\n        j = i\n        while j < len(s) and s[j] == s[i]:\n            j += 1\n        out.append(s[i] + str(j - i))\n        i = j\n    return ''.join(out)\n\nprint(compress(input()))\n";
    assert_eq!(time(runs), "O(n)");
    let restarts = "a = list(map(int, input().split()))\nn = len(a)\nfor i in range(n):\n    j = i\n    while j < n and a[j] >= a[i]:\n        j += 1\n    i = j\n    print(j - i)\n";
    assert_eq!(
        time(restarts),
        "O(n^2)",
        "a for loop rebinds its target each pass"
    );
}

#[test]
fn a_sequence_trimmed_by_a_constant_slice_is_a_kept_pointer() {
    let prefix = "def longest_common_prefix(words):\n    if not words:\n        return \"\"\n    prefix = words[0]\n    for w in words[1:]:\n        while not w.startswith(prefix):\n            prefix = prefix[:-1]\n    return prefix\n\nprint(longest_common_prefix(input().split()))\n";
    assert_eq!(
        time(prefix),
        "O(n^2)",
        "n trims in all, each copying the prefix"
    );
    let alone = "s = input()\nwhile s:\n    s = s[1:]\n";
    assert_eq!(time(alone), "O(n^2)");
}

#[test]
fn a_slice_of_an_unannotated_sequence_is_as_long_as_it() {
    let palindrome = "def longest_palindrome(s):\n    best = \"\"\n    for i in range(len(s)):\n        for l, r in ((i, i), (i, i + 1)):\n            while l >= 0 and r < len(s) and s[l] == s[r]:\n                l -= 1\n                r += 1\n            if r - l - 1 > len(best):\n                best = s[l + 1:r]\n    return best\n\nprint(longest_palindrome(input()))\n";
    assert_eq!(time(palindrome), "O(n^2)");
    assert_eq!(space(palindrome), "O(n)");
    let triangle = "def minimum_total(tri):\n    row = tri[-1][:]\n    for i in range(len(tri) - 2, -1, -1):\n        for j in range(i + 1):\n            row[j] = tri[i][j] + min(row[j], row[j + 1])\n    return row[0]\n";
    assert_eq!(space(triangle), "O(n)", "a copy of the last row");
    let short = "def ends(s):\n    pairs = 0\n    for i in range(len(s) - 1):\n        pair = s[i:i + 2]\n        pairs += pair == 'ab'\n    return s[:3] + s[-2:], pairs\n";
    assert_eq!(
        space(short),
        "O(1)",
        "a bound keeps the slice to a few elements"
    );
}

#[test]
fn counting_sort_writing_out_each_tally_is_linear() {
    let code = "n = int(input())\na = list(map(int, input().split()))\ncount = [0] * (max(a) + 1)\nfor x in a:\n    count[x] += 1\nout = []\nfor v in range(len(count)):\n    for _ in range(count[v]):\n        out.append(v)\nprint(*out)\n";
    assert_eq!(time(code), "O(n)");
    let extend = code.replace(
        "    for _ in range(count[v]):\n        out.append(v)\n",
        "    out.extend([v] * count[v])\n",
    );
    assert_eq!(time(&extend), "O(n)");
    let enumerated = code.replace(
        "for v in range(len(count)):\n    for _ in range(count[v]):\n        out.append(v)\n",
        "for v, c in enumerate(count):\n    out += [v] * c\n",
    );
    assert_eq!(time(&enumerated), "O(n)");
    assert_eq!(space(&enumerated), "O(n)");
    let comprehension = code.replace(
        "out = []\nfor v in range(len(count)):\n    for _ in range(count[v]):\n        out.append(v)\n",
        "out = [v for v, c in enumerate(count) for _ in range(c)]\n",
    );
    assert_ne!(comprehension, code);
    assert_eq!(time(&comprehension), "O(n)");
    let counted_down = code.replace(
        "    for _ in range(count[v]):\n        out.append(v)\n",
        "    while count[v] > 0:\n        out.append(v)\n        count[v] -= 1\n",
    );
    assert_ne!(counted_down, code);
    assert_eq!(time(&counted_down), "O(n)");
    let index = "n = int(input())\na = list(map(int, input().split()))\nt = 0\nfor i, x in enumerate(a):\n    for j in range(i):\n        t += a[j]\nprint(t)\n";
    assert_eq!(
        time(index),
        "O(n^2)",
        "the index of enumerate still runs up to n"
    );
}
