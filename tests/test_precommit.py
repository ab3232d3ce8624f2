"""pre-commit: local hooks only, each tool pinned, each hook catching its kind of mistake.

The hooks run tools from the project's virtualenv, so `pre-commit run` clones
nothing and works offline. One test runs every hook on the real tree; another
breaks a scratch repository in one way per hook and checks each hook says so.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT

CONFIG = ROOT / ".pre-commit-config.yaml"
VENV_BIN = Path(".venv") / "bin"
EXPECTED_HOOKS = {
    "ruff-check",
    "ruff-format",
    "mypy",
    "check-data-schema",
    "check-benchmark-schema",
    "end-of-file-fixer",
    "trailing-whitespace",
}


def hooks() -> list[dict[str, Any]]:
    """Every hook in the config."""
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    return [hook for repo in config["repos"] for hook in repo["hooks"]]


def pins() -> dict[str, str]:
    """`name==version` pins of requirements-dev.txt, by normalised name."""
    found = {}
    for line in (ROOT / "requirements-dev.txt").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==([^\s;#]+)", line)
        if match:
            found[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(2)
    return found


def providing_distribution(script: str) -> str:
    """The installed distribution whose console script this is."""
    for dist in metadata.distributions():
        # A console-script entry point, or (ruff) a binary installed as a script file
        scripts = {e.name for e in dist.entry_points if e.group == "console_scripts"}
        scripts |= {f.name for f in dist.files or [] if f.parent.name == "bin"}
        if script in scripts:
            return re.sub(r"[-_.]+", "-", dist.metadata["Name"]).lower()
    raise LookupError(f"no installed distribution provides the command {script!r}")


def run_pre_commit(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """`pre-commit run --all-files` in a git checkout, with its own cache directory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(PRE_COMMIT_HOME=str(home), NO_COLOR="1", SKIP="")
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def hook_report(output: str, hook_name: str) -> str:
    """The lines pre-commit printed for one hook, from its status line to the next hook's."""
    match = re.search(rf"^{re.escape(hook_name)}\.+(\w+)\n(.*?)(?=^\S[^\n]*\.\.\.\.|\Z)", output, re.M | re.S)
    assert match, f"no report for {hook_name!r} in:\n{output}"
    return match.group(1) + "\n" + match.group(2)


# --- the config --------------------------------------------------------------------


def test_every_hook_is_local_and_needs_no_download() -> None:
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    assert {hook["id"] for hook in hooks()} == EXPECTED_HOOKS
    for hook in hooks():
        assert hook["language"] == "system", hook["id"]
        assert "additional_dependencies" not in hook, hook["id"]


def test_every_hook_runs_a_tool_pinned_in_requirements_dev() -> None:
    pinned = pins()
    for hook in hooks():
        command = Path(shlex.split(hook["entry"])[0])
        assert command.parent == VENV_BIN, (hook["id"], "should run the venv's tool")
        distribution = providing_distribution(command.name)
        assert distribution in pinned, f"{hook['id']}: {distribution} is not pinned with == in requirements-dev.txt"
        assert metadata.version(distribution) == pinned[distribution], (distribution, "installed version differs")


@pytest.mark.parametrize(
    ("hook_id", "data"), [("check-data-schema", "frameworks"), ("check-benchmark-schema", "benchmarks")]
)
def test_schema_hook_checks_a_data_file_against_its_schema(hook_id: str, data: str) -> None:
    (hook,) = [h for h in hooks() if h["id"] == hook_id]
    args = shlex.split(hook["entry"])
    assert args[args.index("--schemafile") + 1] == f"data/{data}.schema.json"
    assert args[-1] == f"data/{data}.yml"
    assert re.search(hook["files"], f"data/{data}.yml") and re.search(hook["files"], f"data/{data}.schema.json")


# --- running it --------------------------------------------------------------------


