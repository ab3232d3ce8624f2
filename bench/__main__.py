"""The command line: `python -m bench [--smoke | --only W | --compare A B | --from-raw A]` (see bench/__init__.py)."""

from __future__ import annotations

import argparse
import json
import shlex
import signal
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import bench
from bench import DATA_FILE, RAW_DIR, agreement, harness, plan, servers, summary
from bench.sampling import CORES
from macros import benchmarks
from macros.data import load as load_catalog
from macros.problems import DataError


def ids(known: Sequence[str], what: str) -> Callable[[str], tuple[str, ...]]:
    """An argparse type: comma-separated ids, each one of `known`."""

    def parse(text: str) -> tuple[str, ...]:
        chosen = tuple(part.strip() for part in text.split(",") if part.strip())
        unknown = [part for part in chosen if part not in known]
        if unknown or not chosen:
            raise argparse.ArgumentTypeError(
                f"unknown {what} {', '.join(unknown) or repr(text)}; known: {', '.join(known)}"
            )
        return chosen

    return parse


def parser() -> argparse.ArgumentParser:
    """The options."""
    configurations = list(servers.load_runner().CONFIGS)
    out = argparse.ArgumentParser(prog="python -m bench", description=(bench.__doc__ or "").splitlines()[0])
    out.add_argument("--smoke", action="store_true", help="every configuration and workload briefly, into a temp dir")
    out.add_argument(
        "--only",
        type=ids(plan.ENDPOINT_IDS, "workload"),
        metavar="WORKLOADS",
        help=f"run only these endpoints, comma-separated: {', '.join(plan.ENDPOINT_IDS)}",
    )
    out.add_argument(
        "--config",
        type=ids(configurations, "configuration"),
        metavar="CONFIGURATIONS",
        help="run only these configurations, comma-separated (see examples/run.py)",
    )
    out.add_argument(
        "--output", type=Path, help="where to write the YAML (default: data/benchmarks.yml; smoke: a temp dir; "
        "--only/--config: none, the raw file only)"
    )  # fmt: skip
    out.add_argument("--raw-dir", type=Path, help="where to write the raw JSON (default: data/benchmarks/raw)")
    out.add_argument("--rounds", type=int, help="override the number of rounds")
    out.add_argument("--seconds", type=int, help="override the length of a slice, in whole seconds")
    out.add_argument("--workers", type=int, help=f"worker processes per server (default: {CORES}, the core count)")
    out.add_argument(
        "--connections", type=int, help=f"wrk connections but for the I/O levels (default: {plan.FULL.connections})"
    )
    out.add_argument("--compare", nargs=2, type=Path, metavar="RAW", help="compare the ratios of two raw runs")
    out.add_argument(
        "--tolerance",
        type=float,
        default=0.10,
        help="--compare exits 1 when a ratio a verdict uses differs by more, or a verdict differs (default 0.10)",
    )
    out.add_argument("--from-raw", type=Path, metavar="RAW", help="write the YAML from an existing raw run")
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or its smoke mode, or part of it), or compare two raw runs, or rewrite the YAML."""
    arguments = argv if argv is not None else sys.argv[1:]
    args = parser().parse_args(arguments)
    if args.compare:
        missing = [str(path) for path in args.compare if not path.is_file()]
        if missing:
            print(f"No such raw file: {', '.join(missing)}", file=sys.stderr)
            return 2
        first, second = summary.load_raw(args.compare[0]), summary.load_raw(args.compare[1])
        text, every_largest = summary.compare(first, second, [str(p) for p in args.compare])
        print(text)
        catalog = load_catalog(bench.ROOT)
        verdict_text, verdict_largest, same = agreement.compare(
            first, second, catalog.performance_claims, catalog.frameworks, args.tolerance
        )
        print(f"\n{verdict_text}")
        # Runs from before the verdicts' workloads: every ratio counts instead.
        used = "a ratio a verdict uses" if verdict_largest is not None else "a ratio"
        largest = every_largest if verdict_largest is None else verdict_largest
        if largest > args.tolerance or not same:
            reason = f"{used} differs by {largest:.1%}" if largest > args.tolerance else "a verdict differs"
            print(f"\nThe runs disagree: {reason} (tolerance {args.tolerance:.0%}).", file=sys.stderr)
            return 1
        print(f"\nThe runs agree: every verdict is the same, and {used} differs by at most {largest:.1%}.")
        return 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the cleanup in `finally` blocks

    settings = plan.SMOKE if args.smoke else plan.FULL
    overrides = {
        k: v
        for k, v in (
            ("rounds", args.rounds),
            ("slice_seconds", args.seconds),
            ("workers", args.workers),
            ("connections", args.connections),
        )
        if v
    }
    settings = replace(settings, **overrides)
    selection = harness.Selection(args.only, args.config)
    # Smoke mode never writes into data/: what is not given goes to a new temp directory.
    needs_scratch = args.smoke and (args.output is None or args.raw_dir is None)
    scratch = Path(tempfile.mkdtemp(prefix="bench-smoke-")) if needs_scratch else None
    output = args.output or (scratch / "benchmarks.yml" if scratch else None)
    if output is None and (args.from_raw or not selection.partial):
        output = DATA_FILE
    raw_dir = args.raw_dir or (scratch if scratch else RAW_DIR)

    if args.from_raw:
        raw = json.loads(args.from_raw.read_text())
        raw_path = args.from_raw
    else:
        raw = harness.run(settings, shlex.join(["python", "-m", "bench", *arguments]), selection)
        raw_dir.mkdir(parents=True, exist_ok=True)
        raw_path = raw_dir / f"{raw['started'].replace(':', '-')}.json"
        raw_path.write_text(json.dumps(raw, indent=1) + "\n")
    try:
        text = summary.to_yaml(summary.summarise(raw, summary.relative(raw_path)))
    except DataError as error:
        print(f"The harness produced an invalid file (a bug in bench/):\n{error}", file=sys.stderr)
        return 2
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text)
    result = benchmarks.validate_text(text, benchmarks.load_schema(bench.ROOT))
    print(summary.table(result))
    written = " and ".join(summary.relative(p) for p in (output, raw_path) if p is not None)
    if args.from_raw:
        print(f"\nWrote {summary.relative(output or DATA_FILE)} from {summary.relative(raw_path)}.")
    else:
        print(
            f"\nWrote {written}; the run took {plan.clock(raw['duration_seconds'])}"
            f" (expected {plan.clock(raw.get('expected_seconds', 0))})."
        )
    if args.smoke:
        problems = summary.smoke_problems(result, raw)
        for problem in problems:
            print(f"SMOKE FAILED: {problem}", file=sys.stderr)
        return 1 if problems else 0
    if result.raw["failures"]:
        print(
            f"{len(result.raw['failures'])} cell(s) failed; the page marks them and shows no number.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
