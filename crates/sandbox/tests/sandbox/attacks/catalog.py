# The repository's own attack catalog for the sandbox tests (crates/sandbox/tests/sandbox/).
#
# Format: CASES is a list of (id, class, expected, code) tuples of strings.
#   id        the case id; expectations.rs has one check (and one named test) per id
#   class     what the case attacks (for people; the tests ignore it)
#   expected  the safe outcome, in words (for people; expectations.rs is what is checked)
#   code      the Python program run as the job, written for this repository
#
# The cases are split by class into the files beside this one. Any tool reads them with
#   runpy.run_path('crates/sandbox/tests/sandbox/attacks/catalog.py')['CASES']
# This file only assembles the parts; it does not run any case.
import os as _os
import runpy as _runpy

_HERE = _os.path.dirname(_os.path.abspath(__file__))
_PARTS = (
    "filesystem.py",
    "resources.py",
    "kernel.py",
    "network.py",
    "python_and_leaks.py",
    "must_work.py",
    "review.py",
)

CASES = []
for _part in _PARTS:
    CASES += _runpy.run_path(_os.path.join(_HERE, _part))["CASES"]

_ids = [case[0] for case in CASES]
assert len(_ids) == len(set(_ids)), "a case id appears twice"
assert all(len(case) == 4 and all(isinstance(f, str) for f in case) for case in CASES)
