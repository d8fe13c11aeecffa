# expect time: O(n^2); space: O(n^2); why: each cell is recoloured once; the explicit stack can hold a constant number of entries per cell
# expect-multi time: O(n*m); space: O(n*m)
def flood_fill(image, sr, sc, color):
    old = image[sr][sc]
    if old == color:
        return image
    stack = [(sr, sc)]
    while stack:
        r, c = stack.pop()
        if 0 <= r < len(image) and 0 <= c < len(image[0]) and image[r][c] == old:
            image[r][c] = color
            stack.extend([(r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)])
    return image
