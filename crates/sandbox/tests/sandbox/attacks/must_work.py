# Ordinary programs that must keep working inside the sandbox (see catalog.py for the format).
CASES = [
("OK-01", "must work/math", "exact big integers, fractions and decimals",
r"""import math
from decimal import Decimal
from fractions import Fraction
print(math.prod(range(1, 51)) % 1000003, math.isqrt(10 ** 20), Fraction(2, 6), Decimal(1) / Decimal(7))
"""),
("OK-02", "must work/collections", "Counter, itertools and deque",
r"""from collections import Counter, deque
from itertools import islice, permutations
print(Counter('mississippi').most_common(2), list(islice(permutations('abc', 2), 3)), deque(range(5), maxlen=3))
"""),
("OK-03", "must work/re and json", "regular expressions and JSON",
r"""import json, re
print(re.findall(r'[0-9]+', 'a1b22c333'), json.dumps({'k': [1, 2, {'z': None}]}), json.loads('{"x": 1.5}'))
"""),
("OK-04", "must work/datetime", "time zones and arithmetic",
r"""from datetime import datetime, timedelta, timezone
leap = datetime(2024, 2, 29, 12, tzinfo=timezone.utc)
print(leap.isoformat(), (leap + timedelta(days=1)).strftime('%A'))
"""),
("OK-05", "must work/random", "a seeded generator is reproducible",
r"""import random
rng = random.Random(42)
print(rng.randint(1, 100), rng.sample(range(10), 3), 0 <= rng.random() < 1)
"""),
("OK-06", "must work/recursion", "900 levels of recursion",
r"""import sys
def depth(n):
    return 0 if n == 0 else depth(n - 1) + 1
print(depth(900), sys.getrecursionlimit())
"""),
("OK-07", "must work/stdin", "reads stdin to the end",
r"""import sys
numbers = [int(w) for w in sys.stdin.read().split()]
print(len(numbers), sum(numbers))
"""),
("OK-08", "must work/unicode", "prints UTF-8",
r"""print('h\u00e9llo w\u00f6rld \u2713 \u65e5\u672c\u8a9e \U0001F600 \u03a9\u2248\u00e7\u221a')
"""),
("OK-09", "must work/threads", "four threads",
r"""import threading
sums = []
lock = threading.Lock()
def work(i):
    total = sum(range(i * 100000))
    with lock:
        sums.append(total)
threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(sorted(sums)[:2], len(sums))
"""),
("OK-10", "must work/files", "files in the working directory and tempfile",
r"""import os, tempfile
with open('data.txt', 'w') as f:
    f.write('abc')
with open('data.txt') as f:
    print(f.read(), os.getcwd())
with tempfile.TemporaryDirectory() as d:
    open(os.path.join(d, 'x'), 'w').close()
    print(os.listdir(d))
"""),
("OK-11", "must work/stdlib", "hashlib, base64, struct, heapq, bisect",
r"""import base64, bisect, hashlib, heapq, struct
print(hashlib.sha256(b'x').hexdigest()[:8], base64.b64encode(b'hi'), struct.pack('<i', 1), heapq.nsmallest(2, [3, 5, 1]), bisect.bisect_right([1, 3, 5], 4))
"""),
("OK-12", "must work/sqlite", "SQLite in memory",
r"""import sqlite3
db = sqlite3.connect(':memory:')
db.execute('create table n (v integer)')
db.executemany('insert into n values (?)', ((i,) for i in range(10)))
print(db.execute('select sum(v) from n').fetchone())
"""),
("OK-13", "must work/multiprocessing", "a pool of two processes",
r"""from multiprocessing import Pool
if __name__ == '__main__':
    with Pool(2) as pool:
        print(pool.map(abs, [-1, -2, 3]))
"""),
("OK-14", "must work/exit code", "an exception caught and a chosen exit status",
r"""import sys
try:
    1 / 0
except ZeroDivisionError as e:
    print('caught', e)
sys.exit(3)
"""),
("OK-15", "must work/memory", "100 MiB is allowed",
r"""block = bytearray(100 << 20)
block[-1] = 255
print(len(block))
"""),
("OK-16", "must work/output", "5000 lines of output",
r"""import sys
sys.stdout.write(''.join('%d\n' % i for i in range(5000)))
"""),
]
