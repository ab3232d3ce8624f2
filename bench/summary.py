"""From the raw record to data/benchmarks.yml, the terminal table, and --compare.

The published file keeps one sample per round of each result; the site computes
medians, ranges and ratios from them (the macros.benchmarks package), and so does this module
for the terminal, with the same functions.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from bench import ROOT, load, sampling
from macros import benchmarks

HEADER = """\
# yaml-language-server: $schema=benchmarks.schema.json
#
# Written by `python -m bench` (`make bench`); do not edit by hand, rerun it.
# One sample per round in each list; the site computes medians, ranges and ratios.
# Every slice of this run, with wrk's full report, is in the `raw` file.
"""

ENDPOINT_KEYS = ("id", "label", "route", "request", "measures", "method", "timeouts_fail", "levels")
CONFIGURATION_KEYS = (
    *("id", "framework", "server", "worker_class", "workers", "threads", "worker_connections"),
    *("orm", "view", "default", "endpoints", "note", "not_measured", "argv", "env"),
)


def levels(raw: dict[str, Any], endpoint: dict[str, Any]) -> list[dict[str, Any]]:
    """An endpoint's levels; a run from before there were levels had one, at load_generator.connections."""
    default = {
        "connections": raw["load_generator"]["connections"],
        "timeout_seconds": raw["load_generator"]["timeout_seconds"],
    }
    found: list[dict[str, Any]] = endpoint.get("levels") or [default]
    return found


def configuration_endpoints(raw: dict[str, Any], configuration: dict[str, Any]) -> list[str]:
    """The endpoints a configuration ran: all of them in a run from before configurations said."""
    return list(configuration.get("endpoints") or [e["id"] for e in raw["endpoints"]])


def summarise(raw: dict[str, Any], raw_path: str) -> dict[str, Any]:
    """The published file's content: per-round samples of each result, failures without numbers."""
    rounds = raw["load_generator"]["rounds"]
    settings = raw.get("settings", {})
    threshold = settings.get("repeat_above_percent", 10.0)
    default_connections = raw["load_generator"]["connections"]
    kept = raw["slices"]
    repeated = raw.get("repeated", [])
    not_measured = raw.get("not_measured", {})

    def where_of(item: dict[str, Any]) -> tuple[str, str, int]:
        return item["configuration"], item["endpoint"], int(item.get("connections", default_connections))

    results, failures = [], []
    for configuration in raw["configurations"]:
        config = configuration["id"]
        if config in not_measured:
            continue
        for endpoint in raw["endpoints"]:
            if endpoint["id"] not in configuration_endpoints(raw, configuration):
                continue
            timeouts_fail = endpoint.get("timeouts_fail", True)
            for level in levels(raw, endpoint):
                connections = level["connections"]

                cell = (config, endpoint["id"], connections)
                slices = sorted((s for s in kept if where_of(s) == cell), key=lambda s: s["round"])
                # Errors in a slice that was measured again still count.
                seen = [s["wrk"] for s in slices] + [s["wrk"] for s in repeated if where_of(s) == cell]
                non_2xx = sum(r["non_2xx"] for r in seen)
                sockets = sum(load.socket_errors(r, timeouts=timeouts_fail) for r in seen)
                reasons = []
                if config in raw["start_failures"]:
                    reasons.append(f"the server did not start: {raw['start_failures'][config].splitlines()[0]}")
                lost = next((s for s in slices if s["lost"]), None)
                if lost:
                    reasons.append(f"the server was lost in round {lost['round']}: {lost['lost']}")
                if non_2xx or sockets:
                    reasons.append(f"wrk saw {non_2xx} non-2xx responses and {sockets} socket errors")
                if any(s["wrk"]["requests"] == 0 for s in slices):
                    reasons.append("a round got no response at all")
                if not reasons and len(slices) != rounds:
                    reasons.append(f"only {len(slices)} of {rounds} rounds ran")
                if not reasons and any(s["server_cpu_seconds"] <= 0 for s in slices):
                    reasons.append("no server CPU time was recorded in a round")
                where = {"configuration": config, "endpoint": endpoint["id"]}
                if "levels" in endpoint:
                    where["connections"] = connections
                if reasons:
                    failure: dict[str, Any] = {
                        **where,
                        "reason": "; ".join(reasons),
                        "rounds_completed": len([s for s in slices if not s["lost"]]),
                        "non_2xx": non_2xx,
                        "socket_errors": sockets,
                    }
                    by_status: dict[str, int] = {}
                    for report in seen:
                        for code, count in load.statuses(report).items():
                            by_status[code] = by_status.get(code, 0) + count
                    if by_status:
                        failure["statuses"] = by_status
                    if not timeouts_fail:
                        failure["timeouts"] = sum(load.timeouts(r) for r in seen)
                    failures.append(failure)
                    continue
                results.append(result(slices, where, level, timeouts_fail))
    machine = dict(raw["machine"])
    machine["load_average"] = raw["load_average"]
    summary: dict[str, Any] = {
        "date": raw["date"],
        "started": raw["started"],
        "duration_seconds": raw["duration_seconds"],
        "command": raw["command"],
        "raw": raw_path,
        "machine": machine,
        "packages": raw["packages"],
        "load_generator": raw["load_generator"],
        "disturbance": disturbance(raw, threshold),
        "servers": raw["servers"],
    }
    if any(e.get("levels") and any("bound_requests_per_second" in lv for lv in e["levels"]) for e in raw["endpoints"]):
        summary["upstream"] = raw["upstream"]
    summary["configurations"] = [
        {k: c[k] for k in CONFIGURATION_KEYS if k in c}
        | ({"not_measured": not_measured[c["id"]]} if c["id"] in not_measured else {})
        for c in raw["configurations"]
    ]
    summary["endpoints"] = [{k: e[k] for k in ENDPOINT_KEYS if k in e} for e in raw["endpoints"]]
    summary["results"] = results
    summary["failures"] = failures
    return summary


