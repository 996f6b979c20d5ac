def helper(x: int) -> int:
    return x


def shared(x: int) -> int:
    return x
