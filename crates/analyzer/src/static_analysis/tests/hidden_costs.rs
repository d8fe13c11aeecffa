//! Costs hidden in single lines (methods that scan, conversions, Python 2 readers) and the
//! loops they sit in.

use super::{space, time};

#[test]
fn python_2_raw_input_reads_a_line_like_input() {
    let code = "n = int(raw_input())\na = list(map(int, raw_input().split()))\nfor i in range(n):\n    for j in range(n):\n        print(a[i] + a[j])\n";
    assert_eq!(time(code), "O(n^2)");
}

#[test]
fn converting_a_string_in_a_given_base_reads_every_digit() {
    let code =
        "n, m = map(int, input().split())\na = [int(input(), 2) for _ in range(n)]\nprint(a)\n";
    assert_eq!(time(code), "O(n^2)");
    let one = "n = int(input())\nprint(n * 2)\n";
    assert_eq!(
        time(one),
        "O(1)",
        "a number read without a base is not scanned"
    );
}

#[test]
fn a_shift_by_the_loop_variable_does_not_shorten_a_loop_that_never_leaves_early() {
    let code = "n = int(input())\na = list(map(int, input().split()))\nx = [0] * n\nfor j in range(n):\n    for i in range(n):\n        x[i] |= a[i] << j\nprint(x)\n";
    assert_eq!(time(code), "O(n^2)");
    let leaves = "n = int(input())\nk = int(input())\nfor i in range(n):\n    if 4 ** i > k:\n        print(i)\n        break\n";
    assert_eq!(
        time(leaves),
        "O(log n)",
        "a loop left once a power passes a bound"
    );
}

#[test]
fn a_memo_consulted_in_an_elif_after_the_base_case_is_a_memo() {
    let code = "n = int(input())\ndp = [[-1] * (n + 1) for _ in range(n + 1)]\ndef f(i, j):\n    if i == 0 or j == 0:\n        return 1\n    elif dp[i][j] != -1:\n        return dp[i][j]\n    else:\n        dp[i][j] = f(i - 1, j) + f(i, j - 1)\n        return dp[i][j]\nprint(f(n, n))\n";
    assert_eq!(time(code), "O(n^2)");
}

#[test]
fn a_layer_filled_only_with_newly_marked_elements_is_walked_once_overall() {
    let code = "n = int(input())\na = list(map(int, input().split()))\nres = [0] * n\nval = n\nwhile val > 0:\n    layer = set()\n    for i in range(n):\n        if res[i] == 0 and a[i] <= val:\n            res[i] = val\n            layer.add(i)\n    for v in layer:\n        for j in range(n):\n            a[j] -= 1\n    val -= 1\nprint(res)\n";
    assert_eq!(time(code), "O(n^2)");
    let reset = code.replace(
        "    layer = set()\n",
        "    layer = set()\n    res = [0] * n\n",
    );
    assert_eq!(time(&reset), "O(n^3)", "marks reset on every pass");
    let unmarked = code.replace(
        "            layer.add(i)\n",
        "            layer.add(i)\n        layer.add(i)\n",
    );
    assert_eq!(time(&unmarked), "O(n^3)", "an element added without a mark");
    let cleared = code.replace(
        "            a[j] -= 1\n",
        "            a[j] -= 1\n            res[j] = 0\n",
    );
    assert_eq!(time(&cleared), "O(n^3)", "marks cleared again");
}

#[test]
fn a_parameter_that_receives_a_fixed_size_collection_keeps_its_size() {
    let code = "def spread(a, moves):\n    best = 0\n    for m in moves:\n        for x in a:\n            best = max(best, x + m)\n    return best\na = list(map(int, input().split()))\nprint(spread(a, (1, -1, 2, -2)))\n";
    assert_eq!(time(code), "O(n)");
    let grown = "def fill(a, acc):\n    for x in a:\n        acc.append(x)\n    for y in acc:\n        for x in a:\n            print(x + y)\na = list(map(int, input().split()))\nfill(a, [])\n";
    assert_eq!(
        time(grown),
        "O(n^2)",
        "a collection the function adds to grows"
    );
}

#[test]
fn a_string_built_in_a_loop_holds_every_character() {
    let appended = "n = int(input())\ns = ''\nfor i in range(n):\n    s = s + 'a'\nprint(s)\n";
    assert_eq!(time(appended), "O(n)", "CPython extends `s` in place");
    assert_eq!(space(appended), "O(n)");
    let augmented = appended.replace("s = s + 'a'", "s += 'a'");
    assert_eq!(time(&augmented), "O(n)");
    assert_eq!(space(&augmented), "O(n)");
    let prepended = appended.replace("s = s + 'a'", "s = 'a' + s");
    assert_eq!(time(&prepended), "O(n^2)", "a new string on every pass");
    assert_eq!(space(&prepended), "O(n)");
    let chained = appended.replace("s = s + 'a'", "s = s + 'a' + ' '");
    assert_eq!(time(&chained), "O(n^2)", "`s + 'a'` is a new string");
}

