"""Two Rasa servers must never process two messages of one conversation at once.

Rasa Open Source's RedisLockStore reads the lock, adds a ticket and writes it back; two servers
that read at the same moment take the same ticket. `AtomicRedisLockStore` changes the lock in a
Redis transaction. Both are driven here into the same interleaving (both read before either
writes) against the real Redis.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from rasa.core.lock_store import LockError, RedisLockStore

from bot.stores.lock import AtomicRedisLockStore, ConfiguredLockStore
from settings import get_settings


def _both_read_before_either_writes(store_class: type, read_name: str, **kwargs):  # type: ignore[no-untyped-def]
    """A store whose first read in each thread waits until the other thread has read too."""
    barrier = threading.Barrier(2, timeout=5)
    waited = threading.local()

    class Interleaved(store_class):  # type: ignore[misc, valid-type]
        pass

    original = getattr(store_class, read_name)

    def read(self, *args):  # type: ignore[no-untyped-def]
        result = original(self, *args)
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait()
        return result

    setattr(Interleaved, read_name, read)
    return Interleaved(**kwargs)


def _two_tickets_at_once(store) -> list[int]:  # type: ignore[no-untyped-def]
    conversation = f"race-{uuid.uuid4()}"
    with ThreadPoolExecutor(2) as pool:
        tickets = list(pool.map(lambda _: store.issue_ticket(conversation), range(2)))
    server = redis.Redis(host="127.0.0.1", port=6379, db=0)
    server.delete(*server.scan_iter(f"*{conversation}"))  # Rasa's store sets no expiry
    return sorted(tickets)


def test_rasas_own_redis_lock_store_gives_two_servers_the_same_ticket(redis_url):
    # The trap the issue names, shown: why the production set-up does not use RedisLockStore.
    store = _both_read_before_either_writes(RedisLockStore, "get_lock", host="127.0.0.1", port=6379, db=0)
    assert _two_tickets_at_once(store) == [0, 0]


def test_the_atomic_lock_store_gives_them_different_tickets(redis_url):
    store = _both_read_before_either_writes(AtomicRedisLockStore, "_read", url=redis_url)
    assert _two_tickets_at_once(store) == [0, 1]


def test_the_second_message_waits_until_the_first_is_done(redis_url):
    store = AtomicRedisLockStore(redis_url)
    conversation = f"serial-{uuid.uuid4()}"
    spans: list[tuple[str, float, float]] = []

    async def handle(name: str, seconds: float) -> None:
        async with store.lock(conversation, wait_time_in_seconds=0.05):
            start = time.monotonic()
            await asyncio.sleep(seconds)
            spans.append((name, start, time.monotonic()))

    async def both() -> None:
        first = asyncio.create_task(handle("first", 0.4))
        await asyncio.sleep(0.05)
        await handle("second", 0.0)
        await first

    asyncio.run(both())
    (first_name, _, first_end), (second_name, second_start, _) = spans
    assert (first_name, second_name) == ("first", "second")
    assert second_start >= first_end
    assert store.get_lock(conversation) is None  # no lock left behind


def test_an_abandoned_lock_expires_in_redis(redis_url):
    store = AtomicRedisLockStore(redis_url)
    conversation = f"abandoned-{uuid.uuid4()}"
    store.issue_ticket(conversation, lock_lifetime=2)
    ttl_ms = redis.Redis.from_url(redis_url).pttl(store._key(conversation))
    assert 0 < ttl_ms <= 3000


def test_an_unreachable_redis_is_a_clear_lock_error():
    store = AtomicRedisLockStore("redis://127.0.0.1:1/0")
    started = time.monotonic()
    with pytest.raises(LockError, match="lock store \\(Redis\\) is unreachable"):
        store.issue_ticket("anyone")
    assert time.monotonic() - started < 5


def test_the_environment_chooses_the_lock_store(monkeypatch, redis_url):
    monkeypatch.delenv("PK_LOCK_STORE_URL", raising=False)
    get_settings.cache_clear()
    assert type(ConfiguredLockStore()).__name__ == "InMemoryLockStore"
    monkeypatch.setenv("PK_LOCK_STORE_URL", redis_url)
    get_settings.cache_clear()
    try:
        assert isinstance(ConfiguredLockStore(), AtomicRedisLockStore)
    finally:
        get_settings.cache_clear()
