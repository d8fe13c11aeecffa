class MinStack:
    def __init__(self):
        self.items = []
        self.mins = []

    def push(self, x):
        self.items.append(x)
        self.mins.append(x if not self.mins else min(x, self.mins[-1]))

    def pop(self):
        self.mins.pop()
        return self.items.pop()

    def minimum(self):
        return self.mins[-1]


# expect time: O(n); space: O(n); why: n constant-time pushes, both stacks grow to n
def running_minimums(values):
    st = MinStack()
    out = []
    for v in values:
        st.push(v)
        out.append(st.minimum())
    return out
