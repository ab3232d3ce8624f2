"""Shared fixtures: the project root, temp copies of the project, strict builds, and a root and each YAML parser for the data tests."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from macros import yaml_reader

# What a build reads, and a temp copy of it: shared with scripts/build_bench.py.
from scripts.project_copy import BUILD_INPUTS as BUILD_INPUTS
from scripts.project_copy import copy_project

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = [sys.executable, "-m", "mkdocs"]


@dataclass
class Build:
    """The outcome of one `mkdocs build`."""

    returncode: int
    output: str
    site: Path
    started: float = 0.0  # when the build began (epoch seconds), for date checks

    def page(self, url_path: str) -> str:
        """The HTML of a built page, by its site path (`comparison/`)."""
        return (self.site / url_path / "index.html").read_text(encoding="utf-8")


def run_build(project: Path, site: Path | None = None, **environ: str) -> Build:
    """Run a strict `mkdocs build` of a project directory, with extra environment variables, and capture its output."""
    site = site or project / "site"
    started = time.time()
    # REPO_URL only when a test passes it: without it the build follows the git remote.
    inherited = {k: v for k, v in os.environ.items() if k != "REPO_URL"}
    env = {**inherited, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": "http://127.0.0.1:8000/", **environ}
    result = subprocess.run(
        [*MKDOCS, "build", "--strict", "--site-dir", str(site)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    return Build(result.returncode, result.stdout + result.stderr, site, started)


def load_script(relative_path: str) -> ModuleType:
    """A project script (scripts/*.py) loaded by path: scripts are not packages."""
    path = ROOT / relative_path
    spec = importlib.util.spec_from_file_location(f"script_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests last.

    Once Playwright's sync API starts, an event loop runs on the main thread for the
    rest of the session, and Django refuses database work inside a running loop; the
    example tests must therefore come first.
    """
    items.sort(key=lambda item: item.nodeid.startswith("tests/browser/"))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """One strict build of the real project, shared by the whole session."""
    site = tmp_path_factory.mktemp("built") / "site"
    build = run_build(ROOT, site)
    assert build.returncode == 0, build.output
    return build


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A fresh temp copy of the project's build inputs."""
    return copy_project(tmp_path / "project")


def edit_data(project: Path, change: Callable[[dict], None]) -> None:
    """Load a copy's data file, apply `change`, and write it back as YAML."""
    path = project / "data" / "frameworks.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


MANY_FRAMEWORKS = 12


@pytest.fixture(scope="session")
def many_frameworks_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """One strict build of a temp copy whose data is grown to 12 frameworks (scripts/synthetic_frameworks.py)."""
    project = copy_project(tmp_path_factory.mktemp("many") / "project")
    load_script("scripts/synthetic_frameworks.py").grow_project(project, MANY_FRAMEWORKS)
    build = run_build(project, project / "site")
    assert build.returncode == 0, build.output
    return build


@pytest.fixture
def data_root(tmp_path: Path) -> Path:
    """A temp project root for the data tests, holding the real schema and one example file with a section."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "frameworks.schema.json").write_text(
        (ROOT / "data" / "frameworks.schema.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "app.py").write_text(
        "# --8<-- [start:get_user]\ndef get_user(): ...\n# --8<-- [end:get_user]\n", encoding="utf-8"
    )
    return tmp_path


@pytest.fixture(params=["libyaml", "pure-Python"])
def yaml_parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each parser the loader can read YAML with: libyaml's, and PyYAML's own where PyYAML has no libyaml."""
    if request.param == "libyaml" and not yaml.__with_libyaml__:
        pytest.skip("this PyYAML was built without libyaml")
    monkeypatch.setattr(yaml_reader, "LIBYAML", request.param == "libyaml")
    return str(request.param)
