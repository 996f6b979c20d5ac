"""A Python subclass of a compiled class (minijinja's `class Environment(_lowlevel.Environment)`)."""

import seed_components


class Processor(seed_components.ComponentA):
    def __init__(self, prefix=""):
        super().__init__()
        self.prefix = prefix

    def process_twice(self, data):
        return self.process(self.process(data))


class Lister(seed_components.ComponentA):
    """Its stub names no base and spells out the inherited members instead."""
