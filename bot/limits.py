"""Rate limits of the chat webhook: per conversation and per client address.

A fixed window per key, counted in the lock store's Redis when there is one (so the limit holds
across Rasa servers) and in memory otherwise. The well-kept `limits` library would do this, but
every release needs packaging>=21 and Rasa 3.6 pins packaging<21.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass

import redis

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(second|minute|hour|day)\s*$")
_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """'30/minute' -> Rate(30, 60)."""
        match = _RATE.match(text)
        if not match or int(match[1]) < 1:
            raise ValueError(f"a rate limit looks like '30/minute', not {text!r}")
        return cls(int(match[1]), _SECONDS[match[2]])


class Counter:
    """Counts hits per key and window; `hit` says how many this window has had, this one included."""

    def hit(self, key: str, window: int) -> int:
        raise NotImplementedError


class MemoryCounter(Counter):
    def __init__(self) -> None:
        self._counts: dict[tuple[str, int], int] = {}
        self._guard = threading.Lock()

    def hit(self, key: str, window: int) -> int:
        slot = int(time.time() // window)
        with self._guard:
            if len(self._counts) > 100_000:  # old windows go; a flood of new keys cannot grow it forever
                self._counts = {k: v for k, v in self._counts.items() if k[1] == slot}
            count = self._counts.get((key, slot), 0) + 1
            self._counts[(key, slot)] = count
            return count


class RedisCounter(Counter):
    def __init__(self, url: str, prefix: str = "pk:rate:") -> None:
        self.red = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = prefix

    def hit(self, key: str, window: int) -> int:
        slot = int(time.time() // window)
        name = f"{self.prefix}{key}:{slot}"
        pipe = self.red.pipeline(transaction=True)
        pipe.incr(name)
        pipe.expire(name, window + 1)
        count, _ = pipe.execute()
        return int(count)


@dataclass
class Limiter:
    counter: Counter

    def allows(self, key: str, rate: Rate) -> bool:
        return self.counter.hit(key, rate.seconds) <= rate.count

    @classmethod
    def for_url(cls, redis_url: str) -> Limiter:
        return cls(RedisCounter(redis_url) if redis_url else MemoryCounter())
