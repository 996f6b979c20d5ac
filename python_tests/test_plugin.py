"""The pytest plugin itself, tested with pytester in throwaway projects.

Each project holds the seed manifest (read from the repository), one scenario and a recorded
result written here, so that the recorded side can be made to agree or disagree on purpose.
"""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURES

SCENARIO = {"steps": [{"new": "Store", "bind": "s"}, {"call": "put", "on": "s", "args": ["a", 1]},
                      {"call": "put", "on": "s", "args": ["a", 2]}]}
RECORDED = [
    {"step": "Store()", "outcome": "returned",
     "value": {"$object": {"class": "Store", "state": {"size": 0, "capacity": 8}}}},
    {"step": "s.put()", "outcome": "returned", "value": None},
    {"step": "s.put()", "outcome": "returned", "value": 1},
]
TEST_FILE = "def test_conformance(conformance_case):\n    conformance_case.check()\n"


def snapshot_text(steps: list[dict]) -> str:
    return "---\nsource: harness/core/src/testing.rs\n---\n" + json.dumps(steps, indent=2) + "\n"


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    root = pytester.path
    (root / "fixtures" / "seed" / "scenarios").mkdir(parents=True)
    (root / "fixtures" / "seed" / "manifest.json").write_text((FIXTURES / "seed" / "manifest.json").read_text())
    (root / "fixtures" / "seed" / "scenarios" / "update.json").write_text(json.dumps(SCENARIO))
    (root / "snapshots" / "seed").mkdir(parents=True)
    (root / "snapshots" / "seed" / "scenarios__update.snap").write_text(snapshot_text(RECORDED))
    pytester.makepyfile(test_project=TEST_FILE)
    pytester.makeini("[pytest]\n")
    return pytester


def test_each_scenario_is_an_item_with_a_readable_id(project: pytest.Pytester) -> None:
    result = project.runpytest("--collect-only", "-q")
    result.stdout.fnmatch_lines(["test_project.py::test_conformance[[]seed/scenarios/update[]]"])
    result = project.runpytest("-k", "update")
    result.assert_outcomes(passed=1)


def test_a_recorded_result_python_does_not_match_fails_with_both_sides(project: pytest.Pytester) -> None:
    changed = [dict(step) for step in RECORDED]
    changed[2] = {"step": "s.put()", "outcome": "returned", "value": 7}
    (project.path / "snapshots" / "seed" / "scenarios__update.snap").write_text(snapshot_text(changed))
    result = project.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*FAIL seed/scenarios/update (3 steps)*1 failure",
        "*step 3 [[]output[]] s.put(): at $: 7 on rust, 1 on python",
    ])
    assert not list((project.path / "snapshots").rglob("*.snap.new")), "nothing written unless asked"


