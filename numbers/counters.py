"""Number-page views and catalogue searches, counted off the database and written in batches.

A page view used to be a committed ``UPDATE`` of the number's row, and a search an
upsert of the day's tally: ~10 ms each and a row lock every visitor of a popular number
queued on. Now a read page only appends an event to a buffer shared by every worker;
``numbers.services.counters_flush`` (the ``flush_counters`` job, scheduled by the pages
at most once a minute) moves the events into the database in one transaction.

The buffer is Redis when the cache is (one hash, shared by every machine), else a spool
file on this machine (``COUNTER_SPOOL_DIR``): appends are atomic across processes, and
a flush moves the file aside, then waits for writers still holding it (``flock``).
Either way a flush takes a lock first, so two flushes never read the same events, and
an event is deleted only after the transaction that counted it committed.

A search counts once per client per day: the event carries a keyed hash of the client's
address and the day (never the address), and the database keeps one row per
(day, search, hash) for the days a tally can still change.
"""

import atexit
import contextlib
import fcntl
import hashlib
import hmac
import logging
import os
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.utils import timezone
from redis.exceptions import RedisError, ResponseError

logger = logging.getLogger(__name__)

FLUSH_EVERY = 60  # seconds: the most a view or search waits before it is in the database
LOCK_TIMEOUT = 300  # seconds: a flush that died holding the Redis lock frees it after this


@dataclass
class Batch:
    """Events moved out of the buffer together: views per number, distinct searches."""

    views: Counter = field(default_factory=Counter)
    searches: set = field(default_factory=set)  # of (day, visitor, query)

    def add_line(self, line: str, count: int = 1) -> None:
        kind, _, rest = line.partition("\t")
        if kind == "v" and rest.isdigit():
            self.views[int(rest)] += count
        elif kind == "s" and rest.count("\t") == 2:
            day, visitor, query = rest.split("\t")
            with contextlib.suppress(ValueError):
                self.searches.add((date.fromisoformat(day), visitor, query))


