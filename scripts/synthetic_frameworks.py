"""Grow (or trim) a copy of the project's data to N frameworks, for tests and the build benchmark.

    python scripts/synthetic_frameworks.py PROJECT_COPY N

Each added framework, `synthetic-<k>` named "Synthetic <k>", copies an existing entry in
turn: its facts, its cells in every aspect, its support for every need and its release
facts. It keeps the copied entry's package and example snippets, so the locks and the
snippet checks still hold, and it is never `featured`. Nothing is measured for it, so
its benchmark figures read "not measured". With fewer than the data holds, it keeps the
first N and drops the `built_on` of any whose base is gone. Only ever run it on a copy: it rewrites
data/frameworks.yml and data/releases.yml in place, without their comments.
"""

from __future__ import annotations

import argparse
import copy
from pathlib import Path
from typing import Any

import yaml

PREFIX = "synthetic"


def grow(frameworks_data: dict[str, Any], releases_data: dict[str, Any], count: int) -> list[str]:
    """Add frameworks until there are `count`; return the ids added."""
    originals = list(frameworks_data["frameworks"])
    if count < len(originals):
        raise ValueError(f"the data already has {len(originals)} frameworks, more than {count}")
    added: list[str] = []
    for k in range(len(originals) + 1, count + 1):
        source = originals[(k - 1) % len(originals)]
        new_id, name = f"{PREFIX}-{k}", f"Synthetic {k}"
        entry = copy.deepcopy(source)
        entry.update(id=new_id, name=name, search_terms=[f"synthetic{k}"])
        entry.pop("featured", None)
        frameworks_data["frameworks"].append(entry)
        for aspect in frameworks_data["aspects"]:
            aspect["values"][new_id] = copy.deepcopy(aspect["values"][source["id"]])
        for need in frameworks_data["needs"]:
            need["support"][new_id] = copy.deepcopy(need["support"][source["id"]])
        releases_data["releases"][new_id] = copy.deepcopy(releases_data["releases"][source["id"]])
        added.append(new_id)
    return added


def trim(frameworks_data: dict[str, Any], releases_data: dict[str, Any], count: int) -> list[str]:
    """Keep the first `count` frameworks, with their cells, support and release facts; return the ids removed."""
    kept = frameworks_data["frameworks"][:count]
    removed = [fw["id"] for fw in frameworks_data["frameworks"][count:]]
    kept_ids = {fw["id"] for fw in kept}
    for fw in kept:
        if fw.get("built_on", {}).get("framework") not in kept_ids:
            fw.pop("built_on", None)
    frameworks_data["frameworks"] = kept
    for aspect in frameworks_data["aspects"]:
        aspect["values"] = {k: v for k, v in aspect["values"].items() if k in kept_ids}
    for need in frameworks_data["needs"]:
        need["support"] = {k: v for k, v in need["support"].items() if k in kept_ids}
    releases_data["releases"] = {k: v for k, v in releases_data["releases"].items() if k in kept_ids}
    return removed


def resize(frameworks_data: dict[str, Any], releases_data: dict[str, Any], count: int) -> list[str]:
    """Grow or trim the data to `count` frameworks; return the ids added or removed."""
    if count < len(frameworks_data["frameworks"]):
        return trim(frameworks_data, releases_data, count)
    return grow(frameworks_data, releases_data, count)


def grow_project(project: Path, count: int) -> list[str]:
    """Rewrite the data files of a project copy with `count` frameworks; return the ids added or removed."""
    frameworks_path, releases_path = project / "data/frameworks.yml", project / "data/releases.yml"
    frameworks_data = yaml.safe_load(frameworks_path.read_text(encoding="utf-8"))
    releases_data = yaml.safe_load(releases_path.read_text(encoding="utf-8"))
    changed = resize(frameworks_data, releases_data, count)
    for path, data in ((frameworks_path, frameworks_data), (releases_path, releases_data)):
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return changed


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("project", type=Path, help="a copy of the project (never the checkout itself)")
    parser.add_argument("count", type=int, help="how many frameworks the data should hold")
    args = parser.parse_args()
    changed = grow_project(args.project, args.count)
    print(f"the data now holds {args.count} frameworks; added or removed: {', '.join(changed) or 'none'}")


if __name__ == "__main__":
    main()
