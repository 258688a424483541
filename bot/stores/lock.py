"""Rasa's conversation locks in Redis, every change atomic; in memory without PK_LOCK_STORE_URL.

Why not Rasa's own RedisLockStore: it reads the lock, adds a ticket in Python and writes it back.
Two servers that read at once both take the same ticket number and then process two messages
of one conversation side by side; the SQL tracker store, which appends "the events it has not
stored yet" by count, then loses or duplicates events. Here each change runs in a Redis
transaction (WATCH/MULTI/EXEC) and is retried when another server changed the lock in between.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockError, LockStore

from settings import get_settings

T = TypeVar("T")

REDIS_TIMEOUT_SECONDS = 2.0


class AtomicRedisLockStore(LockStore):
    """Rasa's ticket lock, kept in Redis, changed only inside Redis transactions."""

    def __init__(self, url: str, key_prefix: str = "pk:lock:") -> None:
        self.red = redis.Redis.from_url(
            url, socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS
        )
        self.key_prefix = key_prefix
        super().__init__()

    def _key(self, conversation_id: str) -> str:
        return self.key_prefix + conversation_id

    def _read(self, client: Any, conversation_id: str) -> TicketLock | None:
        raw = client.get(self._key(conversation_id))
        return TicketLock.from_dict(json.loads(raw)) if raw else None

    def _change(
        self, conversation_id: str, change: Callable[[TicketLock | None], tuple[TicketLock | None, T]]
    ) -> T:
        key = self._key(conversation_id)

        def transaction(pipe: redis.client.Pipeline) -> T:
            lock, result = change(self._read(pipe, conversation_id))
            pipe.multi()
            if lock is None or not lock.tickets:
                pipe.delete(key)
            else:
                # An abandoned lock (a server killed mid-message) goes when its last ticket would.
                seconds_left = max(ticket.expires for ticket in lock.tickets) - time.time()
                pipe.set(key, lock.dumps(), px=max(1000, int((seconds_left + 1) * 1000)))
            return result

        try:
            return self.red.transaction(transaction, key, value_from_callable=True)
        except redis.RedisError as error:
            raise LockError(f"the lock store (Redis) is unreachable: {error}") from error

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or TicketLock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        return self._change(conversation_id, issue)

    def update_lock(self, conversation_id: str) -> None:
        def drop_expired(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def finish(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, finish)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # finish_serving deletes the key once no ticket is left: one transaction, not two.
        self.finish_serving(conversation_id, ticket_number)

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        try:
            return self._read(self.red, conversation_id)
        except redis.RedisError as error:
            raise LockError(f"the lock store (Redis) is unreachable: {error}") from error

    def save_lock(self, lock: TicketLock) -> None:
        self._change(lock.conversation_id, lambda _old: (lock, None))

    def delete_lock(self, conversation_id: str) -> None:
        self._change(conversation_id, lambda _old: (None, None))


class ConfiguredLockStore(LockStore):
    """In memory by default; `AtomicRedisLockStore` when PK_LOCK_STORE_URL is set.

    Rasa loads a custom store by class path only, so the class chooses in `__new__`."""

    def __new__(cls, endpoint_config: Any = None) -> LockStore:  # type: ignore[misc]
        url = get_settings().lock_store_url
        return AtomicRedisLockStore(url) if url else InMemoryLockStore()
