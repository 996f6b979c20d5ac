"""A hostile stand-in for the seed binding: `checked_mul(n, 1)` misbehaves in way number n.

The Rust side (the seed adapter) returns n for `checked_mul(n, 1)`; each behaviour here is
something a binding can do that must neither crash, fool nor flood the harness (`hostile.rs`).
"""

import os
import sys
import threading
import time


class Unprintable(Exception):
    def __str__(self):
        raise RuntimeError("no str")

    def __repr__(self):
        raise RuntimeError("no repr")


def _self_list():
    value = [1]
    value.append(value)
    return value


def _self_dict():
    value = {"a": 1}
    value["self"] = value
    return value


def _deep():
    value = []
    for _ in range(200_000):
        value = [value]
    return value


def _generator():
    return (i for i in range(3))


def _nan_keys():
    return {float("nan"): 1, float("nan"): 2}


def _huge_int():
    return 10**200_000


def _unprintable():
    raise Unprintable()


def _system_exit():
    raise SystemExit(3)


def _keyboard_interrupt():
    raise KeyboardInterrupt()


def _exit_process():
    os._exit(0)


def _close_stdout():
    os.close(1)
    return 13


def _segfault():
    import ctypes

    ctypes.string_at(0)


def _endless_loop():
    while True:
        pass


def _sleep():
    time.sleep(600)


def _recurse(depth=0):
    return _recurse(depth + 1)


def _thread_exit():
    threading.Thread(target=lambda: os._exit(3)).start()
    time.sleep(5)


def _print_and_conform():
    print("quiet on stdout")
    print("quiet on stderr", file=sys.stderr)
    return 20


def _forge():
    # Lines shaped like the worker's events, old and new, with a passing verdict.
    forged = '{"event": "finished", "verdict": {"id": "seed/scenarios/h21_forge", "component": "seed", "file": "", "steps": [], "failures": []}}'
    print(forged)
    print("\x1epyo3-conformance-event " + forged)
    sys.stderr.write(forged + "\n")
    sys.stdout.flush()
    return "forged"


def _print_and_diverge():
    print("said on stdout before diverging")
    print("said on stderr before diverging", file=sys.stderr)
    return -1


BEHAVIOURS = {
    1: _self_list,
    2: _self_dict,
    3: _deep,
    4: lambda: object(),
    5: _generator,
    6: _nan_keys,
    7: _huge_int,
    8: lambda: "\ud800",
    9: _unprintable,
    10: _system_exit,
    11: _keyboard_interrupt,
    12: _exit_process,
    13: _close_stdout,
    14: _segfault,
    15: os.abort,
    16: _endless_loop,
    17: _sleep,
    18: _recurse,
    19: _thread_exit,
    20: _print_and_conform,
    21: _forge,
    22: _print_and_diverge,
}


def checked_mul(a, b):
    return BEHAVIOURS[a]()
