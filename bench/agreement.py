"""Whether two runs agree on what the Performance page's verdicts rest on: `python -m bench --compare A B`.

Each verdict of `macros.benchmarks.verdicts` rests on ratios between frameworks'
configurations. Two runs agree when every such ratio differs by at most the
tolerance between them, and each verdict comes out the same. A ratio is matched
by claim, reading, the two frameworks, endpoint and level, not by configuration:
a framework's best configuration may change from one run to the next.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from macros.benchmarks import Benchmarks
from macros.benchmarks.verdicts import Ratio, Verdict, judge

Key = tuple[str, str, str, str, str, int]
TOLERANCE = 0.10  # the budget: a ratio a verdict uses may differ by this much between two runs
Z_19_IN_20 = 1.96  # a normal deviate: 19 pairs of runs in 20 fall within it
# The standard deviation of the median of n samples of a normal spread is about this many
# times σ / √n: each ratio a verdict uses is the median of its per-round ratios.
MEDIAN_SPREAD = math.sqrt(math.pi / 2)  # claim, reading, subject framework, other framework, endpoint, level


@dataclass(frozen=True)
class Used:
    """One ratio a verdict used, with the configurations it compared."""

    value: float
    subject: str
    other: str


def verdicts_of(
    bench: Benchmarks, claims: Sequence[Mapping[str, Any]], frameworks: Sequence[Mapping[str, Any]]
) -> list[Verdict]:
    """Every verdict of every claim on one run."""
    return [verdict for claim in claims for verdict in judge(bench, claim, frameworks)]


def used_ratios(bench: Benchmarks, verdicts: Sequence[Verdict]) -> dict[Key, Used]:
    """Every ratio the verdicts rest on, by claim, reading, frameworks, endpoint and level."""
    out: dict[Key, Used] = {}

    def framework(configuration_id: str) -> str:
        return str(bench.configuration(configuration_id)["framework"])

    for verdict in verdicts:
        for finding in verdict.findings:
            ratios: list[Ratio] = [*finding.ratios, *([finding.io_ratio] if finding.io_ratio else [])]
            for r in ratios:
                key = (
                    verdict.claim,
                    verdict.reading,
                    framework(r.subject),
                    framework(r.other),
                    r.endpoint,
                    r.connections,
                )
                out[key] = Used(r.value, r.subject, r.other)
    return out


def compare(
    first: Benchmarks,
    second: Benchmarks,
    claims: Sequence[Mapping[str, Any]],
    frameworks: Sequence[Mapping[str, Any]],
    tolerance: float = TOLERANCE,
) -> tuple[str, float | None, bool]:
    """The verdicts and their ratios of two runs side by side.

    Returns the text, the largest difference (None when no verdict rests on a ratio
    that both runs have, as in runs from before the verdicts' workloads), and whether
    every verdict is the same.
    """
    a_verdicts, b_verdicts = verdicts_of(first, claims, frameworks), verdicts_of(second, claims, frameworks)
    lines = ["Verdicts:", f"  {'claim':<16} {'reading':<9} {'run A':<18} {'run B':<18}"]
    same = True
    for verdict_a, verdict_b in zip(a_verdicts, b_verdicts, strict=True):
        same &= verdict_a.status == verdict_b.status
        flag = "" if verdict_a.status == verdict_b.status else "  DIFFERENT"
        lines.append(
            f"  {verdict_a.claim:<16} {verdict_a.reading:<9} {verdict_a.status:<18} {verdict_b.status:<18}{flag}"
        )
    a_used, b_used = used_ratios(first, a_verdicts), used_ratios(second, b_verdicts)
    lines.append("\nRatios the verdicts use (subject's requests per second over the other's, paired by round):")
    lines.append(
        f"  {'claim':<16} {'reading':<9} {'ratio':<18} {'endpoint':<9} {'conns':>5} {'run A':>8} {'run B':>8} {'B/A-1':>7}"
    )
    differences = []
    for key in a_used:
        claim, reading, subject, other, endpoint, connections = key
        if key not in b_used:
            lines.append(
                f"  {claim:<16} {reading:<9} {subject + '/' + other:<18} {endpoint:<9} {connections:>5}  only in run A"
            )
            continue
        a, b = a_used[key].value, b_used[key].value
        difference = b / a - 1
        differences.append(abs(difference))
        note = (
            "" if a_used[key].other == b_used[key].other else f"  (best: {a_used[key].other}, then {b_used[key].other})"
        )
        lines.append(
            f"  {claim:<16} {reading:<9} {subject + '/' + other:<18} {endpoint:<9} {connections:>5} "
            f"{a:>7.2f}x {b:>7.2f}x {difference:>+7.1%}{note}"
        )
    if not differences:
        return "\n".join(lines), None, same
    largest = max(differences)
    within = sum(d <= tolerance for d in differences)
    lines.append(f"Largest difference {largest:.1%}; {within} of {len(differences)} ratios within {tolerance:.0%}.")
    lines += rounds_text(first, second, a_used, b_used, tolerance)
    return "\n".join(lines), largest, same


def log_ratios(subject: Sequence[float], other: Sequence[float]) -> list[float]:
    """ln(subject / other) for each round in which both answered."""
    return [math.log(s / o) for s, o in zip(subject, other, strict=True) if s > 0 and o > 0]


def pooled_sd(groups: Sequence[Sequence[float]]) -> float | None:
    """The standard deviation within groups (here: one run's per-round log ratios), pooled; None without two values in a group."""
    squares = sum(sum((x - statistics.fmean(g)) ** 2 for x in g) for g in groups if len(g) > 1)
    freedom = sum(len(g) - 1 for g in groups if len(g) > 1)
    return math.sqrt(squares / freedom) if freedom else None


def rounds_needed(sd: float, tolerance: float = TOLERANCE) -> int:
    """Rounds per run for two runs' medians of a per-round ratio to differ by at most `tolerance` 19 times in 20.

    With per-round log ratios spread by `sd`, the difference of two runs' medians of n
    rounds is spread by about √2 × MEDIAN_SPREAD × sd / √n; the tolerance, as a log, must
    hold Z_19_IN_20 of those.
    """
    if tolerance <= 0:
        raise ValueError(f"no number of rounds holds a tolerance of {tolerance}")
    return max(1, math.ceil((Z_19_IN_20 * math.sqrt(2) * MEDIAN_SPREAD * sd / math.log1p(tolerance)) ** 2))


def _per_round(bench: Benchmarks, used: Used, endpoint: str, connections: int) -> list[float]:
    subject, other = bench.result(used.subject, endpoint, connections), bench.result(used.other, endpoint, connections)
    if subject is None or other is None:
        return []
    return log_ratios(subject["requests_per_second"], other["requests_per_second"])


def rounds_text(
    first: Benchmarks,
    second: Benchmarks,
    a_used: Mapping[Key, Used],
    b_used: Mapping[Key, Used],
    tolerance: float = TOLERANCE,
) -> list[str]:
    """How many rounds each run would need for every ratio a verdict uses to stay within the tolerance, from both runs' spread."""
    if tolerance <= 0:  # no number of rounds would do
        return []
    needs: dict[Key, tuple[int, float]] = {}
    for key, used in a_used.items():
        if key not in b_used:
            continue
        *_, endpoint, connections = key
        sd = pooled_sd(
            [_per_round(first, used, endpoint, connections), _per_round(second, b_used[key], endpoint, connections)]
        )
        if sd is not None:
            needs[key] = (rounds_needed(sd, tolerance), sd)
    if not needs:
        return []
    worst = max(needs, key=lambda k: needs[k])
    rounds, sd = needs[worst]
    claim, reading, subject, other, endpoint, connections = worst
    enough = sum(n <= first.rounds for n, _ in needs.values())
    lines = [
        f"Rounds: from the spread of each ratio's per-round values (pooled over both runs), {enough} of "
        f"{len(needs)} would stay within {tolerance:.0%} between two runs 19 times in 20 at {first.rounds} rounds. "
        f"The most spread, {claim} {reading} {subject}/{other} on {endpoint} at {connections} "
        f"(per-round spread {sd:.1%}), needs {rounds} round{'s' if rounds != 1 else ''}; the median ratio, "
        f"{statistics.median_low(n for n, _ in needs.values())}."
    ]
    duration = first.raw.get("duration_seconds")
    if duration:
        minutes = duration / first.rounds * rounds / 60
        lines.append(
            f"At this run's {duration / first.rounds / 60:.1f} minutes a round, {rounds} rounds take about {minutes:.0f} minutes."
        )
    return lines
