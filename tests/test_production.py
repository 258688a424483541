"""The production set-up, really started: nginx, two Rasa servers sharing conversations in
PostgreSQL and locks in Redis, the action server, the API. Security, then faults."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import sqlalchemy as sa

from settings import REPO_ROOT
from tests.production_stack import Production, postgres_reachable
from tests.stack import wait_for

pytestmark = [pytest.mark.bot, pytest.mark.production]

if not any((REPO_ROOT / "models").glob("*.tar.gz")):
    pytest.skip("no trained model: run `make train` (make test does)", allow_module_level=True)
if not shutil.which("nginx") and not os.path.exists("/usr/sbin/nginx"):
    pytest.skip("no nginx: `make test` installs it (scripts/system-packages.sh)", allow_module_level=True)
if why := postgres_reachable():
    pytest.skip(f"no PostgreSQL at 127.0.0.1:5432: {why}", allow_module_level=True)

PER_CONVERSATION = 12
ORIGIN = "https://www.mikkeli.fi"
STAFF_PASSWORD = "production test password"


@pytest.fixture(scope="module")
def prod(tmp_path_factory):  # type: ignore[no-untyped-def]
    workdir = tmp_path_factory.mktemp("production")
    with Production(
        workdir,
        rate_limit_per_conversation=f"{PER_CONVERSATION}/minute",
        rate_limit_per_client="100000/minute",
        cors_origins=ORIGIN,
    ) as running:
        yield running


def conversation() -> str:
    return f"prod-{uuid.uuid4().hex}"


def payload(response: requests.Response) -> dict:
    assert response.status_code == 200, response.text
    (custom,) = [m["custom"] for m in response.json() if "custom" in m]
    return custom


def turns(events: list[tuple]) -> list[list[str]]:
    """The stored events cut at each user message: [[user, action, ..., action_listen], ...]."""
    cut: list[list[str]] = []
    for kind, name, _data in events:
        if kind == "user":
            cut.append([])
        if cut:
            cut[-1].append(name if kind == "action" else kind)
    return cut


# --- one conversation, two servers ---------------------------------------------------------


def test_a_conversation_moves_between_the_servers_and_keeps_its_state(prod):
    sender = conversation()
    first = payload(prod.say(sender, "missä on perhekahvila Mikkelissä?", base=prod.rasa_url(0)))
    assert first["services"][0]["type"] == "kohtaamispaikka"
    moved = payload(prod.say(sender, "entä Savonlinnassa?", base=prod.rasa_url(1)))
    assert moved["services"][0]["type"] == "kohtaamispaikka"
    assert moved["services"][0]["municipality"] == "Savonlinna"
    contact = payload(prod.say(sender, "kenelle soitan?"))  # through nginx, either server
    assert contact["municipality"] == "Savonlinna"


def test_two_messages_of_one_conversation_at_once_are_processed_one_after_the_other(prod):
    sender = conversation()
    assert prod.say(sender, "hei", base=prod.rasa_url(0)).status_code == 200

    def send(index: int, start: threading.Barrier) -> requests.Response:
        start.wait()
        return prod.say(sender, "lastenneuvola Mikkelissä", base=prod.rasa_url(index))

    for _round in range(4):
        start = threading.Barrier(2)
        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(send, (0, 1), (start, start)))
        assert [payload(a)["kind"] for a in answers] == ["services", "services"]
    cut = turns(prod.events(sender))
    assert len(cut) == 1 + 2 * 4, "every message stored once"
    for turn in cut:
        # A turn that another server's turn ran into would hold two user events or no listen.
        assert turn[0] == "user" and turn.count("user") == 1 and turn[-1] == "action_listen", cut


def test_personal_data_never_reaches_the_tracker_store(prod):
    sender = conversation()
    prod.say(sender, "voisiko joku soittaa minulle numeroon 040 765 4321, sposti anna.k@example.fi")
    stored = json.dumps([data for _kind, _name, data in prod.events(sender)])
    assert "765 4321" not in stored and "anna.k@example.fi" not in stored
    assert "[puhelin]" in stored


def test_staff_erase_a_conversation(prod):
    sender = conversation()
    payload(prod.say(sender, "lastenneuvola Mikkelissä"))
    assert prod.events(sender)
    subprocess.run(
        [str(REPO_ROOT / ".venv/bin/python"), "-m", "api.create_user", "gdpr@example.fi", "--role", "editor"],
        cwd=REPO_ROOT,
        env={**prod.env, "PK_NEW_USER_PASSWORD": STAFF_PASSWORD},
        check=True,
        capture_output=True,
    )
    token = requests.post(
        prod.url + "/auth/token", data={"username": "gdpr@example.fi", "password": STAFF_PASSWORD}, timeout=30
    ).json()["access_token"]
    assert requests.delete(prod.url + f"/conversations/{sender}", timeout=30).status_code == 401
    erased = requests.delete(
        prod.url + f"/conversations/{sender}", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    assert erased.status_code == 200 and erased.json()["events"] > 0
    assert prod.events(sender) == []


# --- the door ------------------------------------------------------------------------------


def test_rasas_http_api_is_off(prod):
    for base in (prod.rasa_url(0), prod.url):
        tracker = requests.get(base + "/conversations/anyone/tracker", timeout=10)
        assert tracker.status_code in (401, 403, 404), base
        parse = requests.post(base + "/model/parse", json={"text": "hei"}, timeout=10)
        assert parse.status_code in (401, 403, 404, 405), base


def test_the_action_server_answers_only_on_loopback(prod):
    port = prod.base_port + 2  # deploy.production.Ports: the Rasa servers, then the action server
    assert requests.get(f"http://127.0.0.1:{port}/health", timeout=10).status_code == 200
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("10.255.255.255", 1))  # no packet is sent: it only picks the outward address
        outward = probe.getsockname()[0]
    if outward.startswith("127."):
        pytest.skip("this machine has no address but loopback")
    with pytest.raises(OSError):
        socket.create_connection((outward, port), timeout=3).close()


def test_cors_only_for_the_configured_origins(prod):
    def allowed(origin: str) -> str | None:
        response = requests.options(
            prod.url + "/webhooks/rest/webhook",
            headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
            timeout=10,
        )
        return response.headers.get("Access-Control-Allow-Origin")

    assert allowed(ORIGIN) == ORIGIN
    assert allowed("https://evil.example") is None


def test_a_flood_in_one_conversation_is_held_back_with_429(prod):
    sender = conversation()
    codes = [prod.say(sender, "hei").status_code for _ in range(PER_CONVERSATION + 1)]
    assert codes[:PER_CONVERSATION] == [200] * PER_CONVERSATION and codes[-1] == 429
    assert prod.say(conversation(), "hei").status_code == 200  # other families are not


def test_oversized_messages_are_refused(prod):
    too_long = prod.say(conversation(), "ä" * 2001)
    assert too_long.status_code == 413 and "too long" in too_long.json()["error"]
    huge = requests.post(prod.url + "/webhooks/rest/webhook", data=b"x" * 100_000, timeout=10)
    assert huge.status_code == 413  # nginx's limit, before any Rasa server reads it


HOSTILE = [
    b"\xff\xfe\x00n\x00e\x00u\x00v\x00o\x00l\x00a",
    b'{"sender": "x", "message": ',
    b"[]",
    b'{"sender": {"$ne": null}, "message": "hei"}',
    json.dumps({"sender": "a" * 500, "message": "hei"}).encode(),
    json.dumps({"sender": "x", "message": "\U0001f600" * 2001}).encode(),
]
ACCEPTED = [
    "'; DROP TABLE events; --",
    "<script>alert(1)</script> neuvola",
    "\U0001f476" * 1500,
    "{{7*7}} ${jndi:ldap://x} %s%s%s",
    "neuvola\u0000\u202e Mikkeli",
]


def test_hostile_input_gets_no_5xx_and_stores_nothing_it_should_not(prod):
    for raw in HOSTILE:
        response = requests.post(
            prod.url + "/webhooks/rest/webhook",
            data=raw,
            headers={"Content-Type": "application/json"},
            timeout=30,
        )
        assert 400 <= response.status_code < 500, (raw[:40], response.status_code)
    for sender in ("x", "a" * 500):
        assert prod.events(sender) == []
    for text in ACCEPTED:
        sender = conversation()
        response = prod.say(sender, text)
        assert response.status_code == 200, (text[:40], response.text[:200])
        users = [json.loads(data)["text"] for kind, _n, data in prod.events(sender) if kind == "user"]
        assert users == [text], "stored once, as the plain text it was"
    engine = sa.create_engine(prod.tracker_url)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM events")).scalar() > 0
    engine.dispose()


# --- faults --------------------------------------------------------------------------------


def _converse(prod: Production, sender: str) -> dict:
    """A four-turn conversation through nginx; a message that fails is retried, as the widget does."""
    script = [
        "missä on perhekahvila Mikkelissä?",
        "entä Savonlinnassa?",
        "onko se auki lauantaina?",
        "kenelle soitan?",
    ]
    answers = []
    for message in script:
        for _attempt in range(30):
            try:
                response = prod.say(sender, message)
                if response.status_code == 200 and response.json():
                    answers.append(payload(response))
                    break
            except requests.RequestException:
                pass
            time.sleep(1)
        else:
            raise AssertionError(f"{message!r} never got an answer")
    return answers[-1]


def test_conversations_go_on_when_one_rasa_server_is_killed(prod):
    senders = [conversation() for _ in range(6)]
    with ThreadPoolExecutor(len(senders)) as pool:
        running = [pool.submit(_converse, prod, sender) for sender in senders]
        time.sleep(2)
        os.kill(int(prod.ctl("pid", "rasa1")), signal.SIGKILL)
        finals = [future.result(timeout=300) for future in running]
    for final in finals:
        assert final["contact"]["type"] == "perheneuvo" and final["municipality"] == "Savonlinna"
    wait_for(prod.rasa_url(0) + "/", prod.process, timeout=400)  # supervisord brought it back


def test_the_action_server_restarts_and_the_conversation_goes_on(prod):
    sender = conversation()
    payload(prod.say(sender, "missä on perhekahvila Mikkelissä?"))
    prod.ctl("stop", "actions1")
    during = prod.say(sender, "entä Savonlinnassa?")
    assert during.status_code == 503 and during.headers.get("Retry-After")  # not a silent empty answer
    prod.ctl("start", "actions1")
    wait_for(f"http://127.0.0.1:{prod.base_port + 2}/health", prod.process, timeout=120)
    again = payload(prod.say(sender, "entä Savonlinnassa?"))
    assert again["services"][0]["type"] == "kohtaamispaikka"
    assert again["services"][0]["municipality"] == "Savonlinna"


def test_without_redis_a_clear_503_and_after_it_the_same_conversation(prod):
    sender = conversation()
    payload(prod.say(sender, "missä on perhekahvila Mikkelissä?"))
    before = len(prod.events(sender))
    prod.redis.stop()
    try:
        refused = prod.say(sender, "entä Savonlinnassa?")
        assert refused.status_code == 503 and "temporarily unavailable" in refused.json()["error"]
        assert refused.headers.get("Retry-After")
        assert len(prod.events(sender)) == before, "nothing half-stored"
    finally:
        prod.redis.start()
    moved = payload(prod.say(sender, "entä Savonlinnassa?"))
    assert (
        moved["services"][0]["type"] == "kohtaamispaikka"
        and moved["services"][0]["municipality"] == "Savonlinna"
    )


def test_after_a_postgresql_restart_the_service_recovers_by_itself(prod):
    if os.geteuid() != 0 or not shutil.which("pg_ctlcluster"):
        pytest.skip("restarting PostgreSQL needs root and pg_ctlcluster (Debian's postgresql-common)")
    clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout.split()
    if len(clusters) < 2:
        pytest.skip("no Debian PostgreSQL cluster to restart")
    version, name = clusters[0], clusters[1]
    sender = conversation()
    payload(prod.say(sender, "missä on perhekahvila Mikkelissä?"))
    subprocess.run(["pg_ctlcluster", version, name, "restart"], check=True, timeout=120)
    deadline = time.monotonic() + 60
    while True:
        response = prod.say(sender, "entä Savonlinnassa?")
        if response.status_code == 200:
            break
        assert response.status_code == 503, response.text  # while it comes up: clear, retryable
        assert time.monotonic() < deadline, "did not recover in 60 s"
        time.sleep(1)
    moved = payload(response)
    assert moved["services"][0]["municipality"] == "Savonlinna", "the conversation's state survived"
    assert requests.get(prod.url + "/services/search", params={"q": "neuvola"}, timeout=30).status_code == 200
