"""Statistics of a run: medians and ranges, the slowest configuration, and ratios paired by round."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from macros.benchmarks.model import METRICS, Benchmarks, Spread


def spread(values: Sequence[float]) -> Spread:
    """Median, minimum and maximum of some samples."""
    return Spread(statistics.median(values), min(values), max(values))


def slowest(
    bench: Benchmarks, endpoint_id: str, metric: str = "requests_per_second", connections: int | None = None
) -> str | None:
    """The configuration with the lowest median on an endpoint (at a level), among successful results."""
    medians = {
        c["id"]: statistics.median(result[metric])
        for c in bench.configurations
        if (result := bench.result(c["id"], endpoint_id, connections)) is not None
    }
    return min(medians, key=lambda k: medians[k]) if medians else None


def paired_ratio(values: Sequence[float], reference: Sequence[float]) -> float:
    """The median over rounds of value / reference, each pair measured in the same round.

    Pairing by round cancels most of what drifts during a run (other load on the
    machine, CPU frequency), which a ratio of two overall medians would keep.
    """
    return statistics.median(v / r for v, r in zip(values, reference, strict=True) if r > 0)


def ratios(
    bench: Benchmarks,
    endpoint_id: str,
    metric: str = "requests_per_second",
    reference: str | None = None,
    connections: int | None = None,
) -> dict[str, float]:
    """Each successful configuration's paired ratio to the reference (default: the slowest), at one level."""
    if metric not in METRICS:
        raise KeyError(f"Unknown metric {metric!r}; known: {', '.join(METRICS)}")
    reference = reference or slowest(bench, endpoint_id, metric, connections)
    base = bench.result(reference, endpoint_id, connections) if reference else None
    if base is None:
        return {}
    out = {}
    for configuration in bench.configurations:
        result = bench.result(configuration["id"], endpoint_id, connections)
        if result is not None:
            out[configuration["id"]] = paired_ratio(result[metric], base[metric])
    return out
