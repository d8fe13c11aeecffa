# expect time: O(n); space: O(1); why: Boyer-Moore voting keeps one candidate and one counter
def majority(nums):
    candidate, votes = None, 0
    for x in nums:
        if votes == 0:
            candidate = x
        votes += 1 if x == candidate else -1
    return candidate
