"""`python -m facts check` (`make check-facts`) and `python -m facts refresh` (`make refresh-facts`).

check: reads each framework's latest release from the package index and prints
a table of framework, field, data (data/releases.yml), index and status.
Exit status 0: the file agrees with the index; 1: it differs, or is missing
or invalid; 2: the index cannot be reached or its answer cannot be read
(one line on stderr). An example pin that lags the latest release is flagged
in the table, and is not drift.
refresh: the same table, then data/releases.yml written from the index.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from facts import compare, pins, writer
from facts.index import Index, IndexAnswerError, IndexUnreachable, client, configured_index, latest_release
from macros import data, releases
from macros.catalog import Catalog
from macros.problems import DataError
from macros.releases import COMMAND, DATA_FILE, Release

ROOT = Path(__file__).resolve().parent.parent


def read_index(index: Index, catalog: Catalog) -> dict[str, Release]:
    """Each framework's latest release, by framework id, in the catalog's order."""
    with client(index) as simple:
        return {fw["id"]: latest_release(index, simple, fw["package"]) for fw in catalog.frameworks}


def rows_for(
    catalog: Catalog, recorded: releases.Releases | None, current: dict[str, Release], root: Path
) -> list[compare.Row]:
    """The table: each framework's release facts, then its example pins."""
    example_pins = pins.read(root)
    rows: list[compare.Row] = []
    for fw in catalog.frameworks:
        latest = current[fw["id"]]
        rows += compare.release_rows(fw["name"], recorded.entries.get(fw["id"]) if recorded else None, latest)
        rows += compare.pin_rows(fw["name"], pins.of(example_pins, fw["package"]), latest.version)
    return rows


def main(argv: list[str] | None = None) -> int:
    """Run one command; return its exit status."""
    parser = argparse.ArgumentParser(prog="python -m facts", description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("command", choices=("check", "refresh"))
    parser.add_argument(
        "--index-url",
        help="the Simple API to read (default: PIP_INDEX_URL, else pip's index-url, else pypi-simple's default)",
    )
    parser.add_argument("--root", type=Path, default=ROOT, help="the project folder (default: this checkout)")
    args = parser.parse_args(argv)
    name = f"make {args.command}-facts"
    root: Path = args.root

    try:
        catalog = data.load(root)
    except DataError as error:
        print(error, file=sys.stderr)
        return 1
    index = Index(args.index_url, "--index-url") if args.index_url else configured_index()
    print(
        f"{name}: reading {len(catalog.frameworks)} packages from the package index ({index.origin})", file=sys.stderr
    )
    try:
        current = read_index(index, catalog)
    except (IndexUnreachable, IndexAnswerError) as error:
        print(f"{name}: {error}", file=sys.stderr)
        return 2

    recorded: releases.Releases | None = None
    problem = ""
    try:
        recorded = releases.load(root, catalog)
    except DataError as error:
        problem = str(error)
    rows = rows_for(catalog, recorded, current, root)
    print(compare.table(rows))
    print()

    if args.command == "refresh":
        try:
            text = writer.to_yaml(current, catalog, root)
        except DataError as error:
            print(f"{name}: the index's facts do not make a valid {DATA_FILE}:\n{error}", file=sys.stderr)
            return 2
        path = root / DATA_FILE
        if path.exists() and path.read_text(encoding="utf-8") == text:
            print(f"{DATA_FILE} is already up to date.")
        else:
            writer.write(root, text)
            print(f"Wrote {DATA_FILE}.")
        return 0

    if problem:
        print(f"{problem}\n{name}: run `{COMMAND}` to write {DATA_FILE} from the index", file=sys.stderr)
        return 1
    print(compare.summary(rows))
    return 1 if compare.drifted(rows) else 0


if __name__ == "__main__":
    sys.exit(main())
