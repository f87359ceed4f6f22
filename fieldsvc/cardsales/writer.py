"""The card writer: what writes a purchase onto the customer's IC card and reads it back.

The browser cannot reach a USB card reader, so in production a small service on the clerk's PC (the
card bridge, docs/CARD_BRIDGE.md) does the writing; the page talks to it with fetch() and reports the
results to the server, which checks them (`BridgeWriter`). For the demo and the tests the server has a
`SimulatedWriter`: it keeps card images in a JSON file in the instance folder (so every worker process
of the demo sees the same cards) and can be told to fail the next write or read-back.

Config CARDSALES_WRITER: "simulated" (default) or "bridge"; CARDSALES_BRIDGE_URL: where the page finds
the bridge (default http://127.0.0.1:18620).
"""
import fcntl
import json
import os
import threading
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path

from flask import current_app

DEFAULT_BRIDGE_URL = "http://127.0.0.1:18620"


@dataclass(frozen=True)
class CardPayload:
    """The fields written to the card (docs/CARD_BRIDGE.md)."""

    card_no: str
    account_no: str
    meter_serial: str
    purchase_seq: int
    volume_m3: Decimal
    sale_id: int

    def as_json(self) -> dict:
        data = asdict(self)
        data["volume_m3"] = str(self.volume_m3)
        return data


@dataclass(frozen=True)
class WriteResult:
    ok: bool
    message: str = ""
    writer_ref: str | None = None  # the reader's own transaction id, when it has one


@dataclass(frozen=True)
class CardImage:
    """What a read-back of the card shows: the last purchase written to it."""

    card_no: str
    purchase_seq: int
    volume_m3: Decimal
    meter_serial: str | None = None


class CardWriter:
    """Interface. `write` puts a purchase on the card; `read` reads the card back; `clear` removes a
    purchase that was written but is being reversed (the meter never saw it)."""

    name = "abstract"
    server_side = True  # False: the page does the work through the bridge and reports results

    def write(self, payload: CardPayload) -> WriteResult:
        raise NotImplementedError

    def read(self, card_no: str) -> CardImage | None:
        raise NotImplementedError

    def clear(self, card_no: str, purchase_seq: int) -> bool:
        raise NotImplementedError


class SimulatedWriter(CardWriter):
    """A card reader in software. `fail_next("write"|"read"|"clear", message)` makes the next call fail."""

    name = "simulated"
    _lock = threading.Lock()
    _failures: dict[str, list[str]] = {}

    def __init__(self, store: Path):
        self.store = store

    @classmethod
    def fail_next(cls, operation: str, message: str = "card not responding", times: int = 1) -> None:
        with cls._lock:
            cls._failures.setdefault(operation, []).extend([message] * times)

    @classmethod
    def reset(cls) -> None:
        with cls._lock:
            cls._failures.clear()

    def _failure(self, operation: str) -> str | None:
        with self._lock:
            queue = self._failures.get(operation)
            return queue.pop(0) if queue else None

    def _update(self, change) -> object:
        """Read-modify-write the card images under an exclusive file lock (several processes)."""
        self.store.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, open(self.store, "a+", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            handle.seek(0)
            raw = handle.read()
            cards = json.loads(raw) if raw.strip() else {}
            result = change(cards)
            handle.seek(0)
            handle.truncate()
            json.dump(cards, handle, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
            return result

    def write(self, payload: CardPayload) -> WriteResult:
        failure = self._failure("write")
        if failure:
            return WriteResult(False, failure)

        def put(cards):
            cards[payload.card_no] = {"purchase_seq": payload.purchase_seq, "volume_m3": str(payload.volume_m3),
                                      "meter_serial": payload.meter_serial}
        self._update(put)
        return WriteResult(True, "", f"SIM-{payload.sale_id}-{payload.purchase_seq}")

    def read(self, card_no: str) -> CardImage | None:
        if self._failure("read"):
            return None
        image = self._update(lambda cards: cards.get(card_no))
        if not image:
            return None
        return CardImage(card_no, int(image["purchase_seq"]), Decimal(image["volume_m3"]), image.get("meter_serial"))

    def clear(self, card_no: str, purchase_seq: int) -> bool:
        if self._failure("clear"):
            return False

        def drop(cards):
            image = cards.get(card_no)
            if image and int(image["purchase_seq"]) == purchase_seq:
                del cards[card_no]
            return True
        return bool(self._update(drop))


class BridgeWriter(CardWriter):
    """The page wrote the card through the bridge on the clerk's PC; the server only checks what it
    reports (services take the reported WriteResult / CardImage)."""

    name = "bridge"
    server_side = False


def mode() -> str:
    return current_app.config.get("CARDSALES_WRITER", "simulated")


def bridge_url() -> str:
    return current_app.config.get("CARDSALES_BRIDGE_URL", DEFAULT_BRIDGE_URL)


def get_writer() -> CardWriter:
    if mode() == "bridge":
        return BridgeWriter()
    return SimulatedWriter(Path(current_app.instance_path) / "simulated_cards.json")
