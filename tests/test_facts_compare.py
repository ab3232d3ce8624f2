"""facts/compare.py: rows, statuses, the table and its summary."""

from __future__ import annotations

import dataclasses

from facts import compare
from facts.pins import Pin
from macros.releases import Release

FLASK = Release("Flask", "3.1.3", "2026-02-19", ">=3.9", (), "BSD-3-Clause", ())


def statuses(rows: list[compare.Row]) -> dict[str, str]:
    return {row.field: row.status for row in rows}


def test_the_same_release_agrees_and_what_neither_states_is_not_stated() -> None:
    rows = compare.release_rows("Flask", FLASK, FLASK)
    assert statuses(rows) == {
        "version": "agrees",
        "uploaded (UTC)": "agrees",
        "Requires-Python": "agrees",
        "Python classifiers": "not stated",
        "License-Expression": "agrees",
        "licence classifiers": "not stated",
    }
    assert not compare.drifted(rows)


def test_each_changed_fact_is_drift() -> None:
    newer = dataclasses.replace(FLASK, version="3.2.0", python_classifiers=("3.10", "3.11"), licence_expression=None)
    rows = compare.release_rows("Flask", FLASK, newer)
    assert statuses(rows)["version"] == "DRIFT"
    row = next(r for r in rows if r.field == "Python classifiers")
    assert (row.data, row.index, row.status) == ("not stated", "3.10, 3.11", "DRIFT")
    row = next(r for r in rows if r.field == "License-Expression")
    assert (row.data, row.index, row.status) == ("BSD-3-Clause", "not stated", "DRIFT")
    assert compare.drifted(rows)


def test_no_entry_is_drift_on_every_field() -> None:
    rows = compare.release_rows("Flask", None, FLASK)
    assert {r.status for r in rows} == {"DRIFT"} and {r.data for r in rows} == {"(no entry)"}


def test_a_lagging_pin_is_flagged_but_not_drift() -> None:
    rows = compare.pin_rows(
        "Django",
        [
            Pin("examples/requirements.in", "Django", "5.2.19"),
            Pin("examples/requirements-newest.in", "Django", "6.1.3"),
        ],
        "6.1.3",
    )
    assert [(r.field, r.status) for r in rows] == [
        ("pin in examples/requirements.in", "lags"),
        ("pin in examples/requirements-newest.in", "agrees"),
    ]
    assert not compare.drifted(rows)
    assert (
        "Example pins that lag the latest release (not drift): Django 5.2.19 < 6.1.3 (examples/requirements.in)."
        in (compare.summary(rows))
    )


def test_the_table_aligns_its_columns() -> None:
    text = compare.table(compare.release_rows("Flask", FLASK, FLASK)[:2])
    assert text.splitlines() == [
        "framework  field           data        index       status",
        "---------  --------------  ----------  ----------  ------",
        "Flask      version         3.1.3       3.1.3       agrees",
        "Flask      uploaded (UTC)  2026-02-19  2026-02-19  agrees",
    ]


def test_the_summary_says_what_to_run_on_drift() -> None:
    rows = compare.release_rows("Flask", FLASK, dataclasses.replace(FLASK, version="3.2.0"))
    assert compare.summary(rows).startswith(
        "1 fact in data/releases.yml differs from the package index: run `make refresh-facts`."
    )
