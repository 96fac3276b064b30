"""The canonical form the audit chain hashes: one spelling per value, checked by hand."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone

import pytest

from nominations.audit import GENESIS_HASH, EventBody, canonical_json, chain_hash, format_instant

BODY = EventBody(
    seq=1,
    occurred_at="2026-03-02T09:00:00.000000Z",
    actor_type="coordinator",
    actor_id="c1",
    action="open",
    entity_type="vacancy",
    entity_id="4",
    from_state="draft",
    to_state="open",
    reason=None,
    payload={"b": [1, 2], "a": "Ysgol Gymraeg"},
)


def test_key_order_does_not_matter_at_any_depth() -> None:
    one = {"b": 1, "a": {"y": [1, {"q": 1, "p": 2}], "x": None}}
    two = {"a": {"x": None, "y": [1, {"p": 2, "q": 1}]}, "b": 1}
    assert canonical_json(one) == canonical_json(two) == '{"a":{"x":null,"y":[1,{"p":2,"q":1}]},"b":1}'


def test_list_order_does_matter() -> None:
    assert canonical_json([1, 2]) != canonical_json([2, 1])


def test_unicode_is_kept_as_utf8_not_escaped() -> None:
    text = canonical_json({"reason": "Café, Ysgol Gymraeg, Ynys Môn, ŵ 🏫"})
    assert text == '{"reason":"Café, Ysgol Gymraeg, Ynys Môn, ŵ 🏫"}'
    assert "\\u" not in text


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_nan_and_infinity_are_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="not JSON compliant"):
        canonical_json({"x": [bad]})


def test_instants_are_spelled_in_utc_with_microseconds() -> None:
    bst = timezone(timedelta(hours=1))
    assert format_instant(datetime(2026, 6, 1, 10, 30, tzinfo=bst)) == "2026-06-01T09:30:00.000000Z"
    assert format_instant(datetime(2026, 6, 1, 9, 30, 0, 5, tzinfo=UTC)) == "2026-06-01T09:30:00.000005Z"


def test_naive_instants_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        format_instant(datetime(2026, 6, 1, 9, 30))


def test_chain_hash_is_sha256_of_previous_hash_then_canonical_body() -> None:
    # Spelled out by hand so that a change to the canonical form shows up here.
    text = (
        '{"action":"open","actor_id":"c1","actor_type":"coordinator","entity_id":"4",'
        '"entity_type":"vacancy","from_state":"draft","occurred_at":"2026-03-02T09:00:00.000000Z",'
        '"payload":{"a":"Ysgol Gymraeg","b":[1,2]},"reason":null,"seq":1,"to_state":"open"}'
    )
    expected = hashlib.sha256((GENESIS_HASH + text).encode("utf-8")).hexdigest()
    assert chain_hash(GENESIS_HASH, BODY) == expected


def test_chain_hash_depends_on_the_previous_hash() -> None:
    assert chain_hash(GENESIS_HASH, BODY) != chain_hash("1" * 64, BODY)
