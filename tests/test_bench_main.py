"""bench/__main__.py: the command line's options and exit codes, without running a benchmark."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from bench import ROOT
from bench.__main__ import main

COMMITTED_RAW = sorted((ROOT / "data" / "benchmarks" / "raw").glob("*.json"))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--only", "nosuch"], "unknown workload nosuch; known: health, user, upstream, cpu, write"),
        (["--config", "a,b"], "unknown configuration a, b; known: flask-gunicorn"),
    ],
)
def test_unknown_ids_are_refused_with_the_known_ones(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2 and message in capsys.readouterr().err


def test_compare_needs_two_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--compare", str(tmp_path / "a.json"), str(tmp_path / "b.json")]) == 2
    assert "No such raw file" in capsys.readouterr().err


@pytest.mark.skipif(len(COMMITTED_RAW) < 2, reason="needs two committed raw runs")
def test_compare_exits_1_when_a_ratio_differs_by_more_than_the_tolerance(capsys: pytest.CaptureFixture[str]) -> None:
    same = main(["--compare", str(COMMITTED_RAW[-1]), str(COMMITTED_RAW[-1])])
    assert same == 0 and "largest difference 0.0%" in capsys.readouterr().out
    # Runs from before the verdicts' workloads: every ratio counts.
    assert main(["--compare", str(COMMITTED_RAW[0]), str(COMMITTED_RAW[1]), "--tolerance", "0"]) == 1
    assert "The runs disagree: a ratio differs by" in capsys.readouterr().err


RUNS_WITH_VERDICTS = [p for p in COMMITTED_RAW if "upstream" in json.loads(p.read_text())]


@pytest.mark.skipif(len(RUNS_WITH_VERDICTS) < 2, reason="needs two committed raw runs with the workloads")
def test_compare_judges_two_runs_by_the_ratios_their_verdicts_use(capsys: pytest.CaptureFixture[str]) -> None:
    first, second = RUNS_WITH_VERDICTS[:2]
    assert main(["--compare", str(first), str(first)]) == 0
    out = capsys.readouterr().out
    assert "Ratios the verdicts use" in out and "The runs agree: every verdict is the same" in out
    assert main(["--compare", str(first), str(second), "--tolerance", "0"]) == 1
    assert "The runs disagree: a ratio a verdict uses differs by" in capsys.readouterr().err


@pytest.mark.skipif(not COMMITTED_RAW, reason="needs a committed raw run")
def test_from_raw_writes_the_yaml_where_it_is_told(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = tmp_path / "raw.json"
    published = yaml.safe_load((ROOT / "data" / "benchmarks.yml").read_text())["raw"]
    shutil.copy(ROOT / published, raw)  # the published run: complete, so --from-raw exits 0
    output = tmp_path / "benchmarks.yml"
    assert main(["--from-raw", str(raw), "--output", str(output)]) == 0
    assert output.read_text().startswith("# yaml-language-server: $schema=benchmarks.schema.json")
    assert f"Wrote {output} from {raw}." in capsys.readouterr().out
    assert json.loads(raw.read_text())["slices"], "the raw file is read, not rewritten"
