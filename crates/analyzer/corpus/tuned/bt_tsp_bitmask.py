from functools import lru_cache


# expect time: O(2^n); space: O(2^n); why: n * 2^n (mask, city) states, each trying n next cities
def shortest_tour(dist):
    n = len(dist)

    @lru_cache(maxsize=None)
    def best(mask, city):
        if mask == (1 << n) - 1:
            return dist[city][0]
        result = float("inf")
        for nxt in range(n):
            if not mask & (1 << nxt):
                result = min(result, dist[city][nxt] + best(mask | (1 << nxt), nxt))
        return result

    return best(1, 0)
