"""HTML tables of a run: one endpoint's results at one level, the configurations, and the run's facts."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from typing import Any

from macros.benchmarks.labels import configuration_label, framework_name, level_words, number, ratio_text, server_label
from macros.benchmarks.model import METRICS, Benchmarks
from macros.benchmarks.stats import ratios, slowest, spread
from macros.catalog import Catalog
from macros.render import esc, scroll_region


def _not_measured_row(head: str, configuration: Mapping[str, Any], columns: int) -> str:
    return (
        f'<tr class="fw-failed">{head}<td colspan="{columns}"><strong>Not measured</strong>: '
        f"{esc(configuration['not_measured'])}.</td></tr>"
    )


def results_table(bench: Benchmarks, catalog: Catalog, endpoint_id: str, connections: int | None = None) -> str:
    """One endpoint's results at one level as an HTML table, with ratios to the slowest configuration.

    At an I/O level with a bound, two more columns: the median share of the bound
    (connections ÷ the upstream's delay) and wrk's timeouts, a result there, not an error.
    """
    endpoint = bench.endpoint(endpoint_id)
    level = connections if connections is not None else bench.levels(endpoint_id)[0]
    bound = bench.bound(endpoint_id, level)
    references = {metric: slowest(bench, endpoint_id, metric, level) for metric in METRICS}
    ratio_of = {metric: ratios(bench, endpoint_id, metric, connections=level) for metric in METRICS}
    columns = 8 if bound else 6
    rows = []
    for configuration in bench.configurations_on(endpoint_id):
        cid = configuration["id"]
        head = (
            f'<th scope="row"><span class="fw-label">{esc(framework_name(catalog, configuration))}</span>'
            f'<span class="fw-description">{esc(server_label(configuration, endpoint))}</span></th>'
        )
        if "not_measured" in configuration:
            rows.append(_not_measured_row(head, configuration, columns))
            continue
        result = bench.result(cid, endpoint_id, level)
        if result is None:
            failure = bench.failure(cid, endpoint_id, level) or {
                "reason": "not measured",
                "non_2xx": 0,
                "socket_errors": 0,
            }
            statuses = ", ".join(f"{code}: {count:,}" for code, count in failure.get("statuses", {}).items())
            rows.append(
                f'<tr class="fw-failed">{head}<td colspan="{columns}"><strong>Failed</strong>: {esc(failure["reason"])} '
                f"({failure['non_2xx']:,} non-2xx{f' ({esc(statuses)})' if statuses else ''}, "
                f"{failure['socket_errors']:,} socket errors). "
                "No number is published for a run that failed.</td></tr>"
            )
            continue
        cells = []
        for metric in METRICS:
            s = spread(result[metric])
            ratio = ratio_of[metric].get(cid)
            mark = '<span class="fw-note">slowest</span>' if cid == references[metric] else ""
            cells.append(f'<td>{number(s.median)}<span class="fw-note">{number(s.low)}–{number(s.high)}</span></td>')
            cells.append(f"<td>{ratio_text(ratio) if ratio is not None else '–'}{mark}</td>")
        p50 = statistics.median(result["latency_p50_ms"])
        p99 = statistics.median(result["latency_p99_ms"])
        memory = max(result.get("peak_rss_mib") or result["rss_mib"])
        cells.append(f"<td>{p50:,.1f} / {p99:,.1f}</td><td>{memory:,.0f}</td>")
        if bound:
            share = statistics.median(result["share_of_bound"])
            cells.append(f"<td>{share:.0%}</td><td>{sum(result.get('timeouts', [])):,}</td>")
        rows.append(f"<tr>{head}{''.join(cells)}</tr>")
    names = [
        "Framework, server",
        "Requests/s, median and range",
        "× slowest",
        "Requests per server CPU-second",
        "× slowest",
        "Latency p50 / p99 (ms)",
        "Peak memory (MiB)",
    ]
    if bound:
        names += [f"Share of the bound ({number(bound)}/s)", "Timeouts, all rounds"]
    headers = "".join(f'<th scope="col">{esc(h)}</th>' for h in names)
    caption = f"{endpoint['label']}: {endpoint['route']}{level_words(bench, endpoint_id, level)}, {bench.rounds} rounds"
    table = (
        f'<table class="fw-table fw-bench"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{headers}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return scroll_region(caption, table)


def _load(values: Iterable[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def _levels_words(endpoint: Mapping[str, Any]) -> str:
    """`GET /api/upstream/{view} at 16, 64 and 256 connections, with 2, 3 and 10 s timeouts`."""
    levels = endpoint["levels"]
    connections = ", ".join(str(level["connections"]) for level in levels[:-1]) + f" and {levels[-1]['connections']}"
    timeouts = (
        ", ".join(f"{level['timeout_seconds']:g}" for level in levels[:-1]) + f" and {levels[-1]['timeout_seconds']:g}"
    )
    return f"{endpoint['route']} at {connections} connections, with {timeouts} s timeouts"


def _upstream_rows(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The upstream service's row, and how much of the machine it and wrk took, for runs that had one."""
    if "upstream" not in data:
        return []
    upstream, disturbance = data["upstream"], data["disturbance"]
    text = (
        f"Answers <code>GET /</code> after {upstream['delay_ms']:g} ms, on {esc(upstream['bind'])}, "
        f"in one process on {esc(upstream['loop'])}, on the same machine"
    )
    if "upstream_cpu_percent" in disturbance:
        text += (
            f"; it used {disturbance['upstream_cpu_percent']:.0f}% of the machine's CPU during the I/O slices "
            f"(median). A slice is disturbed when the upstream took more than {disturbance['upstream_above_percent']:g}% "
            f"of it ({disturbance['slices_upstream_heavy']} slice(s)) or wrk more than "
            f"{disturbance['load_generator_above_percent']:g}% ({disturbance['slices_load_generator_heavy']} slice(s))"
        )
    return [("Upstream service", text)]


def configurations_table(bench: Benchmarks, catalog: Catalog) -> str:
    """Each configuration's metadata (server, worker class, workers, threads, ORM or raw SQL, view) as an HTML table.

    Empty for a run from before configurations recorded it.
    """
    if not any("worker_class" in c for c in bench.configurations):
        return ""
    names = {e["id"]: e["label"] for e in bench.endpoints}
    rows = []
    for c in bench.configurations:
        if "worker_class" not in c:
            continue
        threads = f"{c['threads']}" + (f", {c['worker_connections']:,} greenlets" if "worker_connections" in c else "")
        endpoints = c.get("endpoints", list(names))
        runs = "every endpoint" if set(endpoints) == set(names) else ", ".join(names.get(e, e) for e in endpoints)
        if "note" in c:
            runs += f'<span class="fw-note">{esc(c["note"])}</span>'
        if "not_measured" in c:
            runs = f"<strong>Not measured</strong>: {esc(c['not_measured'])}"
        cells = [
            f'<th scope="row"><span class="fw-label">{esc(framework_name(catalog, c))}</span>'
            f'<span class="fw-description">{esc(c["id"])}{" (default)" if c.get("default") else ""}</span></th>',
            f"<td>{esc(c['server'])}</td>",
            f"<td>{esc(c['worker_class'])}</td>",
            f"<td>{c['workers']}</td>",
            f"<td>{esc(threads)}</td>",
            f"<td>{'ORM' if c['orm'] == 'full' else 'raw SQL'}</td>",
            f"<td>{esc(c['view'])}</td>",
            f"<td>{runs if 'not_measured' in c or 'note' in c else esc(runs)}</td>",
        ]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    headers = "".join(
        f'<th scope="col">{h}</th>'
        for h in (
            "Framework, configuration",
            "Server",
            "Worker class",
            "Workers",
            "Threads per worker",
            "Database access",
            "I/O view",
            "Measured",
        )
    )
    caption = "What each configuration runs"
    table = (
        f'<table class="fw-table fw-bench-configurations"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{headers}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return scroll_region(caption, table)


def run_facts(bench: Benchmarks, catalog: Catalog) -> str:
    """The machine, the date, the versions and the settings of the run, as an HTML table."""
    data = bench.raw
    machine, generator, disturbance = data["machine"], data["load_generator"], data["disturbance"]
    cpu = f"{machine['cpu']}, {machine['cores']} logical CPUs, {machine['memory_gib']:.1f} GiB memory"
    if machine["virtual_machine"]:
        cpu += " (a virtual machine)"
    minutes, seconds = divmod(round(data["duration_seconds"]), 60)
    rows = [
        (
            "Date",
            f'<time datetime="{esc(data["date"])}">{esc(data["date"])}</time>, started {esc(data["started"])}, took {minutes} min {seconds} s',
        ),
        ("Machine", esc(cpu)),
        ("Operating system", esc(machine["os"])),
        (
            "Python",
            esc(machine["python"])
            + (f", <code>{esc(machine['interpreter'])}</code>" if "interpreter" in machine else ""),
        ),
        (
            "Other load",
            f"Load average {esc(_load(machine['load_average']['start']))} at the start, "
            f"{esc(_load(machine['load_average']['end']))} at the end. Other processes used "
            f"{disturbance['other_cpu_percent']:.0f}% of the machine's CPU during the slices (median); "
            f"{disturbance['slices_repeated']} slice(s) were measured again because other processes used more than "
            f"{disturbance['repeat_above_percent']:g}% of it, and {disturbance['slices_disturbed']} kept slice(s) "
            "were still above that",
        ),
        ("Servers", f"{data['servers']['workers']} worker processes each, bound to {esc(data['servers']['bind'])}"),
        (
            "Load generator",
            f"{esc(generator['tool'])} {esc(generator['version'])}, {generator['threads']} thread(s), "
            f"{generator['connections']} connections, {generator['timeout_seconds']:g} s timeout, on the same machine"
            + "".join(f"; {esc(_levels_words(e))}" for e in bench.endpoints if len(e.get("levels", [])) > 1),
        ),
        (
            "Method",
            f"{generator['warmup_seconds']:g} s warm-up per configuration and endpoint, then "
            f"{generator['rounds']} rounds of {generator['slice_seconds']:g} s slices; {esc(generator['order'])}",
        ),
        *_upstream_rows(data),
        (
            "Packages",
            ", ".join(f"<code>{esc(name)}=={esc(version)}</code>" for name, version in data["packages"].items()),
        ),
        ("Command", f"<code>{esc(data['command'])}</code>; every slice is in <code>{esc(data['raw'])}</code>"),
    ]
    body = "".join(f'<tr><th scope="row">{label}</th><td>{value}</td></tr>' for label, value in rows)
    table = f'<table class="fw-facts fw-bench-run"><caption>Machine, versions and settings</caption><tbody>{body}</tbody></table>'
    commands = "".join(
        f"<li><strong>{esc(configuration_label(catalog, c))}</strong> (<code>{esc(c['id'])}</code>): "
        f"<code>{esc(' '.join(c['argv']))}</code>"
        + (f" with <code>{esc(' '.join(f'{k}={v}' for k, v in c['env'].items()))}</code>" if c["env"] else "")
        + "</li>"
        for c in bench.configurations
    )
    return f'{table}<details class="fw-bench-commands"><summary>Server command lines</summary><ul>{commands}</ul></details>'
