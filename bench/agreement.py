"""Whether two runs agree on what the Performance page's verdicts rest on: `python -m bench --compare A B`.

Each verdict of `macros.benchmarks.verdicts` rests on ratios between frameworks'
configurations. Two runs agree when every such ratio differs by at most the
tolerance between them, and each verdict comes out the same. A ratio is matched
by claim, reading, the two frameworks, endpoint and level, not by configuration:
a framework's best configuration may change from one run to the next.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from macros.benchmarks import Benchmarks
from macros.benchmarks.verdicts import Ratio, Verdict, judge

Key = tuple[str, str, str, str, str, int]  # claim, reading, subject framework, other framework, endpoint, level


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
    within = sum(d <= 0.10 for d in differences)
    lines.append(f"Largest difference {largest:.1%}; {within} of {len(differences)} ratios within 10%.")
    return "\n".join(lines), largest, same
