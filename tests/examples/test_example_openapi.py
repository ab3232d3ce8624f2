"""The published OpenAPI schemas are truthful: schemathesis finds no request they mislead."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import ModuleType

import fake_upstream
import pytest
from example_api import OPENAPI_SCHEMAS
from servers import serve_app, stop

SEED = 1  # fixed, so that a failure reproduces
MAX_EXAMPLES = 50  # per operation and phase: bounded, about 20 s per app


@pytest.mark.timeout(240)
@pytest.mark.parametrize("app", OPENAPI_SCHEMAS)
def test_schemathesis_finds_no_failure(
    run_module: ModuleType, tmp_path: Path, app: str, upstream: fake_upstream.FakeUpstream
) -> None:
    server = serve_app(run_module, app, tmp_path / "users.sqlite3", workers=2, env={"UPSTREAM_URL": upstream.url})
    try:
        result = subprocess.run(
            [
                *(sys.executable, "-m", "schemathesis.cli", "run"),
                f"http://127.0.0.1:{server.port}{OPENAPI_SCHEMAS[app]}",
                *("--checks", "all", "--seed", str(SEED), "--max-examples", str(MAX_EXAMPLES)),
                *("--request-timeout", "10", "--no-color"),
            ],
            cwd=tmp_path,  # its example database and reports stay in the test's directory
            capture_output=True,
            text=True,
            timeout=200,
        )
    finally:
        stop(server)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "No issues found" in result.stdout
