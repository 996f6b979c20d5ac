def schema(draft: int = 7) -> dict[str, int]: ...  # seeded: the runtime default is 4
