"""The GitHub Actions workflows: actionlint passes them, and they do what the project needs.

CI runs `make test` and a strict build; Pages runs only after CI passed on a push
to main, builds exactly the commit CI tested, with full history for the
last-updated dates and the repository's own links, and deploys with only the
permissions Pages needs. Facts and links runs both audits every week, whatever
the first finds, and keeps one issue up to date with what they report.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT, load_script

WORKFLOWS = ROOT / ".github" / "workflows"
CI = WORKFLOWS / "ci.yml"
PAGES = WORKFLOWS / "pages.yml"
FACTS = WORKFLOWS / "facts.yml"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def load(path: Path) -> dict[str, Any]:
    """A workflow as data; YAML 1.1 reads the `on:` key as True, so name it back."""
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in workflow:
        workflow["on"] = workflow.pop(True)
    return workflow


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    """Every step of every job, in order."""
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def step_using(workflow: dict[str, Any], action: str) -> list[dict[str, Any]]:
    """The steps that use an action, whatever its version."""
    return [s for s in steps(workflow) if s.get("uses", "").partition("@")[0] == action]


def scripts(workflow: dict[str, Any]) -> str:
    """All `run:` scripts, joined."""
    return "\n".join(s["run"] for s in steps(workflow) if "run" in s)


# A workflow expression's tokens: spaces, 'strings', operators, parentheses, context paths.
EXPRESSION_TOKEN = re.compile(r"\s+|'(?:[^']|'')*'|==|!=|&&|\|\||[!()]|[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*")
OPERATORS = {"==": "==", "!=": "!=", "&&": "and", "||": "or", "!": "not", "(": "(", ")": ")"}
LITERALS = {"true": True, "false": False, "null": None}


def evaluate(expression: str, context: dict[str, Any]) -> Any:
    """Evaluate a workflow expression (`${{ a.b == 'x' || c }}`) as GitHub would, for the subset the workflows use.

    Context paths are looked up in nested dicts (a missing one is null), and `&&` and
    `||` return an operand, as in GitHub's expressions.
    """
    expression = expression.strip()
    if expression.startswith("${{") and expression.endswith("}}"):
        expression = expression[3:-2]
    python, position = [], 0
    for match in EXPRESSION_TOKEN.finditer(expression):
        assert match.start() == position, f"cannot read {expression[position:]!r}"
        position, token = match.end(), match.group()
        if token.isspace():
            continue
        if token.startswith("'"):
            python.append(repr(token[1:-1].replace("''", "'")))
        elif token in OPERATORS:
            python.append(OPERATORS[token])
        elif token in LITERALS:
            python.append(repr(LITERALS[token]))
        else:
            value: Any = context
            for key in token.split("."):
                value = value.get(key) if isinstance(value, dict) else None
            python.append(repr(value))
    assert position == len(expression), f"cannot read {expression[position:]!r}"
    return eval(" ".join(python), {"__builtins__": {}})  # only the tokens above, from our own workflow files


def interpolate(text: str, context: dict[str, Any]) -> str:
    """A value with `${{ ... }}` parts, as the runner sees it."""
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: str(evaluate(m.group(1), context)), text)


def tool(name: str, why: str) -> str:
    """A command from the venv or PATH; missing, it skips locally and fails in CI."""
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    found = shutil.which(name, path=path)
    if found is None:
        message = f"{name} is not installed ({why}); `make test` installs it"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return found


def actionlint(*files: Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run actionlint, with ShellCheck on the `run:` scripts, and capture its report."""
    binary = tool("actionlint", "pinned in requirements-dev.txt")
    shellcheck = tool("shellcheck", "installed by scripts/system-deps.sh")
    return subprocess.run(
        [binary, "-no-color", "-oneline", f"-shellcheck={shellcheck}", "-pyflakes=", *map(str, files)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- actionlint ------------------------------------------------------------------


def test_actionlint_passes_every_workflow() -> None:
    files = sorted(WORKFLOWS.glob("*.y*ml"))
    assert {f.name for f in files} >= {"ci.yml", "pages.yml", "facts.yml"}
    result = actionlint(*files)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    """A typo'd step id, an unquoted variable and an unknown input each fail the lint."""
    broken = tmp_path / ".github" / "workflows" / "pages.yml"
    broken.parent.mkdir(parents=True)
    text = PAGES.read_text(encoding="utf-8")
    text = text.replace("steps.pages.outputs.base_url", "steps.page.outputs.base_url")
    text = text.replace("          fetch-depth: 0", "          fetch-depht: 0", 1)
    text = text.replace("run: make build", 'run: echo building $GITHUB_SHA && cd $RUNNER_TEMP/"x y" && make build')
    broken.write_text(text, encoding="utf-8")
    result = actionlint(broken, cwd=tmp_path)
    report = result.stdout
    assert result.returncode == 1, report
    assert re.search(r'pages\.yml:\d+:\d+: property "page" is not defined', report), report
    assert 'input "fetch-depht" is not defined in action "actions/checkout@' in report, report
    assert "SC2086" in report, report  # ShellCheck: double quote to prevent globbing and word splitting


def test_actionlint_catches_a_mistyped_permission(tmp_path: Path) -> None:
    broken = tmp_path / ".github" / "workflows" / "ci.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(CI.read_text(encoding="utf-8").replace("contents: read", "contents: raed", 1), encoding="utf-8")
    result = actionlint(broken, cwd=tmp_path)
    assert result.returncode == 1
    expected = r'ci\.yml:\d+:\d+: "raed" is invalid .*scope "contents".*\[permissions\]'
    assert re.search(expected, result.stdout), result.stdout


# --- CI --------------------------------------------------------------------------


def test_ci_runs_on_pull_requests_and_pushes_to_main() -> None:
    on = load(CI)["on"]
    assert "pull_request" in on
    assert on["push"]["branches"] == ["main"]


def test_ci_only_reads_the_repository() -> None:
    workflow = load(CI)
    assert workflow["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in workflow["jobs"].values())


def test_ci_runs_the_same_test_command_as_the_readme_and_ci_entry_point() -> None:
    command = "make test"
    assert re.search(r"^make test\b", (ROOT / ".ci" / "run").read_text(encoding="utf-8"), re.MULTILINE)
    assert re.search(r"^make test\b", (ROOT / "README.md").read_text(encoding="utf-8"), re.MULTILINE)
    assert [s["run"] for s in steps(load(CI)) if s.get("run", "").strip() == command] == [command]


def test_every_make_target_a_workflow_runs_exists() -> None:
    targets = {t for path in (CI, PAGES) for t in re.findall(r"^make (\S+)$", scripts(load(path)), re.MULTILINE)}
    assert {"test", "build", ".venv/.dev"} <= targets
    for target in sorted(targets):
        result = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, (target, result.stderr)


def test_ci_builds_strictly_and_publishes_the_site_and_screenshots() -> None:
    workflow = load(CI)
    runs = [s.get("run", "").strip() for s in steps(workflow)]
    assert runs.index("make build") > runs.index("make test")
    assert re.search(r"^build:.*\n\t.*mkdocs build --strict", (ROOT / "Makefile").read_text(), re.MULTILINE)
    uploads = {s["with"]["path"].rstrip("/"): s for s in step_using(workflow, "actions/upload-artifact")}
    assert set(uploads) == {"test-output/screenshots", "site"}
    # Screenshots matter most when a browser test failed.
    assert uploads["test-output/screenshots"]["if"] == "always()"


def makefile_variable(name: str) -> str:
    """A `NAME := value` of the Makefile."""
    match = re.search(rf"^{name} := (\S+)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.MULTILINE)
    assert match, f"the Makefile sets no {name}"
    return match.group(1)


def test_ci_sets_up_the_newest_python_then_3_11_as_python3_with_a_pip_cache_keyed_on_the_locks() -> None:
    """setup-python installs every version listed and makes the last one `python3`: .venv's, the locks' 3.11."""
    (setup,) = step_using(load(CI), "actions/setup-python")
    versions = str(setup["with"]["python-version"]).split()
    assert versions == [makefile_variable("NEWEST_LOCK_PYTHON"), makefile_variable("LOCK_PYTHON")] == ["3.13", "3.11"]
    assert setup["with"]["cache"] == "pip"
    keyed = setup["with"]["cache-dependency-path"].split()
    locks = {
        "requirements.txt",
        "requirements-dev.txt",
        "examples/requirements.txt",
        "examples/requirements-newest.txt",
    }
    assert locks <= set(keyed)


def test_make_test_finds_the_newest_python_ci_sets_up() -> None:
    """setup-python puts `python3.13` on PATH, a name scripts/newest_venv.py looks for; CI sets no override."""
    newest = load_script("scripts/newest_venv.py")
    version = makefile_variable("NEWEST_LOCK_PYTHON")
    assert f"python{version}" in newest.NAMES
    assert tuple(int(part) for part in version.split(".")) >= newest.OLDEST
    assert newest.OVERRIDE not in (CI.read_text(encoding="utf-8") + (ROOT / ".ci" / "run").read_text(encoding="utf-8"))


def test_ci_installs_the_system_tools_make_test_would_otherwise_need_root_for() -> None:
    script = scripts(load(CI))
    assert re.search(r"sudo apt-get install -y .*\bwrk\b", script)
    assert re.search(r"sudo apt-get install -y .*\bshellcheck\b", script)
    assert "python -m playwright install --with-deps chromium" in script
    assert re.search(r'echo "CHROMIUM_PATH=.*" >> "\$GITHUB_ENV"', script)


def test_ci_chromium_path_one_liner_prints_playwrights_binary() -> None:
    """The command CI uses to find Playwright's Chromium runs and prints a path."""
    match = re.search(r"\.venv/bin/python -c '([^']+)'", scripts(load(CI)))
    assert match, "no python one-liner computes CHROMIUM_PATH"
    result = subprocess.run([sys.executable, "-c", match.group(1)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    path = result.stdout.strip()
    assert path.startswith("/") and "chrom" in path.lower(), path


# --- Pages -----------------------------------------------------------------------


def ci_completed(conclusion: str = "success", event: str = "push", branch: str = "main") -> dict[str, Any]:
    """The context of a Pages run started by a finished CI run."""
    run = {"conclusion": conclusion, "event": event, "head_branch": branch, "head_sha": "c1" * 20}
    return {"github": {"event_name": "workflow_run", "event": {"workflow_run": run}, "ref": "refs/heads/main"}}


MANUAL_RUN: dict[str, Any] = {"github": {"event_name": "workflow_dispatch", "event": {}, "ref": "refs/heads/main"}}


def test_pages_runs_when_ci_completes_on_main_or_by_hand_one_at_a_time() -> None:
    workflow = load(PAGES)
    # Not on push: a push runs CI, and CI's completion runs Pages.
    assert set(workflow["on"]) == {"workflow_run", "workflow_dispatch"}
    trigger = workflow["on"]["workflow_run"]
    assert trigger["workflows"] == [load(CI)["name"]]
    assert trigger["types"] == ["completed"]
    assert trigger["branches"] == ["main"]
    assert workflow["concurrency"]["group"]
    assert workflow["concurrency"]["cancel-in-progress"] is False


@pytest.mark.parametrize(
    ("context", "builds"),
    [
        (ci_completed(), True),
        (ci_completed(conclusion="failure"), False),
        (ci_completed(conclusion="cancelled"), False),
        (ci_completed(conclusion="timed_out"), False),
        (ci_completed(conclusion="skipped"), False),
        # A pull request from a fork's branch named main: CI ran on untrusted code.
        (ci_completed(event="pull_request"), False),
        (MANUAL_RUN, True),
    ],
)
def test_pages_builds_and_deploys_only_after_ci_passed_on_a_push(context: dict[str, Any], builds: bool) -> None:
    jobs = load(PAGES)["jobs"]
    assert bool(evaluate(jobs["build"]["if"], context)) is builds
    # The deploy has no condition of its own: it needs the build, so it is skipped with it.
    assert jobs["deploy"]["needs"] == "build" and "if" not in jobs["deploy"]


def test_pages_builds_exactly_the_commit_ci_tested() -> None:
    build = load(PAGES)["jobs"]["build"]
    (checkout,) = [s for s in build["steps"] if s.get("uses", "").startswith("actions/checkout@")]
    (lookup,) = [s for s in build["steps"] if "run" in s and "gh run list" in s["run"]]
    assert build["steps"].index(lookup) < build["steps"].index(checkout)
    # After CI: the commit that CI run tested, not main's head (github.sha), which may be newer.
    after_ci = ci_completed()
    assert not evaluate(lookup["if"], after_ci)
    assert evaluate(checkout["with"]["ref"], after_ci) == "c1" * 20
    # By hand: the commit the lookup step found.
    found = {**MANUAL_RUN, "steps": {lookup["id"]: {"outputs": {"sha": "d2" * 20}}}}
    assert evaluate(lookup["if"], MANUAL_RUN)
    assert evaluate(checkout["with"]["ref"], found) == "d2" * 20


FAKE_GH = """#!/usr/bin/env bash
printf '%s\\n' "$@" > "$FAKE_GH_ARGS"
printf '%s' "$FAKE_GH_SHA"
"""


@pytest.mark.parametrize("newest", ["d2" * 20, ""])
def test_a_manual_run_publishes_the_newest_commit_on_main_whose_ci_passed(tmp_path: Path, newest: str) -> None:
    """The lookup step's script, run as the runner runs it, against a stand-in for the gh command."""
    (lookup,) = [s for s in steps(load(PAGES)) if "run" in s and "gh run list" in s["run"]]
    assert lookup["env"]["GH_TOKEN"] == "${{ github.token }}"
    gh = tmp_path / "bin" / "gh"
    gh.parent.mkdir()
    gh.write_text(FAKE_GH, encoding="utf-8")
    gh.chmod(0o755)
    output, args = tmp_path / "output", tmp_path / "args"
    env = {
        "PATH": f"{gh.parent}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_REPOSITORY": "someone/fork",
        "GITHUB_OUTPUT": str(output),
        "GH_TOKEN": "token",
        "FAKE_GH_ARGS": str(args),
        "FAKE_GH_SHA": newest,
    }
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", lookup["run"]],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    asked = args.read_text(encoding="utf-8").split("\n")
    for flag, value in {
        "--repo": "someone/fork",
        "--workflow": CI.name,
        "--branch": "main",
        "--event": "push",
        "--status": "success",
        "--limit": "1",
    }.items():
        assert asked[asked.index(flag) + 1] == value, (flag, asked)
    if newest:
        assert result.returncode == 0, result.stderr
        assert output.read_text(encoding="utf-8") == f"sha={newest}\n"
    else:
        # Nothing has passed yet: the run fails and says why, and publishes nothing.
        assert result.returncode == 1
        assert "::error::" in result.stdout and not output.exists()


def test_pages_gives_each_job_only_the_permissions_it_needs() -> None:
    workflow = load(PAGES)
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    # The job that runs the project's code reads the repository (and, by hand, CI's runs); it cannot deploy.
    assert jobs["build"]["permissions"] == {"contents": "read", "actions": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert set(jobs) == {"build", "deploy"}


def test_every_workflow_checks_out_full_history_for_last_updated_dates() -> None:
    for path in (CI, PAGES):
        checkouts = step_using(load(path), "actions/checkout")
        assert checkouts and all(s["with"]["fetch-depth"] == 0 for s in checkouts), path.name


def test_pages_builds_for_its_own_address_and_repository_and_deploys_that_build() -> None:
    workflow = load(PAGES)
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    (configure,) = step_using(workflow, "actions/configure-pages")
    (make_build,) = [s for s in build["steps"] if s.get("run", "").strip() == "make build"]
    assert make_build["env"]["SITE_URL"].startswith("${{ steps." + configure["id"] + ".outputs.base_url }}")
    # The repository links name the repository the workflow runs in, on whichever GitHub server.
    context = {"github": {"server_url": "https://ghe.example.com", "repository": "someone/fork"}}
    assert interpolate(make_build["env"]["REPO_URL"], context) == "https://ghe.example.com/someone/fork"
    (upload,) = step_using(workflow, "actions/upload-pages-artifact")
    assert upload["with"]["path"].rstrip("/") == "site"
    assert [s["uses"].partition("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert deploy["environment"]["name"] == "github-pages"


def test_ci_builds_the_site_artifact_with_the_repositorys_own_links() -> None:
    (make_build,) = [s for s in steps(load(CI)) if s.get("run", "").strip() == "make build"]
    context = {"github": {"server_url": "https://github.com", "repository": "someone/fork"}}
    assert interpolate(make_build["env"]["REPO_URL"], context) == "https://github.com/someone/fork"


def test_site_and_repository_urls_come_from_the_environment() -> None:
    """mkdocs.yml reads SITE_URL and REPO_URL, the variables the workflows set."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"^site_url: !ENV \[SITE_URL, ", config, re.MULTILINE)
    assert re.search(r"^repo_url: !ENV \[REPO_URL, ", config, re.MULTILINE)


def test_actions_are_pinned_to_a_major_version() -> None:
    for path in (CI, PAGES, FACTS):
        for step in steps(load(path)):
            if "uses" in step:
                assert re.fullmatch(r"actions/[a-z-]+@v\d+", step["uses"]), (path.name, step["uses"])


# --- Facts and links ----------------------------------------------------------------


def facts_step(name: str) -> dict[str, Any]:
    """The Facts and links step whose name starts with `name`."""
    (step,) = [s for s in steps(load(FACTS)) if s.get("name", "").startswith(name)]
    return step


def checked(facts: str, links: str) -> dict[str, Any]:
    """The context after both checks ran and recorded these exit statuses."""
    return {"steps": {"facts": {"outputs": {"status": facts}}, "links": {"outputs": {"status": links}}}}


FAKE_MAKE = """#!/usr/bin/env bash
echo "the report of make $*"
echo "a note on stderr" >&2
exit "$FAKE_MAKE_STATUS"
"""

# Logs each call's arguments, one call a line, and answers `gh issue list` with $FAKE_GH_OPEN.
FAKE_GH_ISSUES = """#!/usr/bin/env bash
printf '%s\\037' "$@" >> "$FAKE_GH_LOG"
printf '\\n' >> "$FAKE_GH_LOG"
if [ "$1 $2" = "issue list" ]; then printf '%s' "$FAKE_GH_OPEN"; fi
"""


def run_facts_step(name: str, tmp_path: Path, **environ: str) -> subprocess.CompletedProcess[str]:
    """Run a Facts and links step's script as the runner would: the job's env and its own, and stand-ins for make and gh."""
    workflow = load(FACTS)
    step = facts_step(name)
    context = {
        "github": {
            "workspace": str(tmp_path),
            "server_url": "https://github.com",
            "repository": "someone/fork",
            "run_id": "4242",
            "token": "token",
        },
        **checked(environ.pop("FACTS_STATUS", ""), environ.pop("LINKS_STATUS", "")),
    }
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for command, text in {"make": FAKE_MAKE, "gh": FAKE_GH_ISSUES}.items():
        (bin_dir / command).write_text(text, encoding="utf-8")
        (bin_dir / command).chmod(0o755)
    (job,) = workflow["jobs"].values()
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_REPOSITORY": "someone/fork",
        "GITHUB_RUN_ID": "4242",
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "FAKE_GH_LOG": str(tmp_path / "gh.log"),
        **{key: interpolate(str(value), context) for key, value in {**job["env"], **step.get("env", {})}.items()},
        **environ,
    }
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )


def gh_calls(tmp_path: Path) -> list[list[str]]:
    """The stand-in gh's calls, each as its list of arguments."""
    log = tmp_path / "gh.log"
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return [line.split("\x1f")[:-1] for line in lines]


def test_facts_runs_every_week_and_by_hand_one_run_at_a_time() -> None:
    workflow = load(FACTS)
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}
    (schedule,) = workflow["on"]["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert minute.isdigit() and hour.isdigit() and weekday.isdigit()
    assert (day, month) == ("*", "*")
    assert workflow["concurrency"]["cancel-in-progress"] is False


def test_facts_reads_the_code_and_writes_issues_and_nothing_more() -> None:
    workflow = load(FACTS)
    assert workflow["permissions"] == {"contents": "read", "issues": "write"}
    assert all("permissions" not in job for job in workflow["jobs"].values())
    for step in steps(workflow):
        if "gh " in step.get("run", ""):
            assert step["env"]["GH_TOKEN"] == "${{ github.token }}", step["name"]


def test_facts_runs_both_make_targets_after_setting_up_the_venv() -> None:
    runs = [s.get("run", "") for s in steps(load(FACTS))]
    venv = runs.index("make .venv/.dev")
    facts = next(i for i, r in enumerate(runs) if "make check-facts" in r)
    links = next(i for i, r in enumerate(runs) if "make check-links" in r)
    assert venv < facts < links
    # Neither check is skipped for what the other found.
    assert "if" not in facts_step("Check the release facts") and "if" not in facts_step("Check every external link")
    assert re.search(r"^check-links: \$\(VENV\)/\.dev$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    for target in ("check-facts", "check-links"):
        result = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, (target, result.stderr)


@pytest.mark.parametrize("status", [0, 1, 2])
@pytest.mark.parametrize("check", ["Check the release facts", "Check every external link"])
def test_each_check_step_passes_and_records_its_exit_status_and_output(tmp_path: Path, check: str, status: int) -> None:
    """The step itself succeeds whatever make exits with, so the next check still runs."""
    result = run_facts_step(check, tmp_path, FAKE_MAKE_STATUS=str(status))
    assert result.returncode == 0, result.stderr
    target = "check-facts" if "facts" in check else "check-links"
    report = (tmp_path / "test-output" / "facts" / f"{target}.txt").read_text(encoding="utf-8")
    assert report == f"the report of make {target}\na note on stderr\n"
    assert report in result.stdout  # and it is in the run's log
    assert (tmp_path / "output").read_text(encoding="utf-8") == f"status={status}\n"


@pytest.mark.parametrize(
    ("facts", "links", "drift"),
    [("0", "0", False), ("1", "0", True), ("0", "1", True), ("2", "0", True), ("0", "2", True), ("1", "1", True)],
)
def test_the_issue_step_and_the_failure_run_only_when_a_check_did_not_pass(facts: str, links: str, drift: bool) -> None:
    context = checked(facts, links)
    assert bool(evaluate(facts_step("Open or update")["if"], context)) is drift
    assert bool(evaluate(facts_step("Fail the run")["if"], context)) is drift
    assert bool(evaluate(facts_step("Say all clear")["if"], context)) is not drift
    runs = [s.get("name", "") for s in steps(load(FACTS))]
    assert runs.index(facts_step("Open or update")["name"]) < runs.index(facts_step("Fail the run")["name"])


def write_reports(tmp_path: Path) -> None:
    reports = tmp_path / "test-output" / "facts"
    reports.mkdir(parents=True)
    (reports / "check-facts.txt").write_text("flask  version  3.1.3  3.2.0\n", encoding="utf-8")
    (reports / "check-links.txt").write_text("check-links: 54 URLs in 73 places: 54 ok\n", encoding="utf-8")


def test_a_first_drift_opens_one_labelled_issue_with_both_reports(tmp_path: Path) -> None:
    write_reports(tmp_path)
    result = run_facts_step("Open or update", tmp_path, FACTS_STATUS="1", LINKS_STATUS="0", FAKE_GH_OPEN="")
    assert result.returncode == 0, result.stderr
    calls = gh_calls(tmp_path)
    assert [call[:2] for call in calls] == [["label", "create"], ["issue", "list"], ["issue", "create"]]
    listed, created = calls[1], calls[2]
    for call in (listed, created):
        assert call[call.index("--repo") + 1] == "someone/fork"
        assert call[call.index("--label") + 1] == "facts-drift"
    assert listed[listed.index("--state") + 1] == "open"
    body = Path(created[created.index("--body-file") + 1]).read_text(encoding="utf-8")
    assert "[run 4242](https://github.com/someone/fork/actions/runs/4242)" in body
    assert "## make check-facts: found drift (exit status 1)\n\n~~~~text\nflask  version  3.1.3  3.2.0\n" in body
    assert "## make check-links: passed\n\n~~~~text\ncheck-links: 54 URLs in 73 places: 54 ok\n" in body


def test_a_later_drift_updates_the_open_issue_and_comments_and_closes_nothing(tmp_path: Path) -> None:
    write_reports(tmp_path)
    result = run_facts_step("Open or update", tmp_path, FACTS_STATUS="0", LINKS_STATUS="2", FAKE_GH_OPEN="17")
    assert result.returncode == 0, result.stderr
    calls = gh_calls(tmp_path)
    assert [call[:3] for call in calls[1:]] == [
        ["issue", "list", "--repo"],
        ["issue", "edit", "17"],
        ["issue", "comment", "17"],
    ]
    body = Path(calls[2][calls[2].index("--body-file") + 1]).read_text(encoding="utf-8")
    assert "## make check-links: could not check: nothing could be reached (exit status 2)" in body
    comment = calls[3][calls[3].index("--body") + 1]
    assert "make check-facts passed" in comment and "make check-links could not check" in comment
    assert not any("close" in call for call in calls)


@pytest.mark.parametrize("open_issue", ["17", ""])
def test_all_clear_comments_on_an_open_issue_and_leaves_it_open(tmp_path: Path, open_issue: str) -> None:
    result = run_facts_step("Say all clear", tmp_path, FACTS_STATUS="0", LINKS_STATUS="0", FAKE_GH_OPEN=open_issue)
    assert result.returncode == 0, result.stderr
    calls = gh_calls(tmp_path)
    assert calls[0][:2] == ["issue", "list"] and calls[0][calls[0].index("--label") + 1] == "facts-drift"
    if open_issue:
        assert [call[:3] for call in calls[1:]] == [["issue", "comment", "17"]]
        assert "all clear" in calls[1][calls[1].index("--body") + 1]
    else:
        assert len(calls) == 1  # no issue is opened to say that all is well


def test_the_failure_step_fails_the_run_and_says_which_check(tmp_path: Path) -> None:
    result = run_facts_step("Fail the run", tmp_path, FACTS_STATUS="0", LINKS_STATUS="1")
    assert result.returncode == 1
    assert "::error::make check-facts exited 0, make check-links exited 1" in result.stdout


# --- contribution templates -------------------------------------------------------

ISSUE_FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "outdated-fact.yml"
PR_TEMPLATE = ROOT / ".github" / "pull_request_template.md"


def test_outdated_fact_form_is_a_valid_issue_form_that_requires_a_source() -> None:
    form = yaml.safe_load(ISSUE_FORM.read_text(encoding="utf-8"))
    assert form["name"] == "Report an outdated or wrong fact"
    assert form["description"]
    fields = [item for item in form["body"] if item["type"] != "markdown"]
    kinds = {"markdown", "input", "textarea", "dropdown", "checkboxes"}
    assert all(item["type"] in kinds for item in form["body"])
    ids = [item["id"] for item in fields]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[a-z][a-z0-9_-]*", i) for i in ids)
    assert all(item["attributes"]["label"] for item in fields)
    required = {item["id"] for item in fields if item.get("validations", {}).get("required")}
    assert {"page", "shown", "correct", "source"} <= required


def test_pull_request_template_asks_for_the_source_of_each_changed_fact() -> None:
    text = PR_TEMPLATE.read_text(encoding="utf-8")
    assert "## Source of each changed fact" in text
    assert re.search(r"^\| Changed value \| Source \|$", text, re.MULTILINE)
    assert "last_verified" in text and "make test" in text
