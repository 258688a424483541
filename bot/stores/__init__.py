"""Where Rasa keeps conversations and their locks, chosen by the environment.

`endpoints.yml` names `bot.stores.ConfiguredTrackerStore` and `bot.stores.ConfiguredLockStore`;
with no `PK_TRACKER_STORE_URL` / `PK_LOCK_STORE_URL` they are Rasa's in-memory stores (one
process, no server), otherwise:

- `tracker`: a SQL tracker store that masks personal data and recovers from a database restart
  (`MaskingSQLTrackerStore`, `ConfiguredTrackerStore`, `TrackerStoreUnavailable`);
- `lock`: a Redis lock store whose every change is atomic (`AtomicRedisLockStore`,
  `ConfiguredLockStore`).
"""

from bot.stores.lock import AtomicRedisLockStore, ConfiguredLockStore
from bot.stores.tracker import (
    PERSONAL_SLOTS,
    TURN_INDEXES,
    ConfiguredTrackerStore,
    MaskingSQLTrackerStore,
    TrackerStoreUnavailable,
    masked_event_data,
)

__all__ = [
    "PERSONAL_SLOTS",
    "TURN_INDEXES",
    "AtomicRedisLockStore",
    "ConfiguredLockStore",
    "ConfiguredTrackerStore",
    "MaskingSQLTrackerStore",
    "TrackerStoreUnavailable",
    "masked_event_data",
]