def visitor_hash(*, address: str, day: date) -> str:
    """Who searched, as far as counting needs: the same for one address on one day only."""
    key = hashlib.sha256(f"search-visitor:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, f"{day.isoformat()}|{address}".encode(), hashlib.sha256).hexdigest()[:32]


def view_line(number_id: int) -> str:
    return f"v\t{number_id}"


def search_line(*, query: str, visitor: str, day: date) -> str:
    query = query.replace("\t", " ").replace("\n", " ")[:200]
    return f"s\t{day.isoformat()}\t{visitor}\t{query}"


class SpoolBuffer:
    """Events as lines of a file, for one machine's workers when there is no Redis."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.live = self.directory / "events.log"

    def append(self, lines: Counter) -> None:
        data = "".join(f"{line}\n" * count for line, count in lines.items()).encode()
        while True:
            fd = self._open(self.live, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
            try:
                fcntl.flock(fd, fcntl.LOCK_SH)
                # A flush may have moved the file aside since we opened it: write to the new one.
                with contextlib.suppress(FileNotFoundError):
                    if os.fstat(fd).st_ino == os.stat(self.live).st_ino:
                        os.write(fd, data)
                        return
            finally:
                os.close(fd)

    def add(self, lines: Counter) -> bool:
        """Count ``lines``; True if they hold the first event of the minute on this machine."""
        self.append(lines)
        return self.claim_flush_slot()

    def claim_flush_slot(self) -> bool:
        """True for the first caller of this minute, across every process of the machine."""
        minute = int(time.time() // FLUSH_EVERY)
        try:
            os.close(self._open(self.directory / f"scheduled-{minute}", os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return False
        for old in self.directory.glob("scheduled-*"):
            if old.name != f"scheduled-{minute}":
                old.unlink(missing_ok=True)
        return True

    @contextlib.contextmanager
    def lock(self) -> Iterator[bool]:
        fd = self._open(self.directory / "flush.lock", os.O_WRONLY | os.O_CREAT)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            yield True
        finally:
            os.close(fd)

    def _open(self, path: Path, flags: int) -> int:
        try:
            return os.open(path, flags, 0o600)
        except FileNotFoundError:  # the first event on this machine: make the folder
            self.directory.mkdir(parents=True, exist_ok=True)
            return os.open(path, flags, 0o600)

    def batches(self) -> Iterator[tuple[Batch, Callable[[], None]]]:
        """Batches left by a flush that stopped half-way, then the events until now.

        Call only while holding ``lock()``. Each batch comes with the function that
        deletes it, to call once its counts are committed.
        """
        with contextlib.suppress(FileNotFoundError):
            os.rename(self.live, self.directory / f"batch-{time.time_ns()}-{os.getpid()}.log")
        for path in sorted(self.directory.glob("batch-*.log")):
            with path.open("rb") as file:
                fcntl.flock(file, fcntl.LOCK_EX)  # writers that still hold it finish first
                batch = Batch()
                for raw in file:
                    if raw.endswith(b"\n"):
                        batch.add_line(raw[:-1].decode(errors="replace"))
            yield batch, path.unlink


class RedisBuffer:
    """Events as fields of one Redis hash, shared by every worker of every machine."""

    def __init__(self, cache: RedisCache):
        self.cache = cache
        self.live = cache.make_key("counters:events")
        self.batch_prefix = cache.make_key("counters:batch:")

    @property
    def client(self):
        return self.cache._cache.get_client(write=True)

    def add(self, lines: Counter) -> bool:
        """Count ``lines``; True if they hold the first event of the minute (one round trip)."""
        pipe = self.client.pipeline(transaction=False)
        for line, count in lines.items():
            pipe.hincrby(self.live, line, count)
        pipe.set(self.cache.make_key("counters:scheduled"), 1, nx=True, ex=FLUSH_EVERY)
        return bool(pipe.execute()[-1])

    @contextlib.contextmanager
    def lock(self) -> Iterator[bool]:
        key, token = self.cache.make_key("counters:flush-lock"), uuid.uuid4().hex
        if not self.client.set(key, token, nx=True, ex=LOCK_TIMEOUT):
            yield False
            return
        try:
            yield True
        finally:
            if self.client.get(key) == token.encode():
                self.client.delete(key)

    def batches(self) -> Iterator[tuple[Batch, Callable[[], None]]]:
        with contextlib.suppress(ResponseError):  # no events since the last flush: nothing to move
            self.client.rename(self.live, f"{self.batch_prefix}{time.time_ns()}")
        for key in sorted(self.client.scan_iter(match=f"{self.batch_prefix}*")):
            batch = Batch()
            for line, count in self.client.hgetall(key).items():
                batch.add_line(line.decode(errors="replace"), int(count))
            yield batch, lambda key=key: self.client.delete(key)


def buffer() -> SpoolBuffer | RedisBuffer:
    """Redis when the rate-limit counters are there (i.e. ``REDIS_URL`` is set), else the spool."""
    limits = caches["limits"]
    if isinstance(limits, RedisCache):
        return RedisBuffer(limits)
    return SpoolBuffer(settings.COUNTER_SPOOL_DIR)


def count_view(number_id: int) -> None:
    """One view of a number's page; in the database within a minute or so."""
    _record(view_line(number_id))


def count_search(*, query: str, address: str, day: date | None = None) -> None:
    """One search from ``address``; counted at most once per address and day."""
    day = day or timezone.localdate()
    _record(search_line(query=query, visitor=visitor_hash(address=address, day=day), day=day))


class RecentEvents:
    """This process's events not yet in the shared buffer: sent together, a moment later.

    A round trip to Redis costs more than everything else a page from the cache does,
    and every search and number page made one. The first event starts a timer of
    ``COUNTER_SEND_SECONDS``; whatever came meanwhile goes in one round trip from the
    timer's thread, never the request's. A worker that dies loses that moment's
    events; one that stops sends them first (``atexit``). 0 sends each at once.
    """

    def __init__(self):
        self._lines: Counter = Counter()
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def add(self, line: str) -> None:
        with self._lock:
            self._lines[line] += 1
            if self._timer is not None:
                return  # the running timer takes it along
            if settings.COUNTER_SEND_SECONDS > 0:
                self._timer = threading.Timer(settings.COUNTER_SEND_SECONDS, self.send)
                self._timer.daemon = True
                self._timer.start()
                return
        self.send()

    def send(self) -> None:
        with self._lock:
            lines, self._lines, self._timer = self._lines, Counter(), None
        if lines:
            _send(lines)


recent_events = RecentEvents()
atexit.register(recent_events.send)


def _record(line: str) -> None:
    recent_events.add(line)


def _send(lines: Counter) -> None:
    # A count is not worth a failed page: if the buffer is unreachable, the events are lost.
    try:
        due = buffer().add(lines)
    except (OSError, RedisError):
        logger.warning(
            "Counter buffer unavailable: %d events were not counted",
            lines.total(),
            exc_info=True,
        )
        return
    if due:
        from numbers.tasks import flush_counters

        try:
            flush_counters.enqueue()
        except Exception:
            logger.exception("Could not queue the counters' flush; the next minute tries again")
