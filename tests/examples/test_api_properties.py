"""Property test: each app accepts a new user exactly when the written spec says it is valid."""

from __future__ import annotations

import json
import re
from typing import Any

from example_api import INVALID_STATUS, ApiClient, named_fields
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

MISSING = object()  # the key is left out of the JSON object

# The spec, written from the contract and independent of the three validators: a name is
# a string of 1 to 100 characters once surrounding spaces are trimmed; an email is
# dot-separated atoms, "@", then two or more dot-separated labels ending in a TLD.
SPEC_EMAIL = re.compile(r"[a-z0-9+]+(\.[a-z0-9+]+)*@[a-z0-9]+(\.[a-z0-9]+)*\.[a-z]{2,}")


def spec_bad_fields(payload: dict[str, Any]) -> set[str]:
    """The fields the spec says are invalid; an empty set means the user is valid."""
    bad = set()
    name = payload.get("name", MISSING)
    if not isinstance(name, str) or not 1 <= len(name.strip(" ")) <= 100:
        bad.add("name")
    email = payload.get("email", MISSING)
    if not isinstance(email, str) or not SPEC_EMAIL.fullmatch(email):
        bad.add("email")
    return bad


# The generators stay where the contract is precise. Letters, digits and plain spaces
# only in names: the frameworks differ on NUL, control characters and exotic whitespace.
# Lower-case emails only: Pydantic lower-cases the domain. No localhost (Django allows it
# without a dot), no dots at the ends of the local part (Flask's shape check allows them).
NAME_TEXT = st.text(st.characters(categories=["L", "Nd"]) | st.just(" "), max_size=110)
NAMES = st.one_of(
    NAME_TEXT,
    st.integers(0, 3).flatmap(lambda pad: st.integers(98, 102).map(lambda n: " " * pad + "n" * n)),
    st.just(MISSING),
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.text(max_size=3), max_size=2),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=1),
)
ATOM = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10)
LABEL = st.from_regex(r"[a-z][a-z0-9]{0,9}", fullmatch=True).filter(lambda label: label != "localhost")
TLD = st.sampled_from(["com", "org", "net", "io", "dev"])
GOOD_EMAILS = st.builds(
    lambda local, labels, tld: f"{'.'.join(local)}@{'.'.join([*labels, tld])}",
    st.lists(ATOM, min_size=1, max_size=2),
    st.lists(LABEL, min_size=1, max_size=2),
    TLD,
)


def break_email(email: str, how: int) -> str:
    """Damage a valid email in one of the ways the contract calls malformed."""
    local, domain = email.split("@")
    return [
        local + domain,  # no @
        f"{local}@@{domain}",
        f"{local} @{domain}",  # a space inside
        f"{local}@ {domain}",
        f"{local}@",  # no domain
        f"@{domain}",  # no local part
        f"{local}@{domain.split('.')[0]}",  # no dot in the domain
        f"{local}@{domain.replace('.', '..', 1)}",  # an empty label
        f"{email}.",  # a trailing dot
    ][how]


BAD_EMAILS = st.builds(break_email, GOOD_EMAILS, st.integers(0, 8))
EMAILS = st.one_of(
    GOOD_EMAILS,
    BAD_EMAILS,
    st.just(MISSING),
    st.none(),
    st.integers(),
    st.just(""),
    st.lists(GOOD_EMAILS, max_size=1),
)


@st.composite
def payloads(draw: st.DrawFn) -> dict[str, Any]:
    """A JSON object with a name and an email of various types, shapes and lengths."""
    payload = {"name": draw(NAMES), "email": draw(EMAILS)}
    if draw(st.booleans()):
        payload["nickname"] = "ignored"  # unknown keys are ignored by all three
    return {key: value for key, value in payload.items() if value is not MISSING}


# The `api` fixture gives one fresh database for all examples of a test: accepted users
# stay, so a valid email seen before must now be a 409.
@settings(
    max_examples=50,
    deadline=None,
    database=None,  # no .hypothesis/ directory in the work tree
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(payload=payloads())
def test_accepts_exactly_the_valid_users(api: ApiClient, payload: dict[str, Any]) -> None:
    bad = spec_bad_fields(payload)
    listed = api.get("/api/users?limit=100").body
    reply = api.post("/api/users", json.dumps(payload).encode(), "application/json")
    if bad:
        assert reply.status == INVALID_STATUS[api.app], reply.text
        assert named_fields(api.app, reply.body) == bad, reply.text
    elif payload["email"] in {user["email"] for user in listed}:
        assert reply.status == 409, reply.text
    else:
        assert reply.status == 201, reply.text
        expected = {"name": payload["name"].strip(" "), "email": payload["email"]}
        assert {key: reply.body[key] for key in expected} == expected
