"""Each performance claim of `data/frameworks.yml` judged by its rule on the published run.

Pure functions: a validated run and a claim in, a `Verdict` out, with every ratio it
rests on. A rule never guesses: a framework with no default configuration, a missing
endpoint or level, or a configuration that failed or was not measured where the rule
needs it makes that part of the verdict "not measured", and the verdict with it.

The rules (the Performance page states each in words, from `RULES`):

- `advantage`: at each level of an endpoint, the claim's framework against each other
  one, by the median over rounds of their paired requests-per-second ratio; supported
  at a level when it serves at least `factor` times every other one, partly when it
  does so for some; the claim is supported when every level is, partly when some level
  is supported or partly, and not supported otherwise. Judged twice: against each
  framework's default configuration, and against its best one at that level.
- `narrows`: per pair of frameworks (default configurations), supported when their
  ratio on `endpoint` is closer to 1 than on `than` at its highest level, comparing
  absolute logarithms; the claim is supported when every pair is, partly when some are.
- `ranges`: per framework with a quoted range and per endpoint (at its highest level),
  the claimed range as a ratio to the reference framework's range against the measured
  ratio of their default configurations: consistent when the measured ratio lies inside.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from macros.benchmarks.model import Benchmarks
from macros.benchmarks.stats import paired_ratio

SUPPORTED = "supported"
PARTLY = "partly supported"
NOT_SUPPORTED = "not supported"
NOT_MEASURED = "not measured"
CONSISTENT = "consistent"
INCONSISTENT = "not consistent"

METRIC = "requests_per_second"
DEFAULTS = "defaults"
BEST = "best"


@dataclass(frozen=True)
class Ratio:
    """One measured ratio a rule tested: `subject`'s requests per second over `other`'s, paired by round."""

    subject: str  # configuration ids
    other: str
    endpoint: str
    connections: int
    value: float


@dataclass(frozen=True)
class Finding:
    """The verdict on one part of a claim: one level, one pair of frameworks, or one framework on one endpoint."""

    status: str
    ratios: tuple[Ratio, ...] = ()
    connections: int | None = None  # advantage: the level
    frameworks: tuple[str, ...] = ()  # narrows: the pair; ranges: the framework
    endpoint: str | None = None  # ranges: the endpoint
    claimed: tuple[float, float | None] | None = None  # ranges: the claimed ratio, low and high (None: open)
    io_ratio: Ratio | None = None  # narrows: the ratio on `than`, beside `ratios[0]` on `endpoint`
    note: str = ""  # why a part is not measured


@dataclass(frozen=True)
class Verdict:
    """A claim's verdict under one reading (`defaults` or `best` for `advantage`), with its findings."""

    claim: str  # the claim's id
    rule: str
    reading: str
    status: str
    findings: tuple[Finding, ...]


class Missing(Exception):
    """What a rule needed but the run does not have, in words."""


def default_configuration(bench: Benchmarks, framework: str) -> dict[str, Any]:
    """A framework's default configuration in the run."""
    for configuration in bench.configurations:
        if configuration["framework"] == framework and configuration.get("default"):
            return configuration
    raise Missing(f"the run has no default configuration of {framework}")


def samples(bench: Benchmarks, configuration: Mapping[str, Any], endpoint: str, connections: int) -> list[float]:
    """A configuration's per-round requests per second on an endpoint at a level; Missing when it has none."""
    where = f"{configuration['id']} on {endpoint} at {connections} connections"
    if "not_measured" in configuration:
        raise Missing(f"{configuration['id']} was not measured: {configuration['not_measured']}")
    if not bench.runs(configuration, endpoint):
        raise Missing(f"{configuration['id']} does not run {endpoint}")
    result = bench.result(configuration["id"], endpoint, connections)
    if result is None:
        failure = bench.failure(configuration["id"], endpoint, connections)
        raise Missing(f"{where} failed: {failure['reason']}" if failure else f"the run has no result for {where}")
    return list(result[METRIC])


def levels(bench: Benchmarks, endpoint: str) -> list[int]:
    """An endpoint's levels; Missing when the run did not measure it."""
    if endpoint not in [e["id"] for e in bench.endpoints]:
        raise Missing(f"the run did not measure the {endpoint} endpoint")
    return bench.levels(endpoint)


def ratio(
    bench: Benchmarks, subject: Mapping[str, Any], other: Mapping[str, Any], endpoint: str, connections: int
) -> Ratio:
    """Subject's requests per second over other's, the median of their per-round ratios."""
    value = paired_ratio(samples(bench, subject, endpoint, connections), samples(bench, other, endpoint, connections))
    return Ratio(subject["id"], other["id"], endpoint, connections, value)


def best_configuration(bench: Benchmarks, framework: str, endpoint: str, connections: int) -> dict[str, Any]:
    """A framework's configuration with the highest median on an endpoint at a level; Missing if any of them has no result."""
    own = [c for c in bench.configurations_on(endpoint) if c["framework"] == framework]
    if not own:
        raise Missing(f"no configuration of {framework} runs {endpoint}")
    medians = {c["id"]: statistics.median(samples(bench, c, endpoint, connections)) for c in own}
    return next(c for c in own if c["id"] == max(medians, key=lambda k: medians[k]))


def overall(statuses: Sequence[str]) -> str:
    """A claim's status from its parts': every part supported, some, or none; not measured if any part is."""
    if not statuses or NOT_MEASURED in statuses:
        return NOT_MEASURED
    if all(s == SUPPORTED for s in statuses):
        return SUPPORTED
    if any(s in (SUPPORTED, PARTLY) for s in statuses):
        return PARTLY
    return NOT_SUPPORTED