def result(
    slices: Sequence[dict[str, Any]], where: dict[str, Any], level: dict[str, Any], timeouts_fail: bool
) -> dict[str, Any]:
    """One cell's per-round samples."""
    out: dict[str, Any] = {
        **where,
        "requests": [s["wrk"]["requests"] for s in slices],
        "requests_per_second": [round(load.rate(s["wrk"]), 1) for s in slices],
        "requests_per_cpu_second": [round(s["wrk"]["requests"] / s["server_cpu_seconds"], 1) for s in slices],
        "latency_p50_ms": [round(s["wrk"]["latency_us"]["p50"] / 1000, 2) for s in slices],
        "latency_p99_ms": [round(s["wrk"]["latency_us"]["p99"] / 1000, 2) for s in slices],
        "rss_mib": [round(s["rss_bytes"] / 2**20, 1) for s in slices],
    }
    if all("peak_rss_bytes" in s for s in slices):
        out["peak_rss_mib"] = [round(max(s["peak_rss_bytes"], s["rss_bytes"]) / 2**20, 1) for s in slices]
    if not timeouts_fail:
        out["timeouts"] = [load.timeouts(s["wrk"]) for s in slices]
    bound = level.get("bound_requests_per_second")
    if bound:
        out["share_of_bound"] = [round(load.rate(s["wrk"]) / bound, 4) for s in slices]
        out["upstream_cpu_seconds"] = [round(s.get("upstream_cpu_seconds", 0.0), 3) for s in slices]
    if any("disturbed" in s for s in slices):
        out["disturbed"] = sum(bool(s.get("disturbed")) for s in slices)
    out["non_2xx"] = 0
    out["socket_errors"] = 0
    return out


def disturbance(raw: dict[str, Any], threshold: float) -> dict[str, Any]:
    """How much other work, wrk and the upstream took of the machine during the kept slices."""
    settings = raw.get("settings", {})
    kept = raw["slices"]
    other = [sampling.other_percent(s) for s in kept]
    out: dict[str, Any] = {
        "other_cpu_percent": round(statistics.median(other), 1) if other else 0.0,
        "repeat_above_percent": threshold,
        "repeat_budget_seconds": settings.get("repeat_budget_seconds", 0.0),
        "slices_repeated": len(raw.get("repeated", [])),
        "slices_disturbed": sum(o > threshold for o in other),
    }
    if "load_generator_above_percent" in settings:
        wrk_share = settings["load_generator_above_percent"]
        upstream_share = settings["upstream_above_percent"]
        upstream = [sampling.share_percent(s, "upstream_cpu_seconds") for s in kept if s.get("upstream_cpu_seconds")]
        out |= {
            "load_generator_above_percent": wrk_share,
            "upstream_above_percent": upstream_share,
            "slices_load_generator_heavy": sum(sampling.share_percent(s, "wrk_cpu_seconds") > wrk_share for s in kept),
            "slices_upstream_heavy": sum(share > upstream_share for share in upstream),
            "upstream_cpu_percent": round(statistics.median(upstream), 1) if upstream else 0.0,
        }
    return out


