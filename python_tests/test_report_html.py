"""report.html in a real browser: headless Chromium (Debian's `chromium`, which ci/test installs)
opens the page of a gate run with a passing, a failing and a known case, takes a screenshot that
must not be blank, and its rendered text must name every case of report.json."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from conftest import ROOT

FINE = {"steps": [{"call": "unique", "args": [[2, 1]], "expect": {"$set": [1, 2]}}]}
DIVERGE = {"steps": [{"call": "unique", "args": [[1]], "expect": {"$set": [2]}}]}
LEDGER = {"entries": [{"selector": {"case": "seed/scenarios/accepted"}, "kind": "output",
                       "message": "set elements differ", "reason": "accepted on purpose"}]}


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: ci/test installs it (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return found


@pytest.fixture(scope="module")
def page(conformance: str, seed_manifest: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    fixtures = tmp_path_factory.mktemp("fixtures")
    seed = fixtures / "seed"
    (seed / "scenarios").mkdir(parents=True)
    (seed / "manifest.json").write_text(json.dumps(seed_manifest))
    (seed / "scenarios" / "fine.json").write_text(json.dumps(FINE))
    (seed / "scenarios" / "diverge.json").write_text(json.dumps(DIVERGE))
    (seed / "scenarios" / "accepted.json").write_text(json.dumps(DIVERGE))
    (seed / "ledger.json").write_text(json.dumps(LEDGER))
    out = tmp_path_factory.mktemp("reports")
    result = subprocess.run(
        [conformance, "gate", "--fixtures", str(fixtures), "--out", str(out), "seed/scenarios/", "seed/ledger"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    return out


def browse(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args],
        capture_output=True, text=True, timeout=120, check=False,
    )


def distinct_colours(png: bytes) -> int:
    """How many distinct RGB(A) pixels an 8-bit PNG has (a blank page has one)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    at, chunks, header = 8, [], b""
    while at < len(png):
        (length,) = struct.unpack(">I", png[at:at + 4])
        kind, data = png[at + 4:at + 8], png[at + 8:at + 8 + length]
        if kind == b"IHDR":
            header = data
        elif kind == b"IDAT":
            chunks.append(data)
        at += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6), "an 8-bit RGB or RGBA screenshot"
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    previous = bytearray(stride)
    colours = set()
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):  # undo the PNG filters, row by row
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                pa, pb, pc = abs(guess - left), abs(guess - up), abs(guess - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        colours.update(bytes(line[i:i + channels]) for i in range(0, stride, channels * 7))
        previous = line
    return len(colours)


def test_a_screenshot_of_the_report_is_not_blank(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    result = browse("--window-size=1200,900", f"--screenshot={shot}", (page / "report.html").as_uri())
    assert shot.is_file(), result.stderr
    assert distinct_colours(shot.read_bytes()) > 10, "the page rendered more than a background"


def test_the_rendered_page_names_every_case_with_its_status(page: Path) -> None:
    result = browse("--dump-dom", (page / "report.html").as_uri())
    dom = result.stdout
    report = json.loads((page / "report.json").read_text())
    statuses = {case["id"]: case["status"] for case in report["cases"]}
    assert statuses["seed/scenarios/diverge"] == "fail" and statuses["seed/scenarios/accepted"] == "known"
    for case in statuses:
        assert case in dom, case
    assert "FAIL seed/scenarios/diverge" in dom and "KNOWN seed/scenarios/accepted" in dom
    assert "accepted on purpose" in dom, "the ledger's reason is on the page"
    assert "conformance run --component seed" in dom, "with the rerun command"