def test_update_writes_a_pending_insta_snapshot_except_in_ci(project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    snapshot = project.path / "snapshots" / "seed" / "scenarios__update.snap"
    changed = [dict(step) for step in RECORDED]
    changed[2] = {"step": "s.put()", "outcome": "returned", "value": 7}
    snapshot.write_text(snapshot_text(changed))
    monkeypatch.setenv("CI", "true")
    project.runpytest("--conformance-update").assert_outcomes(failed=1)
    assert not snapshot.with_name("scenarios__update.snap.new").exists()
    monkeypatch.delenv("CI")
    project.runpytest("--conformance-update").assert_outcomes(failed=1)
    pending = snapshot.with_name("scenarios__update.snap.new").read_text()
    header, _, body = pending.partition("\n---\n")
    assert header.startswith("---\nsource: ")
    assert json.loads(body) == RECORDED, "the pending snapshot holds what Python did"


def test_a_missing_recorded_result_says_how_to_record_it(project: pytest.Pytester) -> None:
    (project.path / "snapshots" / "seed" / "scenarios__update.snap").unlink()
    result = project.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*no recorded Rust result for seed/scenarios/update: record it with `INSTA_UPDATE=always cargo test` in the adapter*"])


def test_xdist_gives_the_same_verdicts(project: pytest.Pytester) -> None:
    scenarios = project.path / "fixtures" / "seed" / "scenarios"
    snapshots = project.path / "snapshots" / "seed"
    for index in range(4):
        (scenarios / f"copy_{index}.json").write_text(json.dumps(SCENARIO))
        recorded = RECORDED if index % 2 == 0 else RECORDED[:2] + [{"step": "s.put()", "outcome": "returned", "value": 9}]
        (snapshots / f"scenarios__copy_{index}.snap").write_text(snapshot_text(recorded))

    def verdicts(*args: str) -> dict[str, str]:
        result = project.runpytest("-rA", "-p", "no:cacheprovider", *args)
        lines = [line for line in result.outlines if line.startswith(("PASSED", "FAILED"))]
        return {line.split()[1].split(" - ")[0]: line.split()[0] for line in lines}

    serial = verdicts()
    assert len(serial) == 5 and list(serial.values()).count("FAILED") == 2, serial
    assert verdicts("-n", "2") == serial


def test_conformance_report_records_every_case_with_its_interpreter(project: pytest.Pytester) -> None:
    import platform

    report_path = project.path / "out" / "report.json"
    project.runpytest("--conformance-report", str(report_path)).assert_outcomes(passed=1)
    report = json.loads(report_path.read_text())
    assert report["complete"] is True
    assert report["summary"] == {"total": 1, "passed": 1, "failed": 0, "known": 0, "skipped": 0}
    (case,) = report["cases"]
    assert case["id"] == "seed/scenarios/update" and case["status"] == "pass"
    assert case["interpreter"]["version"] == platform.python_version()
    assert case["interpreter"]["implementation"] == platform.python_implementation()
    # The same under xdist: the controller writes what the workers ran.
    report_path.unlink()
    project.runpytest("-n", "2", "--conformance-report", str(report_path)).assert_outcomes(passed=1)
    assert json.loads(report_path.read_text())["cases"][0]["id"] == "seed/scenarios/update"


def test_the_codec_and_comparator_are_the_rust_core() -> None:
    from pyo3_conformance import compare, decode, encode

    assert encode((1, True, 1.0)) == '{"$tuple":[1,true,1.0]}'
    assert decode('{"$set": [1, 2]}') == {1, 2}
    assert compare(1, True) == [{"path": "$", "reason": "int 1 on left, bool true on right"}]
    assert compare(float("nan"), float("nan")) == []
    assert compare([1, (2,)], [1, (2,)]) == []


def test_values_of_any_shape_are_refused_saying_where_not_a_crash() -> None:
    """In pytest's own process: the converters are the Rust core's, which count and look for
    cycles, so a hostile value is an exception naming where, never a stack overflow."""
    from pyo3_conformance import decode, encode

    cyclic: list = [1]
    cyclic.append(cyclic)
    with pytest.raises(ValueError, match=r"^a list that contains itself \(at \$\[1\]\)$"):
        encode(cyclic)
    deep: list = []
    for _ in range(200_000):
        deep = [deep]
    with pytest.raises(ValueError, match=r"^a value nested deeper than 32 containers \(at \$(\[0\]){32}\)$"):
        encode(deep)
    assert encode("\ud800") == '{"$utf16":"d800"}'
    with pytest.raises(Exception, match="nested deeper than 32 containers"):
        decode("[" * 40 + "]" * 40)
    with pytest.raises(Exception, match="hex"):
        decode('{"$bytes": "0\u1197"}')


def test_recorded_results_are_exactly_the_scenarios(pytestconfig: pytest.Config) -> None:
    """Every scenario has a recorded result and every snapshot belongs to something: the
    unreferenced-snapshot check of CI, and no pending `.snap.new` is ever committed."""
    from conftest import SNAPSHOTS, components, scenario_files

    for component in components():
        expected = {"api_surface"} | {
            str(path.relative_to(component).with_suffix("")).replace("/", "__") for path in scenario_files(component)
        }
        present = {path.stem for path in (SNAPSHOTS / component.name).glob("*.snap")}
        assert present == expected, {"unreferenced": present - expected, "missing": expected - present}
        assert not list((SNAPSHOTS / component.name).glob("*.snap.new"))


def test_an_xfail_reason_names_each_ledger_reason_once() -> None:
    from pyo3_conformance.plugin import xfail_reason

    reasons = ["rewords parse errors (link)"] * 8 + ["writes bytes as ints (link)"]
    assert xfail_reason(reasons) == (
        "known divergence (ledger): rewords parse errors (link); writes bytes as ints (link)"
    )
