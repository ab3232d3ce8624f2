"""facts/index.py: the latest final release read from recorded index answers, and which index is read.

The answers come from tests/index_recordings.py, a server on 127.0.0.1: no test
here reaches the network.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pypi_simple import PYPI_SIMPLE_ENDPOINT

from facts.index import (
    DEFAULT_ORIGIN,
    Index,
    IndexAnswerError,
    IndexUnreachable,
    client,
    configured_index,
    latest_release,
)
from macros.releases import Release
from tests.index_recordings import RecordedIndex, closed_port, serve


@pytest.fixture(scope="module")
def recorded() -> Iterator[RecordedIndex]:
    """The recorded answers, served for the module's tests."""
    with serve() as index:
        yield index


def read(recorded: RecordedIndex, name: str, package: str) -> Release:
    """The latest release of a package, from one recording set."""
    index = Index(recorded.endpoint(name), "a recording")
    with client(index) as simple:
        return latest_release(index, simple, package)


def test_reads_the_latest_release_with_its_upload_day_python_and_licence(recorded: RecordedIndex) -> None:
    release = read(recorded, "current", "Django")
    assert release == Release(
        package="Django",
        version="6.1.3",
        uploaded="2026-11-03",
        requires_python=">=3.12",
        python_classifiers=("3.12", "3.13", "3.14", "3.15"),
        licence_expression="BSD-3-Clause",
        licence_classifiers=(),
    )


def test_a_release_without_version_classifiers_has_none(recorded: RecordedIndex) -> None:
    release = read(recorded, "current", "Flask")
    assert (release.version, release.requires_python, release.python_classifiers) == ("3.1.3", ">=3.9", ())


def test_a_new_release_is_the_latest(recorded: RecordedIndex) -> None:
    release = read(recorded, "new-release", "Flask")
    assert (release.version, release.uploaded, release.requires_python) == ("3.2.0", "2026-12-01", ">=3.10")


def test_a_yanked_latest_release_is_passed_over(recorded: RecordedIndex) -> None:
    assert read(recorded, "yanked", "Flask").version == "3.1.3"


def test_pre_releases_and_dev_releases_are_ignored(recorded: RecordedIndex) -> None:
    # The Django recording lists 6.1rc1 after 6.1.3, as the index does.
    assert read(recorded, "pre-release", "Flask").version == "3.1.3"
    assert read(recorded, "current", "Django").version == "6.1.3"


def test_without_a_licence_expression_the_classifier_is_kept(recorded: RecordedIndex) -> None:
    release = read(recorded, "no-licence", "Flask")
    assert release.version == "3.0.3"
    assert release.licence_expression is None
    assert release.licence_classifiers == ("License :: OSI Approved :: BSD License",)


def test_an_unreachable_index_says_so_in_one_line() -> None:
    index = Index(f"http://127.0.0.1:{closed_port()}/simple/", "a closed port")
    with pytest.raises(IndexUnreachable) as raised, client(index) as simple:
        latest_release(index, simple, "Flask")
    message = str(raised.value)
    assert message.startswith(f"cannot reach the package index {index.url} (a closed port)")
    assert "\n" not in message


def test_an_index_that_is_down_is_unreachable(recorded: RecordedIndex) -> None:
    with pytest.raises(IndexUnreachable, match="answered HTTP 503"):
        read(recorded, "down", "Flask")


@pytest.mark.parametrize(
    ("name", "package", "words"),
    [
        ("malformed", "Flask", "gave a malformed answer for 'Flask'"),
        ("html", "Flask", "answered for 'Flask' with the HTML form"),
        ("current", "no-such-package", "has no project 'no-such-package'"),
    ],
)
def test_an_answer_it_cannot_read_is_reported_in_one_line(
    recorded: RecordedIndex, name: str, package: str, words: str
) -> None:
    with pytest.raises(IndexAnswerError) as raised:
        read(recorded, name, package)
    assert words in str(raised.value)
    assert "\n" not in str(raised.value)


def test_a_local_folder_is_not_an_index_it_can_read() -> None:
    with pytest.raises(IndexAnswerError, match="is not an http"):
        client(Index("file:///opt/pypi/simple", "pip's global.index-url"))


# --- which index -------------------------------------------------------------------


PIP_CONFIG = """\
global.cert='/etc/ssl/certs/ca-certificates.crt'
global.extra-index-url='file:///opt/pypi/simple file:///opt/pypi-more/simple'
global.find-links='/opt/wheels'
"""


def test_pip_index_url_in_the_environment_comes_first() -> None:
    index = configured_index({"PIP_INDEX_URL": "https://mirror.example.org/simple/"}, lambda: PIP_CONFIG)
    assert index == Index("https://mirror.example.org/simple/", "PIP_INDEX_URL")


def test_pip_configured_index_url_comes_next() -> None:
    config = PIP_CONFIG + "global.index-url='https://mirror.example.org/simple/'\n"
    assert configured_index({}, lambda: config) == Index("https://mirror.example.org/simple/", "pip's global.index-url")


def test_extra_index_urls_are_not_used_and_the_client_default_is() -> None:
    # This machine's pip names file:// folders as extra indexes, and no index-url.
    assert configured_index({}, lambda: PIP_CONFIG) == Index(PYPI_SIMPLE_ENDPOINT, DEFAULT_ORIGIN)
    assert configured_index({}, lambda: "") == Index(PYPI_SIMPLE_ENDPOINT, DEFAULT_ORIGIN)


def test_messages_show_no_password() -> None:
    assert Index("https://user:secret@mirror.example.org:8443/simple/", "PIP_INDEX_URL").shown == (
        "https://mirror.example.org:8443/simple/"
    )
