"""`conformance scan` beside `python -m mypy.stubtest`: every stubtest error, with the scan's
matching finding or the written reason why the scan does not report it.

    python ci/scan_compare.py MODULE...            prints a Markdown table per module
    python ci/scan_compare.py --check MODULE...    exits 1 if a stubtest error is unmatched

A stubtest error is matched by a scan finding about the same object (stubtest reports a
constructor as `__new__` or `__init__`, the scan as `__init__`), narrowed by the
first rule of `ci/scan_reasons.json` whose pattern fits the error: its `finding` pattern says
which findings say the same thing (`any_object`: about another object), and its `reason` why the
scan does not report it, where no finding fits. Used by `ci/scan-wheels` (which writes
`docs/scan-stubtest.md`) and by `python_tests/test_scan.py`.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REASONS = ROOT / "ci" / "scan_reasons.json"


@dataclass
class Row:
    stubtest: str
    finding: str | None
    reason: str | None


def stubtest_errors(module: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", module], capture_output=True, text=True, check=False
    )
    return [line[len("error: ") :] for line in (out.stdout + out.stderr).splitlines() if line.startswith("error: ")]


def scan_findings(module: str, conformance: str = "conformance") -> list[str]:
    out = subprocess.run([conformance, "scan", module], capture_output=True, text=True, check=False)
    if out.returncode not in (0, 1):
        raise SystemExit(f"conformance scan {module} failed: {out.stderr.strip()}")
    return out.stdout.splitlines()[:-1]


def _object(error: str) -> str:
    path = error.split(" ", 1)[0]
    return re.sub(r"\.__new__$", ".__init__", path)


def pair(module: str, errors: list[str], findings: list[str], rules: list[dict]) -> list[Row]:
    rows = []
    for error in errors:
        rule = next(
            (r for r in rules if r.get("module", module) == module and re.search(r["stubtest"], error)),
            None,
        )
        path = _object(error)
        if rule and rule.get("any_object"):
            candidates = findings
        else:
            candidates = [f for f in findings if f.split(": ", 1)[0] == path]
        # An error about one parameter is matched only by a finding that names it.
        parameter = re.search(r'parameter "(\w+)"', error)
        if parameter:
            candidates = [f for f in candidates if f"'{parameter.group(1)}'" in f]
        if rule and "finding" in rule:
            candidates = [f for f in candidates if re.search(rule["finding"], f)]
        finding = candidates[0] if candidates else None
        reason = rule.get("reason") if rule and finding is None else None
        rows.append(Row(error, finding, reason))
    return rows


def _cell(text: str | None) -> str:
    return "—" if text is None else text.replace("|", "\\|")


def markdown(module: str, rows: list[Row], findings: list[str]) -> str:
    lines = [
        f"### `{module}`: {len(rows)} stubtest errors, {len(findings)} scan findings",
        "",
        "| stubtest error | scan finding | or why the scan does not report it |",
        "|---|---|---|",
    ]
    for row in rows:
        lines.append(f"| {_cell(row.stubtest)} | {_cell(row.finding)} | {_cell(row.reason)} |")
    matched = {row.finding for row in rows if row.finding}
    extra = [f for f in findings if f not in matched]
    if extra:
        lines += ["", f"Found by the scan only ({len(extra)}):", ""]
        lines += [f"- {f}" for f in extra]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    modules = [a for a in argv if not a.startswith("--")]
    rules = json.loads(REASONS.read_text())["rules"]
    unmatched = 0
    for module in modules:
        errors = stubtest_errors(module)
        findings = scan_findings(module)
        rows = pair(module, errors, findings, rules)
        missing = [r for r in rows if r.finding is None and r.reason is None]
        unmatched += len(missing)
        if check:
            for row in missing:
                print(f"{module}: unmatched stubtest error: {row.stubtest}")
        else:
            print(markdown(module, rows, findings))
    return 1 if check and unmatched else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
