# expect time: O(1); space: O(1); why: a fixed handful of arithmetic operations on the two hands, no loop
def clock_angle(hour, minutes):
    hour_angle = (hour % 12) * 30 + minutes * 0.5
    minute_angle = minutes * 6
    diff = abs(hour_angle - minute_angle)
    return min(diff, 360 - diff)


if __name__ == "__main__":
    print(clock_angle(3, 30))
