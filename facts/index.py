"""Read a package's latest final release from a package index's Simple API, with pypi-simple.

The project page comes in its JSON form (PEP 691), which carries each file's
upload time (PEP 700), `requires-python` and yanked flag; the release's
licence and classifiers come from its wheel's own METADATA (facts/wheel.py),
since the index does not always serve that file on its own (PEP 658).
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

import requests
from packaging.version import InvalidVersion, Version
from pypi_simple import ACCEPT_JSON_ONLY, PYPI_SIMPLE_ENDPOINT, DistributionPackage, NoSuchProjectError, PyPISimple
from pypi_simple.errors import UnsupportedRepoVersionError

from facts import wheel
from macros.releases import Release

# Seconds to connect, then to wait for each read: the index answers in well under one.
TIMEOUT = (10, 60)
# The largest wheel downloaded for its METADATA; the largest framework's here is 8.4 MB.
MAX_WHEEL_BYTES = 64 * 1024 * 1024
DEFAULT_ORIGIN = "pypi-simple's default address"
# pip's own names for its index setting, in the order pip lets one override another.
PIP_KEYS = (":env:.index-url", "install.index-url", "global.index-url")


T = TypeVar("T")


class IndexUnreachable(Exception):
    """The index could not be reached, or answered only with a server error."""


class IndexAnswerError(Exception):
    """The index answered, but not with something the release facts can be read from."""


@dataclass(frozen=True)
class Index:
    """A Simple API address and where it came from (an option, pip's configuration or the client's default)."""

    url: str
    origin: str

    @property
    def shown(self) -> str:
        """The address without any user name or password in it, for messages."""
        parts = urlsplit(self.url)
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host
        return urlunsplit(parts._replace(netloc=netloc))


def pip_config_list() -> str:
    """What `pip config list` prints, with the Python running this; '' when pip cannot say."""
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout if result.returncode == 0 else ""


def configured_index(environ: Mapping[str, str] = os.environ, pip_config: Callable[[], str] = pip_config_list) -> Index:
    """The index pip is configured with (PIP_INDEX_URL, then pip's index-url), else pypi-simple's default.

    Only index-url is honoured: pip's extra-index-url and find-links may name
    local folders (file:// addresses) that a Simple API client cannot read.
    """
    if environ.get("PIP_INDEX_URL"):
        return Index(environ["PIP_INDEX_URL"], "PIP_INDEX_URL")
    settings = {}
    for line in pip_config().splitlines():
        key, sep, value = line.partition("=")
        if sep:
            try:
                settings[key.strip()] = str(ast.literal_eval(value.strip()))
            except (ValueError, SyntaxError):
                settings[key.strip()] = value.strip().strip("'\"")
    for key in PIP_KEYS:
        if settings.get(key):
            return Index(settings[key], f"pip's {key.lstrip(':')}")
    return Index(PYPI_SIMPLE_ENDPOINT, DEFAULT_ORIGIN)


def client(index: Index) -> PyPISimple:
    """A client of the index's JSON Simple API; pip's `cert` setting, when set, verifies its TLS certificate."""
    if urlsplit(index.url).scheme not in {"http", "https"}:
        raise IndexAnswerError(f"the package index {index.shown} ({index.origin}) is not an http(s) address")
    session = requests.Session()
    cert = os.environ.get("PIP_CERT")
    if cert:
        session.verify = cert
    return PyPISimple(endpoint=index.url, session=session, accept=ACCEPT_JSON_ONLY)


def _reason(error: BaseException) -> str:
    """A short, one-line reason for a failed request."""
    if isinstance(error, requests.Timeout):
        return f"no answer within {TIMEOUT[1]} s"
    text = " ".join(str(error).split())
    match = re.search(r"\[Errno -?\d+\][^'\")]*", text)
    reason = match.group(0).strip() if match else text or type(error).__name__
    return reason if len(reason) <= 160 else reason[:160] + "..."


def _version(package: DistributionPackage) -> Version | None:
    """The file's version, or None when its name gives none PEP 440 can read."""
    try:
        return Version(package.version) if package.version else None
    except InvalidVersion:
        return None


def _preferred_wheel(files: list[DistributionPackage]) -> DistributionPackage | None:
    """The release's pure-Python wheel if it has one, else its first wheel, else None."""
    wheels = [f for f in files if f.package_type == "wheel"]
    pure = [f for f in wheels if f.filename.endswith("-none-any.whl")]
    return (pure or wheels)[0] if wheels else None


def _get(index: Index, action: str, call: Callable[[], T]) -> T:
    """Run one request, turning its failures into IndexUnreachable or IndexAnswerError with a one-line message."""
    where = f"the package index {index.shown} ({index.origin})"
    try:
        return call()
    except NoSuchProjectError:
        raise IndexAnswerError(f"{where} has no project {action}") from None
    except requests.HTTPError as error:
        status = error.response.status_code if error.response is not None else 0
        problem = IndexUnreachable if status >= 500 else IndexAnswerError
        raise problem(f"{where} answered HTTP {status} when asked for {action}") from None
    except (requests.ConnectionError, requests.Timeout) as error:
        raise IndexUnreachable(f"cannot reach {where}: {_reason(error)}") from None
    except requests.RequestException as error:
        raise IndexUnreachable(f"cannot read {action} from {where}: {_reason(error)}") from None
    except (ValueError, TypeError, KeyError, UnsupportedRepoVersionError) as error:
        # pypi-simple's parsing errors (pydantic's, json's, a bad Content-Type) are ValueErrors.
        raise IndexAnswerError(f"{where} gave a malformed answer for {action}: {_reason(error)}") from None


def latest_release(index: Index, simple: PyPISimple, package: str) -> Release:
    """The latest final release of a package: no pre-release, no dev release, no yanked file."""
    page = _get(index, repr(package), lambda: simple.get_project_page(package, timeout=TIMEOUT))
    if page.versions is None:
        # pypi-simple falls back to the HTML form when that is what the index sends.
        raise IndexAnswerError(
            f"the package index {index.shown} ({index.origin}) answered for {package!r} with the HTML form; "
            "the release facts need the JSON form (PEP 691) with upload times (PEP 700)"
        )
    releases: dict[Version, list[DistributionPackage]] = {}
    for file in page.packages:
        version = _version(file)
        if version is not None and not version.is_prerelease and not file.is_yanked:
            releases.setdefault(version, []).append(file)
    if not releases:
        raise IndexAnswerError(f"the package index lists no final, unyanked release of {package!r}")
    latest = max(releases)
    files = releases[latest]
    # PEP 700 times are UTC; one given without a zone is read as UTC too.
    uploads = [_as_utc(f.upload_time) for f in files if f.upload_time is not None]
    if not uploads:
        raise IndexAnswerError(
            f"the package index gives no upload time (PEP 700) for the files of {package} {latest}; "
            "it needs to serve Simple API 1.1 or newer"
        )
    built = _preferred_wheel(files)
    metadata = wheel.WheelMetadata(None, (), None, ())
    if built is not None:
        metadata = _wheel_metadata(index, simple, built)
    # The index's requires-python, the wheel's first; the wheel's METADATA when the index gives none.
    candidates = [built, *files] if built else files
    requires_python = next((f.requires_python for f in candidates if f.requires_python), metadata.requires_python)
    return Release(
        package=package,
        version=str(latest),
        uploaded=min(uploads).date().isoformat(),
        requires_python=requires_python,
        python_classifiers=metadata.python_classifiers,
        licence_expression=metadata.licence_expression,
        licence_classifiers=metadata.licence_classifiers,
    )


def _as_utc(moment: datetime) -> datetime:
    """A time in UTC; a time without a zone is taken to be UTC already."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _wheel_metadata(index: Index, simple: PyPISimple, built: DistributionPackage) -> wheel.WheelMetadata:
    """Download a wheel (its digest checked) into a temporary folder and read its METADATA."""
    if built.size is not None and built.size > MAX_WHEEL_BYTES:
        raise IndexAnswerError(f"{built.filename} is {built.size:,} bytes, over the {MAX_WHEEL_BYTES:,} read for it")
    with tempfile.TemporaryDirectory(prefix="facts-") as folder:
        path = Path(folder) / "release.whl"
        _get(index, built.filename, lambda: simple.download_package(built, path, timeout=TIMEOUT))
        try:
            return wheel.read(path, built.filename)
        except wheel.WheelError as error:
            raise IndexAnswerError(str(error)) from None
