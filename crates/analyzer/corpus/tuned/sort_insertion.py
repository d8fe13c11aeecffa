# expect time: O(n^2); space: O(1); why: each element is shifted left past up to i larger ones
def insertion_sort(arr):
    for i in range(1, len(arr)):
        key = arr[i]
        j = i - 1
        while j >= 0 and arr[j] > key:
            arr[j + 1] = arr[j]
            j -= 1
        arr[j + 1] = key
    return arr


if __name__ == "__main__":
    nums = list(map(int, input().split()))
    print(*insertion_sort(nums))