#[test]
fn a_copy_of_a_stored_list_inside_a_loop_costs_its_length() {
    let code = "import copy\nn = int(input())\na = list(map(int, input().split()))\nfor i in range(n):\n    b = COPY\n    b[i] = 0\n    print(b[0])\n";
    for copy in [
        "list(a)",
        "a[:]",
        "a.copy()",
        "copy.deepcopy(a)",
        "copy.copy(a)",
    ] {
        assert_eq!(time(&code.replace("COPY", copy)), "O(n^2)", "{copy}");
    }
    let chars = "n = int(input())\ns = input()\nfor i in range(n):\n    t = list(s)\n    t[i] = 'x'\n    print(t[0])\n";
    assert_eq!(time(chars), "O(n^2)", "the characters of a stored string");
    let shadowed = "n = int(input())\ncopy = []\nfor i in range(n):\n    copy.append(i)\nfor x in copy:\n    for y in copy:\n        print(x + y)\n";
    assert_eq!(
        time(shadowed),
        "O(n^2)",
        "a variable named like a module is not the module"
    );
}

#[test]
fn a_copy_of_an_adjacency_row_is_walked_once_per_node() {
    let code = "n, m = map(int, input().split())\nadj = [[] for _ in range(n)]\nfor _ in range(m):\n    u, v = map(int, input().split())\n    adj[u].append(v)\n    adj[v].append(u)\nseen = [False] * n\nstack = [0]\nseen[0] = True\nwhile stack:\n    u = stack.pop()\n    for v in ROW:\n        if not seen[v]:\n            seen[v] = True\n            stack.append(v)\nprint(sum(seen))\n";
    for row in [
        "list(adj[u])",
        "adj[u][:]",
        "adj[u].copy()",
        "tuple(adj[u])",
    ] {
        assert_eq!(time(&code.replace("ROW", row)), "O(n)", "{row}");
    }
    let sorted = code.replace("ROW", "sorted(adj[u])");
    assert_eq!(time(&sorted), "O(n log n)", "each row sorted once");
}

#[test]
fn adding_a_collection_with_plus_equals_copies_what_is_added() {
    let code = "n = int(input())\nb = [i for i in range(n)]\na = []\nfor i in range(n):\n    a += b\nprint(len(a))\n";
    assert_eq!(time(code), "O(n^2)");
    let one = code.replace("a += b", "a += [i]");
    assert_eq!(time(&one), "O(n)", "one element per pass");
}

#[test]
fn a_tuple_concatenated_onto_itself_in_a_loop_is_copied_every_pass() {
    let code = "n = int(input())\nt = ()\nfor i in range(n):\n    t = t + (i,)\nprint(t)\n";
    assert_eq!(time(code), "O(n^2)");
    assert_eq!(space(code), "O(n)");
    let prepended = code.replace("t = t + (i,)", "t = (i,) + t");
    assert_eq!(time(&prepended), "O(n^2)");
    let reset = code.replace("    t = t + (i,)\n", "    t = ()\n    t = t + (i,)\n");
    assert_eq!(time(&reset), "O(n)", "a tuple started over on every pass");
}

#[test]
fn a_power_of_the_bit_length_of_n_is_about_n() {
    for size in [
        "1 << n.bit_length()",
        "2 ** n.bit_length()",
        "1 << len(bin(n))",
    ] {
        let code = format!(
            "n = int(input())\nsize = {size}\nt = [0] * (2 * size)\nfor i in range(size):\n    t[size + i] = i\nprint(sum(t))\n"
        );
        assert_eq!(time(&code), "O(n)", "{code}");
        assert_eq!(space(&code), "O(n)", "{code}");
    }
    assert_eq!(
        time("n = int(input())\nfor i in range(1 << n):\n    print(i)\n"),
        "O(2^n)"
    );
}

#[test]
fn joining_parts_after_the_loop_that_appends_them_is_linear() {
    let code = "n = int(input())\nparts = []\nfor i in range(n):\n    parts.append(str(i))\nprint(''.join(parts))\n";
    assert_eq!(time(code), "O(n)");
    let inside = code.replace("print(''.join(parts))", "    print(''.join(parts))");
    assert_eq!(time(&inside), "O(n^2)", "joined again on every pass");
}

#[test]
fn a_list_of_appended_rows_holds_every_row() {
    let code = "n = int(input())\nres = []\nfor i in range(n):\n    row = []\n    for j in range(n):\n        row.append('.')\n    res.append(''.join(row))\nprint('\\n'.join(res))\n";
    assert_eq!(space(code), "O(n^2)");
    let digits = "n = int(input())\nout = []\nfor i in range(n):\n    out.append(str(i))\nprint(' '.join(out))\n";
    assert_eq!(space(digits), "O(n)", "a number's digits are one word");
    let rows = "n, m = map(int, input().split())\nadj = [[] for _ in range(n)]\nfor _ in range(m):\n    u, v = map(int, input().split())\n    adj[u].append(v)\nseen = [False] * n\nstack = []\nstack.append(adj[0][:])\nwhile stack:\n    row = stack.pop()\n    for v in row:\n        if not seen[v]:\n            seen[v] = True\n            stack.append(adj[v][:])\nprint(sum(seen))\n";
    assert_eq!(
        space(rows),
        "O(n)",
        "copies of adjacency rows add up to the input"
    );
}

#[test]
fn a_list_concatenated_onto_itself_in_a_loop_is_copied_every_pass() {
    let append =
        "def build(a):\n    out = []\n    for x in a:\n        out = out + [x]\n    return out\n";
    assert_eq!(time(append), "O(n^2)");
    let prepend = append.replace("out + [x]", "[x] + out");
    assert_eq!(time(&prepend), "O(n^2)", "{prepend}");
    let in_place = append.replace("out = out + [x]", "out += [x]");
    assert_eq!(time(&in_place), "O(n)", "{in_place}");
}