def advantage(bench: Benchmarks, claim: Mapping[str, Any], reading: str = DEFAULTS) -> Verdict:
    """The `advantage` rule, against the other frameworks' defaults or their best configurations."""
    findings = []
    try:
        subject = default_configuration(bench, claim["framework"])
        claim_levels = levels(bench, claim["endpoint"])
    except Missing as missing:
        return Verdict(claim["id"], "advantage", reading, NOT_MEASURED, (Finding(NOT_MEASURED, note=str(missing)),))
    for connections in claim_levels:
        try:
            found = []
            for framework in claim["over"]:
                other = (
                    default_configuration(bench, framework)
                    if reading == DEFAULTS
                    else best_configuration(bench, framework, claim["endpoint"], connections)
                )
                found.append(ratio(bench, subject, other, claim["endpoint"], connections))
        except Missing as missing:
            findings.append(Finding(NOT_MEASURED, connections=connections, note=str(missing)))
            continue
        wins = sum(r.value >= claim["factor"] for r in found)
        status = SUPPORTED if wins == len(found) else PARTLY if wins else NOT_SUPPORTED
        findings.append(Finding(status, tuple(found), connections=connections))
    return Verdict(claim["id"], "advantage", reading, overall([f.status for f in findings]), tuple(findings))


def narrows(bench: Benchmarks, claim: Mapping[str, Any]) -> Verdict:
    """The `narrows` rule, per pair of the claim's frameworks."""
    findings = []
    for first, second in itertools.combinations(claim["frameworks"], 2):
        try:
            a, b = default_configuration(bench, first), default_configuration(bench, second)
            narrow = ratio(bench, a, b, claim["endpoint"], max(levels(bench, claim["endpoint"])))
            wide = ratio(bench, a, b, claim["than"], max(levels(bench, claim["than"])))
        except Missing as missing:
            findings.append(Finding(NOT_MEASURED, frameworks=(first, second), note=str(missing)))
            continue
        closer = abs(math.log(narrow.value)) < abs(math.log(wide.value))
        findings.append(
            Finding(SUPPORTED if closer else NOT_SUPPORTED, (narrow,), frameworks=(first, second), io_ratio=wide)
        )
    return Verdict(claim["id"], "narrows", DEFAULTS, overall([f.status for f in findings]), tuple(findings))


def quoted_range(framework: Mapping[str, Any]) -> tuple[float, float | None] | None:
    """(low, high) of a framework's first quoted figure with numbers; high is None when open-ended."""
    for quoted in framework.get("claims", []):
        if "low" in quoted:
            return float(quoted["low"]), (float(quoted["high"]) if "high" in quoted else None)
    return None


def claimed_ratio(own: tuple[float, float | None], reference: tuple[float, float | None]) -> tuple[float, float | None]:
    """A claimed range as a ratio to the reference's: own low over reference high, own high over reference low."""
    low = own[0] / reference[1] if reference[1] else 0.0
    high = own[1] / reference[0] if own[1] is not None else None
    return low, high


def ranges(bench: Benchmarks, claim: Mapping[str, Any], frameworks: Sequence[Mapping[str, Any]]) -> Verdict:
    """The `ranges` rule: each quoted range against the measured ratio on each endpoint, at its highest level."""
    by_id = {fw["id"]: fw for fw in frameworks}
    reference_range = quoted_range(by_id.get(claim["reference"], {}))
    findings = []
    for framework in frameworks:
        own = quoted_range(framework)
        if own is None or framework["id"] == claim["reference"] or reference_range is None:
            continue
        claimed = claimed_ratio(own, reference_range)
        for endpoint in [e["id"] for e in bench.endpoints]:
            own_id = (framework["id"],)
            try:
                measured = ratio(
                    bench,
                    default_configuration(bench, framework["id"]),
                    default_configuration(bench, claim["reference"]),
                    endpoint,
                    max(bench.levels(endpoint)),
                )
            except Missing as missing:
                findings.append(
                    Finding(NOT_MEASURED, frameworks=own_id, endpoint=endpoint, claimed=claimed, note=str(missing))
                )
                continue
            inside = claimed[0] <= measured.value and (claimed[1] is None or measured.value <= claimed[1])
            findings.append(
                Finding(
                    CONSISTENT if inside else INCONSISTENT,
                    (measured,),
                    frameworks=own_id,
                    endpoint=endpoint,
                    claimed=claimed,
                )
            )
    statuses = [f.status for f in findings]
    if not findings or NOT_MEASURED in statuses:
        status = NOT_MEASURED
    else:
        status = CONSISTENT if all(s == CONSISTENT for s in statuses) else INCONSISTENT
    return Verdict(claim["id"], "ranges", DEFAULTS, status, tuple(findings))


def judge(bench: Benchmarks, claim: Mapping[str, Any], frameworks: Sequence[Mapping[str, Any]]) -> list[Verdict]:
    """Every verdict on one claim: two readings for `advantage`, one for the other rules."""
    if claim["rule"] == "advantage":
        return [advantage(bench, claim, DEFAULTS), advantage(bench, claim, BEST)]
    if claim["rule"] == "narrows":
        return [narrows(bench, claim)]
    if claim["rule"] == "ranges":
        return [ranges(bench, claim, frameworks)]
    raise KeyError(f"Unknown rule {claim['rule']!r}; known: advantage, narrows, ranges")
