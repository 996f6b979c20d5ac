"""Runs the gate once clean and once per seeded fault, and scores the detection (ci/mutants).

A fault is detected when the gate fails with a failure of the kind the fault calls for; the
table names the cases (checks) that caught it. A false alarm is any failure of the clean run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path


def gate(venv: Path, out: Path, fixtures: str, component: str, fault: str | None) -> dict:
    env = dict(os.environ)
    env.pop("SEED_FAULT", None)
    if fault:
        env["SEED_FAULT"] = fault
    result = subprocess.run(
        ["conformance", "gate", "--fixtures", fixtures, "--component", component,
         "--python", str(venv), "--out", str(out)],
        env=env, capture_output=True, text=True, check=False,
    )
    if result.returncode == 2:
        sys.exit(f"ci/mutants: the gate could not run ({fault or 'clean'}): {result.stderr.strip()}")
    return json.loads((out / "report.json").read_text())


def failures(report: dict) -> list[tuple[str, str]]:
    return [(case["id"], failure["kind"]) for case in report["cases"] for failure in case["failures"] if not failure["known"]]


def main() -> int:
    parser = argparse.ArgumentParser()
    for option in ("--venv", "--out", "--faults", "--fixtures", "--component"):
        parser.add_argument(option, required=True)
    args = parser.parse_args()
    faults = json.loads(Path(args.faults).read_text())["faults"]
    out = Path(args.out)

    clean = failures(gate(Path(args.venv), out / "clean", args.fixtures, args.component, None))
    rows, detected, uncaptured = [], 0, []
    for fault in faults:
        report = gate(Path(args.venv), out / fault["name"], args.fixtures, args.component, fault["name"])
        found = failures(report)
        catching = sorted({case for case, kind in found if kind == fault["kind"]})
        detected += bool(catching)
        # A Rust panic prints its message (and backtrace) on fd 2: it belongs to the case.
        if fault["kind"] == "panic" and not any(
            "panicked at" in case.get("output", {}).get("stderr", "")
            for case in report["cases"] if case["id"] in catching
        ):
            uncaptured.append(fault["name"])
        caught = ", ".join(case.split("/", 1)[1] for case in catching[:3]) + (" …" if len(catching) > 3 else "")
        rows.append((fault["name"], fault["kind"], caught or "NOT DETECTED"))

    width = max(len(name) for name, _, _ in rows)
    print(f"{'fault':<{width}}  {'expected':<10}  caught by")
    for name, kind, caught in rows:
        print(f"{name:<{width}}  {kind:<10}  {caught}")
    for case, kind in clean:
        print(f"false alarm: {case} ({kind})")
    for name in uncaptured:
        print(f"not captured: {name}'s panic message is not in its case's stderr")
    print(f"detected {detected} of {len(faults)} seeded faults, {len(clean)} false alarms")
    return 0 if detected == len(faults) and not clean and not uncaptured else 1


if __name__ == "__main__":
    sys.exit(main())