class _Dumper(yaml.SafeDumper):
    """Lists of numbers on one line (`[812.3, 799.1, ...]`), everything else in block style, no anchors.

    An object used twice in the summary is written out twice: the site's loader refuses
    anchors and aliases (`&id001` / `*id001`), as it would in a file from a pull request.
    """

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.Node:
    flow = all(isinstance(item, int | float) and not isinstance(item, bool) for item in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def to_yaml(data: dict[str, Any]) -> str:
    """The published file's text, validated against data/benchmarks.schema.json."""
    text = HEADER + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)
    benchmarks.validate_text(text, benchmarks.load_schema(ROOT), "data/benchmarks.yml")
    return text


def relative(path: Path) -> str:
    """A path from the project root when it is inside it, else absolute."""
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def load_raw(path: Path) -> benchmarks.Benchmarks:
    """A raw run, summarised and validated as the site would read it."""
    raw = json.loads(path.read_text())
    return benchmarks.validate_text(to_yaml(summarise(raw, relative(path))), benchmarks.load_schema(ROOT))


# --- terminal output -------------------------------------------------------------------------


def table(bench: benchmarks.Benchmarks) -> str:
    """The results as a plain-text table per endpoint and level."""
    lines = []
    slice_seconds = bench.raw["load_generator"]["slice_seconds"]
    for endpoint in bench.endpoints:
        eid = endpoint["id"]
        for connections in bench.levels(eid):
            by_rps = benchmarks.ratios(bench, eid, connections=connections)
            by_cpu = benchmarks.ratios(bench, eid, "requests_per_cpu_second", connections=connections)
            bound = bench.bound(eid, connections)
            lines.append(
                f"\n{endpoint['route']}, {connections} connections ({bench.rounds} rounds x {slice_seconds} s)"
                + (f", bound {bound:,.0f} req/s" if bound else "")
            )
            lines.append(
                f"  {'configuration':<18} {'req/s median':>12} {'(min-max)':>15} {'x slowest':>9}"
                f" {'req/CPU-s':>10} {'x slowest':>9} {'p50 ms':>7} {'p99 ms':>8} {'peak MiB':>8}"
                + (f" {'bound':>6} {'timeouts':>8}" if bound else "")
            )
            for configuration in bench.configurations_on(eid):
                cid = configuration["id"]
                outcome = bench.result(cid, eid, connections)
                if outcome is None:
                    failure = bench.failure(cid, eid, connections)
                    why = configuration.get("not_measured") or (failure["reason"] if failure else "not measured")
                    lines.append(
                        f"  {cid:<18} {'NOT MEASURED' if 'not_measured' in configuration else 'FAILED'}: {why}"
                    )
                    continue
                rps = benchmarks.spread(outcome["requests_per_second"])
                cpu = benchmarks.spread(outcome["requests_per_cpu_second"])
                memory = max(outcome.get("peak_rss_mib") or outcome["rss_mib"])
                line = (
                    f"  {cid:<18} {rps.median:>12,.0f} {f'({rps.low:,.0f}-{rps.high:,.0f})':>15} {by_rps[cid]:>8.2f}x"
                    f" {cpu.median:>10,.0f} {by_cpu[cid]:>8.2f}x"
                    f" {statistics.median(outcome['latency_p50_ms']):>7.1f} {statistics.median(outcome['latency_p99_ms']):>8.1f}"
                    f" {memory:>8.0f}"
                )
                if bound:
                    line += (
                        f" {statistics.median(outcome['share_of_bound']):>6.0%} {sum(outcome.get('timeouts', [])):>8}"
                    )
                lines.append(line)
    machine, disturbed = bench.raw["machine"], bench.raw["disturbance"]
    lines.append(
        f"\nLoad average {machine['load_average']['start']} -> {machine['load_average']['end']};"
        f" other processes used {disturbed['other_cpu_percent']}% of the CPU during slices (median);"
        f" {disturbed['slices_repeated']} slice(s) measured again, {disturbed['slices_disturbed']} kept"
        f" above {disturbed['repeat_above_percent']:g}% other load."
    )
    if "upstream_cpu_percent" in disturbed:
        lines.append(
            f"The upstream used {disturbed['upstream_cpu_percent']}% of the CPU during I/O slices (median);"
            f" {disturbed['slices_upstream_heavy']} slice(s) above {disturbed['upstream_above_percent']:g}%,"
            f" {disturbed['slices_load_generator_heavy']} with wrk above {disturbed['load_generator_above_percent']:g}%."
        )
    return "\n".join(lines)


