from . import meta

class Token:
    def __init__(self, text: str) -> None: ...
