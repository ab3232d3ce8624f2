"""A validated benchmark run: the file's data, where each key sits, and lookups by configuration, endpoint and level."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA_FILE = Path("data/benchmarks.yml")


SCHEMA_FILE = Path("data/benchmarks.schema.json")


# The metrics a ratio can be taken of: key in a result -> words for the page.
METRICS = {
    "requests_per_second": "requests per second",
    "requests_per_cpu_second": "requests per server CPU-second",
}


@dataclass(frozen=True)
class Spread:
    """The median and the range of one result's per-round samples."""

    median: float
    low: float
    high: float


@dataclass(frozen=True)
class Benchmarks:
    """A validated benchmark run, plus where each key path sits in the file."""

    raw: dict[str, Any]
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict)

    @property
    def configurations(self) -> list[dict[str, Any]]:
        """Configurations in run order."""
        return list(self.raw["configurations"])

    @property
    def endpoints(self) -> list[dict[str, Any]]:
        """Endpoints in run order."""
        return list(self.raw["endpoints"])

    @property
    def rounds(self) -> int:
        """Rounds per result."""
        return int(self.raw["load_generator"]["rounds"])

    def configuration(self, configuration_id: str) -> dict[str, Any]:
        """The configuration with this id, or a precise error."""
        for item in self.raw["configurations"]:
            if item["id"] == configuration_id:
                found: dict[str, Any] = item
                return found
        known = ", ".join(c["id"] for c in self.raw["configurations"])
        raise KeyError(f"Unknown configuration {configuration_id!r}; known: {known}")

    def endpoint(self, endpoint_id: str) -> dict[str, Any]:
        """The endpoint with this id, or a precise error."""
        for item in self.raw["endpoints"]:
            if item["id"] == endpoint_id:
                found: dict[str, Any] = item
                return found
        known = ", ".join(e["id"] for e in self.raw["endpoints"])
        raise KeyError(f"Unknown endpoint {endpoint_id!r}; known: {known}")

    def levels(self, endpoint_id: str) -> list[int]:
        """The numbers of connections an endpoint was measured at; one, load_generator.connections, in older runs."""
        endpoint = self.endpoint(endpoint_id)
        if "levels" in endpoint:
            return [int(level["connections"]) for level in endpoint["levels"]]
        return [int(self.raw["load_generator"]["connections"])]

    def bound(self, endpoint_id: str, connections: int) -> float | None:
        """An I/O level's physical limit (connections ÷ the upstream's delay), in requests per second, if it has one."""
        for level in self.endpoint(endpoint_id).get("levels", []):
            if level["connections"] == connections and "bound_requests_per_second" in level:
                return float(level["bound_requests_per_second"])
        return None

    def runs(self, configuration: Mapping[str, Any], endpoint_id: str) -> bool:
        """Whether a configuration was meant to run an endpoint (a configuration that lists none ran every one)."""
        return endpoint_id in configuration.get("endpoints", [e["id"] for e in self.raw["endpoints"]])

    def configurations_on(self, endpoint_id: str) -> list[dict[str, Any]]:
        """The configurations that run an endpoint, in run order, those not measured included."""
        return [c for c in self.configurations if self.runs(c, endpoint_id)]

    def result(self, configuration_id: str, endpoint_id: str, connections: int | None = None) -> dict[str, Any] | None:
        """The successful result of a configuration on an endpoint (at its first level by default), if there is one."""
        return self._outcome("results", configuration_id, endpoint_id, connections)

    def failure(self, configuration_id: str, endpoint_id: str, connections: int | None = None) -> dict[str, Any] | None:
        """The failure of a configuration on an endpoint (at its first level by default), if it failed."""
        return self._outcome("failures", configuration_id, endpoint_id, connections)

    def _outcome(
        self, section: str, configuration_id: str, endpoint_id: str, connections: int | None
    ) -> dict[str, Any] | None:
        level = connections if connections is not None else self.levels(endpoint_id)[0]
        default = self.raw["load_generator"]["connections"]
        for item in self.raw[section]:
            if (
                item["configuration"] == configuration_id
                and item["endpoint"] == endpoint_id
                and item.get("connections", default) == level
            ):
                found: dict[str, Any] = item
                return found
        return None
