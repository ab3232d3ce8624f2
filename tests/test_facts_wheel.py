"""facts/wheel.py: the facts a wheel's METADATA states, and wheels it refuses."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from facts import wheel
from tests.index_recordings import FIXTURES, build_wheel


def recorded(name: str) -> bytes:
    """The recorded METADATA of a real wheel."""
    return (FIXTURES / "metadata" / f"{name}.metadata").read_bytes()


def test_a_recorded_wheel_gives_its_python_and_licence(tmp_path: Path) -> None:
    path = tmp_path / "fastapi.whl"
    path.write_bytes(build_wheel("fastapi-0.165.0-py3-none-any.whl", recorded("fastapi-0.165.0-py3-none-any.whl")))
    assert wheel.read(path, path.name) == wheel.WheelMetadata(
        requires_python=">=3.11",
        python_classifiers=("3.11", "3.12", "3.13", "3.14", "3.15"),
        licence_expression="MIT",
        licence_classifiers=(),
    )


def test_older_metadata_states_its_licence_by_classifier_only() -> None:
    facts = wheel.parse(recorded("flask-3.0.3-py3-none-any.whl"))
    assert facts.licence_expression is None
    assert facts.licence_classifiers == ("License :: OSI Approved :: BSD License",)
    assert facts.python_classifiers == ()


def test_python_versions_are_sorted_as_versions_and_major_only_ones_skipped() -> None:
    text = "\n".join(
        f"Classifier: Programming Language :: Python :: {v}" for v in ["3", "3 :: Only", "3.10", "3.9", "3.10"]
    )
    assert wheel.parse(f"Metadata-Version: 2.4\nName: x\nVersion: 1\n{text}\n".encode()).python_classifiers == (
        "3.9",
        "3.10",
    )


def test_metadata_that_states_nothing_gives_nothing() -> None:
    assert wheel.parse(b"Metadata-Version: 2.1\nName: x\nVersion: 1\n") == wheel.WheelMetadata(None, (), None, ())


def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.whl"
    path.write_bytes(b"<html>not a wheel</html>")
    with pytest.raises(wheel.WheelError, match="broken.whl is not a readable zip file"):
        wheel.read(path, "broken.whl")


@pytest.mark.parametrize(
    "members", [[], ["a-1.dist-info/METADATA", "b-1.dist-info/METADATA"], ["x/a-1.dist-info/METADATA"]]
)
def test_a_wheel_needs_exactly_one_top_level_metadata(tmp_path: Path, members: list[str]) -> None:
    path = tmp_path / "odd.whl"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a/__init__.py", "")
        for name in members:
            archive.writestr(name, "Metadata-Version: 2.1\n")
    with pytest.raises(wheel.WheelError, match=r"odd.whl has \d \*.dist-info/METADATA files"):
        wheel.read(path, "odd.whl")


def test_an_oversized_metadata_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wheel, "MAX_METADATA_BYTES", 10)
    path = tmp_path / "big.whl"
    path.write_bytes(build_wheel("big-1-py3-none-any.whl", b"Metadata-Version: 2.1\nName: big\n"))
    with pytest.raises(wheel.WheelError, match="more than a METADATA file"):
        wheel.read(path, "big.whl")
