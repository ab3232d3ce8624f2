"""facts/pins.py: the examples' exact pins, from every examples/requirements*.in."""

from __future__ import annotations

from pathlib import Path

from facts import pins


def test_reads_exact_pins_and_skips_the_rest(tmp_path: Path) -> None:
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "requirements.in").write_text(
        "# a comment\n-c ../requirements.txt\nDjango==5.2.19  # LTS\nFlask>=3\nfastapi==0.165.0; python_version >= '3.11'\n"
    )
    (tmp_path / "examples" / "requirements-newest.in").write_text("django==6.1.3\n")
    found = pins.read(tmp_path)
    assert found == [
        pins.Pin("examples/requirements-newest.in", "django", "6.1.3"),
        pins.Pin("examples/requirements.in", "Django", "5.2.19"),
        pins.Pin("examples/requirements.in", "fastapi", "0.165.0"),
    ]
    assert [p.version for p in pins.of(found, "DJANGO")] == ["6.1.3", "5.2.19"]
    assert pins.of(found, "Flask") == []
