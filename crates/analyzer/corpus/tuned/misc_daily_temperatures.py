# expect time: O(n); space: O(n); why: a stack of waiting days, each popped once
def daily_temperatures(temps):
    answer = [0] * len(temps)
    waiting = []
    for day, t in enumerate(temps):
        while waiting and temps[waiting[-1]] < t:
            prev = waiting.pop()
            answer[prev] = day - prev
        waiting.append(day)
    return answer
