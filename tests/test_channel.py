"""The chat webhook's door: malformed, oversized and flooding requests get a clear 4xx."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels import BadMessage, as_plain_text, parse_message
from bot.limits import Limiter, MemoryCounter, Rate, RedisCounter
from settings import Settings

SETTINGS = Settings(max_message_chars=2000)


def body(**fields: object) -> bytes:
    return json.dumps(fields).encode()


def test_a_well_formed_message_passes():
    assert parse_message(
        body(sender="a1", message="neuvola", metadata={"municipality": "Mikkeli"}), SETTINGS
    ) == (
        "a1",
        "neuvola",
        {"municipality": "Mikkeli"},
    )


def test_the_longest_message_passes_even_as_escaped_emoji():
    # json.dumps escapes each emoji as a 12-byte surrogate pair, as browsers may send it.
    flood = "\U0001f476" * 2000
    assert parse_message(body(sender="a", message=flood), SETTINGS)[1] == flood


@pytest.mark.parametrize(
    "raw, status, reason",
    [
        (b"{not json", 400, "not JSON"),
        ("ääkköset".encode("latin-1"), 400, "not UTF-8"),
        (b'["sender", "message"]', 400, "JSON object"),
        (body(message="hei"), 400, "'sender'"),
        (body(sender="", message="hei"), 400, "'sender'"),
        (body(sender="a\nb", message="hei"), 400, "'sender'"),
        (body(sender="x" * 129, message="hei"), 400, "'sender'"),
        (body(sender="a", message=5), 400, "'message'"),
        (body(sender="a", message="   "), 400, "'message'"),
        (body(sender="a", message="x" * 2001), 413, "too long"),
        (body(sender="a", message="hei", metadata=["x"]), 400, "'metadata'"),
        (body(sender="a", message="hei", metadata={"x": "y" * 5000}), 400, "'metadata'"),
        (b" " * 40000, 413, "too long"),
        # Malformed, not an outage (issue 12): each says what is wrong.
        (
            body(sender="a", message="hei", metadata={"municipality": 7}),
            400,
            "'metadata.municipality' must be a string",
        ),
        (body(sender="a", message="hei", metadata={"municipality": ["Mikkeli"]}), 400, "must be flat"),
        (body(sender="a", message="hei", metadata={"municipality": {"fi": "Mikkeli"}}), 400, "must be flat"),
        (body(sender="a", message="hei", metadata={"language": ["fi"]}), 400, "must be flat"),
        (
            body(sender="a", message="hei", metadata={"language": 1}),
            400,
            "'metadata.language' must be a string",
        ),
        (body(sender="a", message="hei", metadata={"page": {"a": {"b": {"c": 1}}}}), 400, "must be flat"),
        (body(sender="a", message="/"), 400, "'message'"),
        (body(sender="a", message=" / // "), 400, "'message'"),
    ],
)
def test_bad_requests_are_refused_with_a_reason(raw, status, reason):
    with pytest.raises(BadMessage, match=reason) as refused:
        parse_message(raw, SETTINGS)
    assert refused.value.status == status


@pytest.mark.parametrize(
    "raw",
    [
        b'{"sender": "a", "message": "hei", "metadata": {"x": ' + b"[" * 5000 + b"]" * 5000 + b"}}",
        b"[" * 28000,
    ],
    ids=["metadata", "body"],
)
def test_deep_nesting_is_refused_not_an_outage(raw):
    # json.loads raises RecursionError on it, which the webhook answered as a 503 "outage".
    with pytest.raises(BadMessage, match="nested") as refused:
        parse_message(raw, SETTINGS)
    assert refused.value.status == 400


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=3000), st.text(max_size=3000).map(lambda t: t.encode("utf-8", "surrogatepass"))
    )
)
def test_no_body_is_anything_but_a_message_or_a_clear_refusal(raw):
    try:
        sender, text, metadata = parse_message(raw, SETTINGS)
    except BadMessage as refused:
        assert refused.status in (400, 413)
    else:
        assert sender and text.strip() and len(text) <= 2000
        assert not text.strip().startswith("/")


@pytest.mark.parametrize(
    "sent, seen",
    [
        ("/restart", "restart"),
        (' /intent{"a":1}', 'intent{"a":1}'),
        ("/ / /need_lastenneuvola@1.0", "need_lastenneuvola@1.0"),
        ("\u3000/stop", "stop"),  # an ideographic space: Rasa's strip() removes it too
        ("hei /restart", "hei /restart"),
        ("  neuvola  ", "  neuvola  "),
    ],
)
def test_command_like_texts_are_taken_as_plain_text(sent, seen):
    assert parse_message(body(sender="a", message=sent), SETTINGS)[1] == seen
    assert as_plain_text(sent) == seen


def test_slashes_are_dropped_in_linear_time():
    import time

    started = time.perf_counter()
    assert as_plain_text("/ " * 1000 + "hei") == "hei"
    assert time.perf_counter() - started < 0.05


def test_rasas_warnings_go_through_the_masked_log():
    # Rasa prints `/intent{...}` and other messages in its warnings, which bypass logging.
    script = (
        "import bot.channels, rasa.shared.utils.io as io; "
        "io.raise_warning('Failed to parse arguments in line /x{soita 040 765 4321, maija@example.com}')"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    printed = run.stdout + run.stderr
    assert run.returncode == 0, printed
    assert "Failed to parse arguments" in printed
    assert "040 765 4321" not in printed and "maija@example.com" not in printed


@settings(max_examples=200, deadline=None)
@given(
    sender=st.text(min_size=1, max_size=128),
    message=st.text(min_size=1, max_size=2500),
    metadata=st.none() | st.dictionaries(st.text(max_size=20), st.text(max_size=50), max_size=5),
)
def test_injection_strings_and_emoji_floods_pass_through_as_plain_text(sender, message, metadata):
    raw = json.dumps({"sender": sender, "message": message, "metadata": metadata}).encode()
    try:
        assert parse_message(raw, SETTINGS)[1] == as_plain_text(message)
    except BadMessage as refused:
        assert refused.status in (400, 413)


def test_rates_are_read_from_the_settings_notation():
    assert Rate.parse("30/minute") == Rate(30, 60)
    assert Rate.parse(" 5 / second ") == Rate(5, 1)
    for wrong in ("30 per minute", "0/minute", "-1/hour", "many"):
        with pytest.raises(ValueError):
            Rate.parse(wrong)


@pytest.mark.parametrize("counter", ["memory", "redis"])
def test_the_limiter_lets_through_the_rate_and_no_more(counter, request):
    store = MemoryCounter() if counter == "memory" else RedisCounter(request.getfixturevalue("redis_url"))
    limiter, rate, key = Limiter(store), Rate(3, 60), f"conversation:{uuid.uuid4()}"
    assert [limiter.allows(key, rate) for _ in range(5)] == [True, True, True, False, False]
    assert limiter.allows(f"conversation:{uuid.uuid4()}", rate)  # other conversations are not held back


class _Request:
    def __init__(self, ip: str, real_ip: str | None = None) -> None:
        self.ip = ip
        self.headers = {"x-real-ip": real_ip} if real_ip else {}


def test_only_a_trusted_proxy_names_the_familys_address():
    from bot.channels import client_address, trusted_networks

    trusted = trusted_networks("127.0.0.1, ::1, 172.30.0.0/24")
    assert client_address(_Request("127.0.0.1", "203.0.113.7"), trusted) == "203.0.113.7"
    assert client_address(_Request("172.30.0.5", "203.0.113.7"), trusted) == "203.0.113.7"
    # Anyone else sending the header is counted by their own address.
    assert client_address(_Request("198.51.100.9", "203.0.113.7"), trusted) == "198.51.100.9"
    assert client_address(_Request("198.51.100.9"), trusted) == "198.51.100.9"
