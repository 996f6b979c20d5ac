"""A submodule the package does not import: a member all the same, since its stub exists."""


def ping():
    return "pong"
