"""The differential test a Python maintainer would write with Hypothesis, timed for `ci/bench`.

The seed binding's `checked_mul` against a Python oracle of the Rust function (64-bit
multiplication that raises `OverflowError` instead of wrapping, and for arguments beyond 64
bits, as PyO3's conversion does), 10,000 examples, no database, no shrinking needed (it passes).
Prints `examples=N seconds=S per_second=R`; `ci/bench` reads it and prints the ratio to the
harness's own property run of the same function, so the comparison holds on any machine.
"""

import sys
import time

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import seed_components

EXAMPLES = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
I64 = (-(2**63), 2**63 - 1)


def oracle(a, b):
    if not (I64[0] <= a <= I64[1] and I64[0] <= b <= I64[1]):
        return ("raises", OverflowError)
    product = a * b
    if not I64[0] <= product <= I64[1]:
        return ("raises", OverflowError)
    return ("returns", product)


def observed(a, b):
    try:
        return ("returns", seed_components.checked_mul(a, b))
    except BaseException as error:  # the test compares exception classes, as the harness does
        return ("raises", type(error))


# Mostly 64-bit values, some beyond: the inputs the harness's own generator draws.
ints = st.one_of(st.integers(min_value=I64[0], max_value=I64[1]), st.integers())


@settings(
    max_examples=EXAMPLES,
    database=None,
    deadline=None,
    derandomize=True,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)
@given(ints, ints)
def test_checked_mul_matches_the_oracle(a, b):
    assert observed(a, b) == oracle(a, b)


def main():
    start = time.perf_counter()
    test_checked_mul_matches_the_oracle()
    seconds = time.perf_counter() - start
    print(f"examples={EXAMPLES} seconds={seconds:.3f} per_second={EXAMPLES / seconds:.0f}")


if __name__ == "__main__":
    main()