def compare(first: benchmarks.Benchmarks, second: benchmarks.Benchmarks, names: Sequence[str]) -> tuple[str, float]:
    """Each ratio of two runs side by side, with their relative difference; (the text, the largest difference).

    Both runs' ratios are taken to the same configuration, the slowest of the first run,
    so that a change of which one is slowest does not show up as a difference. Only the
    cells both runs measured are compared: a rerun of one workload compares with the
    same workload of a full run.
    """
    lines = [f"A: {names[0]}\nB: {names[1]}\n"]
    lines.append(
        f"{'endpoint':<9} {'conns':>5} {'metric':<24} {'configuration':<18} {'run A':>7} {'run B':>7} {'B/A-1':>7}"
    )
    spreads: dict[str, list[float]] = {}
    second_ids = {e["id"] for e in second.endpoints}
    for endpoint in first.endpoints:
        eid = endpoint["id"]
        if eid not in second_ids:
            continue
        for connections in first.levels(eid):
            if connections not in second.levels(eid):
                continue
            for metric in benchmarks.METRICS:
                reference = benchmarks.slowest(first, eid, metric, connections)
                if reference is None or second.result(reference, eid, connections) is None:
                    continue
                a = benchmarks.ratios(first, eid, metric, reference, connections)
                b = benchmarks.ratios(second, eid, metric, reference, connections)
                for cid in a:
                    if cid == reference or cid not in b:
                        continue
                    diff = b[cid] / a[cid] - 1
                    spreads.setdefault(metric, []).append(abs(diff))
                    lines.append(
                        f"{eid:<9} {connections:>5} {metric:<24} {cid:<18} {a[cid]:>6.2f}x {b[cid]:>6.2f}x {diff:>+7.1%}"
                    )
                lines.append(f"{'':<9} {'':>5} {'':<24} (ratios to {reference})")
    for metric, values in spreads.items():
        lines.append(
            f"{metric}: largest difference {max(values):.1%}, median {statistics.median(values):.1%},"
            f" {sum(v <= 0.10 for v in values)} of {len(values)} ratios within 10%"
        )
    largest = max((max(v) for v in spreads.values()), default=0.0)
    return "\n".join(lines), largest


def smoke_problems(bench: benchmarks.Benchmarks, raw: dict[str, Any]) -> list[str]:
    """What is wrong with a smoke run: a failure, a configuration not measured, a cell without requests, a process left."""
    problems = [
        f"{f['configuration']} {f['endpoint']} {f.get('connections', '')}".rstrip() + f": {f['reason']}"
        for f in bench.raw["failures"]
    ]
    problems += [f"{c['id']}: not measured: {c['not_measured']}" for c in bench.configurations if "not_measured" in c]
    for configuration in bench.configurations:
        for endpoint in bench.endpoints:
            for connections in bench.levels(endpoint["id"]):
                outcome = bench.result(configuration["id"], endpoint["id"], connections)
                if outcome is not None and min(outcome["requests"]) <= 0:
                    problems.append(f"{configuration['id']} {endpoint['id']} {connections}: no requests")
    problems += [
        f"session {group}: processes {pids} still running" for group, pids in raw.get("left_running", {}).items()
    ]
    return problems