def test_pre_commit_passes_on_the_project(tmp_path: Path) -> None:
    """Every hook passes on the tracked files, and nothing was fetched to run them."""
    if not (ROOT / ".git").exists():
        pytest.skip("pre-commit needs a git checkout; this copy of the project is not one")
    home = tmp_path / "pre-commit-home"
    result = run_pre_commit(ROOT, home)
    assert result.returncode == 0, result.stdout + result.stderr
    for hook in hooks():
        assert re.search(rf"^{re.escape(hook['name'])}\.+(Passed|\(no files to check\)Skipped)$", result.stdout, re.M)
    # A hook repository would have been cloned into PRE_COMMIT_HOME as repo*/.
    assert not [p for p in home.iterdir() if p.is_dir()], sorted(p.name for p in home.iterdir())


@pytest.fixture
def scratch_repo(tmp_path: Path) -> Path:
    """A git repository with the project's pre-commit config, tools and data, ready to break."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    data = [f"data/{name}{suffix}" for name in ("frameworks", "benchmarks") for suffix in (".yml", ".schema.json")]
    for name in (".pre-commit-config.yaml", "pyproject.toml", *data):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, repo / name)
    for package in ("macros", "bench"):
        (repo / package).mkdir()
        (repo / package / "__init__.py").write_text('"""A package for mypy to check."""\n')
    (repo / ".venv").symlink_to(ROOT / ".venv", target_is_directory=True)
    subprocess.run(["git", "init", "--quiet", str(repo)], check=True)
    return repo


def test_each_hook_catches_its_kind_of_mistake(scratch_repo: Path, tmp_path: Path) -> None:
    repo = scratch_repo
    (repo / "lint.py").write_text('"""Unused import."""\n\nimport os\n')
    (repo / "format.py").write_text('"""Unformatted."""\n\nx = {"a":1,   "b":2}\n')
    (repo / "macros" / "typed.py").write_text('"""Wrong return type."""\n\n\ndef answer() -> int:\n    return "42"\n')
    (repo / "no_newline.txt").write_text("no final newline")
    (repo / "trailing.txt").write_text("trailing spaces   \n")
    data = repo / "data" / "frameworks.yml"
    data.write_text(re.sub(r"(?m)^(    tagline: ).*$", r"\g<1>42", data.read_text(encoding="utf-8"), count=1))
    benchmarks = repo / "data" / "benchmarks.yml"
    benchmarks.write_text(re.sub(r"(?m)^(  cores: ).*$", r"\g<1>two", benchmarks.read_text(encoding="utf-8"), count=1))
    subprocess.run(["git", "add", "--", "."], cwd=repo, check=True)

    result = run_pre_commit(repo, tmp_path / "home")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    names = {hook["id"]: hook["name"] for hook in hooks()}

    assert hook_report(output, names["ruff-check"]).startswith("Failed")
    assert re.search(r"F401 .*`os` imported but unused\n --> lint\.py:3:8", hook_report(output, names["ruff-check"]))
    assert re.search(r"would be reformatted\n --> format\.py:3", hook_report(output, names["ruff-format"]))
    mypy = hook_report(output, names["mypy"])
    assert mypy.startswith("Failed") and "macros/typed.py:5: error: Incompatible return value type" in mypy
    schema = hook_report(output, names["check-data-schema"])
    assert schema.startswith("Failed") and "42 is not of type 'string'" in schema
    benchmark_schema = hook_report(output, names["check-benchmark-schema"])
    assert benchmark_schema.startswith("Failed") and "'two' is not of type 'integer'" in benchmark_schema
    assert "Fixing no_newline.txt" in hook_report(output, names["end-of-file-fixer"])
    assert "Fixing trailing.txt" in hook_report(output, names["trailing-whitespace"])
    # The fixers fixed the files in place.
    assert (repo / "no_newline.txt").read_text() == "no final newline\n"
    assert (repo / "trailing.txt").read_text() == "trailing spaces\n"
