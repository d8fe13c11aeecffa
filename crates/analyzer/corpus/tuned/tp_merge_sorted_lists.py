# expect time: O(n); space: O(n); why: each element of either list is copied once into the result
# expect-multi time: O(n+m); space: O(n+m)
def merge(a, b):
    i = j = 0
    result = []
    while i < len(a) and j < len(b):
        if a[i] < b[j]:
            result.append(a[i])
            i += 1
        else:
            result.append(b[j])
            j += 1
    result += a[i:]
    result += b[j:]
    return result
