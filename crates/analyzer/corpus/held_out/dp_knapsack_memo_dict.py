# expect time: O(n^2); space: O(n^2); why: one memo entry per item index and remaining capacity, each computed once
# expect-multi time: O(n*m); space: O(n*m)
def knapsack(weights, values, capacity):
    memo = {}

    def best(i, cap):
        if i == len(weights):
            return 0
        key = (i, cap)
        if key in memo:
            return memo[key]
        result = best(i + 1, cap)
        if weights[i] <= cap:
            result = max(result, values[i] + best(i + 1, cap - weights[i]))
        memo[key] = result
        return result

    return best(0, capacity)
