"""Signed receipts (district → device): what the district holds, so the village can stop resending.

After an import commits, the district issues a receipt (DESIGN.md §5): per device, the highest
counter held without gaps (``high``), the highest counter held at all (``top``) and the missing
ranges in between; the changes it rejected, each with a reason *code*; the bundle ids it
acknowledges; and when it was issued. A receipt is not secret, but it carries no person data:
only device ids, counters, bundle ids and codes.

The file is a small versioned envelope (``docs/bundle-format.md``): magic, version, suite, the
signer's key id, the canonical JSON body and an Ed25519 signature over everything before it.

Acknowledgement only moves forward: :func:`merge_ack` is a join (union of what is held), so
merging an old receipt again — a replay, or receipts arriving out of order — changes nothing,
and the village never forgets an acknowledgement because of a file.
"""

from __future__ import annotations

import re
import struct
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import NoReturn, TypeAlias

from simpul.bundle._fields import check_bundle_id, check_device, exact_object
from simpul.bundle._json import JsonFormatError, canonical_json, strict_json
from simpul.bundle.errors import ReceiptRejectedError, RejectionCode
from simpul.bundle.keys import (
    SIGNATURE_LENGTH,
    PublicSigningKey,
    SigningKeyPair,
    key_id_bytes,
)
from simpul.changes import ChangeFormatError, ChangeId
from simpul.changes.change import MAX_COUNTER

__all__ = [
    "MAX_RECEIPT_BYTES",
    "RECEIPT_MAGIC",
    "RECEIPT_VERSION",
    "CounterRange",
    "DeviceAck",
    "Receipt",
    "RejectedChange",
    "acknowledged_ranges",
    "compute_receipt_state",
    "is_acknowledged",
    "merge_ack",
    "sign_receipt",
    "verify_receipt",
]

CounterRange: TypeAlias = tuple[int, int]
"""An inclusive range of change counters ``(first, last)``."""

RECEIPT_MAGIC = b"\x89SIMPULR"
"""First 8 bytes of every receipt."""

RECEIPT_VERSION = 1
_SUITE_ED25519 = 1
_ENVELOPE = struct.Struct(">8sHH16sI")  # magic, version, suite, signer key id, body length
_SIGNATURE_CONTEXT = b"simpul-receipt/v1 signature\x00"

MAX_RECEIPT_BYTES = 4 * 1024 * 1024
"""Largest receipt :func:`verify_receipt` reads by default."""

_REASON = re.compile(r"[a-z][a-z0-9_]{0,63}")
_BODY_KEYS = frozenset({"acks", "bundles", "device", "issued_at", "rejected"})
_ACK_KEYS = frozenset({"high", "missing", "top"})


@dataclass(frozen=True, slots=True)
class DeviceAck:
    """What the district holds of one device's changes.

    Held = counters ``1..high`` and ``high+1..top`` except the ``missing`` ranges.

    Attributes:
        high: Highest counter held with every earlier counter also held (0: not even 1).
        top: Highest counter held at all (``high <= top``).
        missing: Inclusive ranges not held between ``high`` and ``top``, ascending, the first
            starting at ``high + 1``, separated by at least one held counter, the last ending
            before ``top``. Empty exactly when ``high == top``.
    """

    high: int = 0
    top: int = 0
    missing: tuple[CounterRange, ...] = ()

    def __post_init__(self) -> None:
        for name, value in (("high", self.high), ("top", self.top)):
            if type(value) is not int or not 0 <= value <= MAX_COUNTER:
                raise ValueError(f"{name}: expected an integer from 0 to {MAX_COUNTER}")
        if self.high > self.top:
            raise ValueError(f"high {self.high} is above top {self.top}")
        missing: list[CounterRange] = []
        for index, item in enumerate(self.missing):
            if not isinstance(item, tuple | list) or len(item) != 2:
                raise ValueError(f"missing[{index}]: expected a pair of integers")
            first, last = item
            if type(first) is not int or type(last) is not int:
                raise ValueError(f"missing[{index}]: expected a pair of integers")
            missing.append((first, last))
        expected_start = self.high + 1
        for index, (first, last) in enumerate(missing):
            if index == 0 and first != expected_start:
                raise ValueError(f"missing[0] must start at high + 1 = {expected_start}")
            if first < expected_start or last < first or last >= self.top:
                raise ValueError(f"missing[{index}] = ({first}, {last}) is out of order or range")
            expected_start = last + 2
        if bool(missing) != (self.high != self.top):
            raise ValueError("missing ranges are needed exactly when high < top")
        object.__setattr__(self, "missing", tuple(missing))

    @classmethod
    def from_ranges(cls, ranges: Iterable[CounterRange]) -> DeviceAck:
        """Build the acknowledgement of a set of held counters given as ranges.

        Args:
            ranges: Inclusive ``(first, last)`` ranges of held counters, counters from 1; any
                order, overlaps allowed.

        Returns:
            The normalised acknowledgement.

        Raises:
            ValueError: A range is empty or out of ``1..MAX_COUNTER``.
        """
        merged: list[list[int]] = []
        for first, last in sorted(ranges):
            if type(first) is not int or type(last) is not int:
                raise ValueError("ranges: expected integers")
            if not 1 <= first <= last <= MAX_COUNTER:
                raise ValueError(f"range ({first}, {last}) is empty or out of range")
            if merged and first <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], last)
            else:
                merged.append([first, last])
        if not merged:
            return cls()
        high = merged[0][1] if merged[0][0] == 1 else 0
        gaps: list[CounterRange] = []
        previous_end = 0
        for first, last in merged:
            if first > previous_end + 1:
                gaps.append((previous_end + 1, first - 1))
            previous_end = last
        return cls(high=high, top=merged[-1][1], missing=tuple(gaps))

    @classmethod
    def from_counters(cls, counters: Iterable[int]) -> DeviceAck:
        """Build the acknowledgement of a set of held counters.

        Args:
            counters: Held counters (from 1), any order, repeats allowed.

        Returns:
            The normalised acknowledgement.
        """
        ranges: list[CounterRange] = []
        for counter in sorted(set(counters)):
            if ranges and counter == ranges[-1][1] + 1:
                ranges[-1] = (ranges[-1][0], counter)
            else:
                ranges.append((counter, counter))
        return cls.from_ranges(ranges)

    def held_ranges(self) -> tuple[CounterRange, ...]:
        """Return the held counters as ascending, disjoint, non-adjacent inclusive ranges."""
        if self.top == 0:
            return ()
        held: list[CounterRange] = []
        start = 1
        for first, last in self.missing:
            if first > start:
                held.append((start, first - 1))
            start = last + 1
        held.append((start, self.top))
        return tuple(held)

    def holds(self, counter: int) -> bool:
        """Whether ``counter`` is acknowledged as held."""
        if counter <= self.high:
            return counter >= 1
        if counter > self.top:
            return False
        return not any(first <= counter <= last for first, last in self.missing)

    def merge(self, other: DeviceAck) -> DeviceAck:
        """Return the acknowledgement of everything either side holds (never less)."""
        return DeviceAck.from_ranges(self.held_ranges() + other.held_ranges())


@dataclass(frozen=True, order=True, slots=True)
class RejectedChange:
    """A change the district refused, with a reason code (never free text: no person data).

    Attributes:
        change_id: The refused change.
        reason: A code such as ``equivocation`` or ``invalid_change``: ``[a-z][a-z0-9_]*``,
            at most 64 characters.
    """

    change_id: ChangeId
    reason: str

    def __post_init__(self) -> None:
        if not isinstance(self.change_id, ChangeId):
            raise ValueError("change_id: expected a ChangeId")
        if not isinstance(self.reason, str) or _REASON.fullmatch(self.reason) is None:
            raise ValueError(f"reason: expected a lowercase code, got {self.reason!r:.40}")


@dataclass(frozen=True, slots=True)
class Receipt:
    """The content of a receipt: what the district acknowledges to one device.

    Collections are normalised: ``acks`` sorted by device (read-only), ``rejected`` and
    ``bundles`` sorted without repeats.

    Attributes:
        device: The device the receipt is for.
        issued_at: Milliseconds since the Unix epoch.
        acks: Device id → what is held of that device's changes (devices holding nothing are
            left out).
        rejected: Changes refused, with reason codes.
        bundles: Ids of the bundles whose import this receipt acknowledges.
    """

    device: str
    issued_at: int
    acks: Mapping[str, DeviceAck] = field(default_factory=dict)
    rejected: tuple[RejectedChange, ...] = ()
    bundles: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_device(self.device, "device")
        if type(self.issued_at) is not int or not 0 <= self.issued_at <= MAX_COUNTER:
            raise ValueError("issued_at: expected milliseconds since the epoch")
        if not isinstance(self.acks, Mapping):
            raise ValueError("acks: expected a mapping")
        acks: dict[str, DeviceAck] = {}
        for device, ack in sorted(self.acks.items()):
            check_device(device, "acks")
            if not isinstance(ack, DeviceAck):
                raise ValueError(f"acks[{device!r:.40}]: expected a DeviceAck")
            if ack.top == 0:
                raise ValueError(f"acks[{device!r:.40}]: holds nothing; leave it out")
            acks[device] = ack
        for item in self.rejected:
            if not isinstance(item, RejectedChange):
                raise ValueError("rejected: expected RejectedChange items")
        rejected = tuple(sorted(set(self.rejected)))
        bundles = tuple(sorted({check_bundle_id(b, "bundles") for b in self.bundles}))
        object.__setattr__(self, "acks", MappingProxyType(acks))
        object.__setattr__(self, "rejected", rejected)
        object.__setattr__(self, "bundles", bundles)

    def to_json(self) -> dict[str, object]:
        """Return the receipt body as JSON data (the signed content of the envelope)."""
        return {
            "acks": {
                device: {
                    "high": ack.high,
                    "missing": [list(r) for r in ack.missing],
                    "top": ack.top,
                }
                for device, ack in self.acks.items()
            },
            "bundles": list(self.bundles),
            "device": self.device,
            "issued_at": self.issued_at,
            "rejected": [[str(item.change_id), item.reason] for item in self.rejected],
        }

    @classmethod
    def from_json(cls, data: object) -> Receipt:
        """Parse a receipt body strictly.

        Raises:
            ValueError: Any deviation from the format.
        """
        obj = exact_object(data, _BODY_KEYS, "receipt")
        raw_acks = obj["acks"]
        if not isinstance(raw_acks, dict):
            raise ValueError("acks: expected an object")
        acks: dict[str, DeviceAck] = {}
        for device, raw in raw_acks.items():
            ack = exact_object(raw, _ACK_KEYS, f"acks[{device!r:.40}]")
            missing = ack["missing"]
            if not isinstance(missing, list) or not all(
                isinstance(item, list) and len(item) == 2 for item in missing
            ):
                raise ValueError("missing: expected an array of [first, last] pairs")
            acks[device] = DeviceAck(
                high=_int(ack["high"]),
                top=_int(ack["top"]),
                missing=tuple((_int(a), _int(b)) for a, b in missing),
            )
        raw_rejected = obj["rejected"]
        if not isinstance(raw_rejected, list):
            raise ValueError("rejected: expected an array")
        rejected = []
        for item in raw_rejected:
            if not isinstance(item, list) or len(item) != 2 or not isinstance(item[0], str):
                raise ValueError("rejected: expected [change id, reason] pairs")
            rejected.append(RejectedChange(ChangeId.parse(item[0]), _str(item[1])))
        raw_bundles = obj["bundles"]
        if not isinstance(raw_bundles, list):
            raise ValueError("bundles: expected an array")
        receipt = cls(
            device=_str(obj["device"]),
            issued_at=_int(obj["issued_at"]),
            acks=acks,
            rejected=tuple(rejected),
            bundles=tuple(_str(b) for b in raw_bundles),
        )
        if len(receipt.rejected) != len(raw_rejected) or len(receipt.bundles) != len(raw_bundles):
            raise ValueError("rejected or bundles: repeated entries")
        return receipt


def sign_receipt(receipt: Receipt, *, district: SigningKeyPair) -> bytes:
    """Encode ``receipt`` in its envelope and sign it with the district key.

    Ed25519 is deterministic, so the same receipt signed twice gives the same bytes (importing
    a bundle twice returns the same receipt).

    Args:
        receipt: The content.
        district: The district's signing key.

    Returns:
        The receipt file's bytes.
    """
    body = canonical_json(receipt.to_json())
    signed = (
        _ENVELOPE.pack(
            RECEIPT_MAGIC,
            RECEIPT_VERSION,
            _SUITE_ED25519,
            key_id_bytes(district.public_bytes()),
            len(body),
        )
        + body
    )
    return signed + district.sign(_SIGNATURE_CONTEXT + signed)


def verify_receipt(
    data: bytes, *, district_key: PublicSigningKey, max_bytes: int = MAX_RECEIPT_BYTES
) -> Receipt:
    """Check a receipt's envelope and district signature, then parse its body strictly.

    Args:
        data: The receipt file's bytes.
        district_key: The district's signing key (pinned at enrollment).
        max_bytes: Largest file accepted, checked first.

    Returns:
        The receipt.

    Raises:
        ReceiptRejectedError: ``code`` ``too_large``, ``not_a_receipt``,
            ``unsupported_version``, ``unsupported_suite``, ``truncated``, ``tampered``
            (bytes after the signature), ``bad_signature`` (another key, or any byte changed)
            or ``malformed_content``.
    """
    size = len(data)
    if size > max_bytes:
        _reject(RejectionCode.TOO_LARGE, "The receipt is {size} bytes", size=size)
    data = bytes(data)
    if size < len(RECEIPT_MAGIC):
        if data == RECEIPT_MAGIC[:size]:
            _reject(RejectionCode.TRUNCATED, "The receipt ends inside the magic bytes")
        _reject(RejectionCode.NOT_A_RECEIPT, "The file is not a Simpul receipt")
    if data[: len(RECEIPT_MAGIC)] != RECEIPT_MAGIC:
        _reject(RejectionCode.NOT_A_RECEIPT, "The file is not a Simpul receipt")
    if size < 10:
        _reject(RejectionCode.TRUNCATED, "The receipt ends before its version")
    (version,) = struct.unpack_from(">H", data, 8)
    if version != RECEIPT_VERSION:
        _reject(
            RejectionCode.UNSUPPORTED_VERSION,
            "Receipt format version {version} is not supported",
            version=version,
        )
    if size < 12:
        _reject(RejectionCode.TRUNCATED, "The receipt ends before its suite")
    (suite,) = struct.unpack_from(">H", data, 10)
    if suite != _SUITE_ED25519:
        _reject(
            RejectionCode.UNSUPPORTED_SUITE, "Receipt suite {suite} is not supported", suite=suite
        )
    if size < _ENVELOPE.size:
        _reject(RejectionCode.TRUNCATED, "The receipt ends inside its envelope")
    _, _, _, signer, body_length = _ENVELOPE.unpack_from(data, 0)
    end = _ENVELOPE.size + body_length
    if size < end + SIGNATURE_LENGTH:
        _reject(RejectionCode.TRUNCATED, "The receipt is shorter than its envelope says")
    if size > end + SIGNATURE_LENGTH:
        _reject(RejectionCode.TAMPERED, "The receipt has bytes after its signature")
    expected = key_id_bytes(district_key.public_bytes())
    if signer != expected:
        _reject(
            RejectionCode.BAD_SIGNATURE,
            "The receipt is signed by key {signer_id}, not by the district key {key_id}",
            signer_id=signer.hex(),
            key_id=expected.hex(),
        )
    if not district_key.verify(data[end:], _SIGNATURE_CONTEXT + data[:end]):
        _reject(RejectionCode.BAD_SIGNATURE, "The receipt's signature does not verify")
    try:
        return Receipt.from_json(strict_json(data[_ENVELOPE.size : end]))
    except (JsonFormatError, ValueError, ChangeFormatError) as exc:
        raise ReceiptRejectedError(
            RejectionCode.MALFORMED_CONTENT,
            "The receipt is signed but its content is malformed",
        ) from exc


def merge_ack(old: Receipt | None, new: Receipt) -> Receipt:
    """Combine the acknowledgement held so far with a newly verified receipt.

    The result holds everything either holds (per device, the union of held counters), every
    rejection not since held, every acknowledged bundle id and the later ``issued_at``. The
    merge is commutative, associative and idempotent, so an old receipt replayed, or receipts
    applied out of order, never move acknowledgement back.

    Args:
        old: The acknowledgement the device has stored, or ``None`` for none yet.
        new: The receipt that just verified.

    Returns:
        The new acknowledgement to store.

    Raises:
        ValueError: The receipts are for different devices.
    """
    if old is None:
        return new
    if old.device != new.device:
        raise ValueError(f"receipts for different devices: {old.device!r} and {new.device!r}")
    acks = dict(old.acks)
    for device, ack in new.acks.items():
        acks[device] = acks[device].merge(ack) if device in acks else ack
    rejected = tuple(
        item
        for item in set(old.rejected) | set(new.rejected)
        if not (
            item.change_id.device in acks
            and acks[item.change_id.device].holds(item.change_id.counter)
        )
    )
    return Receipt(
        device=new.device,
        issued_at=max(old.issued_at, new.issued_at),
        acks=acks,
        rejected=rejected,
        bundles=old.bundles + new.bundles,
    )


def compute_receipt_state(held: Iterable[ChangeId]) -> dict[str, DeviceAck]:
    """Summarise held change ids per device, as a receipt reports them.

    Args:
        held: Ids of the changes held (committed); any order, repeats allowed. Whether
            rejected changes count as held is the caller's decision.

    Returns:
        Device id → :class:`DeviceAck` (``high``, ``top`` and ``missing`` ranges), sorted by
        device; devices with nothing held do not appear.
    """
    counters: defaultdict[str, list[int]] = defaultdict(list)
    for change_id in held:
        counters[change_id.device].append(change_id.counter)
    return {device: DeviceAck.from_counters(counters[device]) for device in sorted(counters)}


def acknowledged_ranges(receipt: Receipt | None, device: str) -> tuple[CounterRange, ...]:
    """Return the inclusive counter ranges of ``device`` that ``receipt`` acknowledges.

    Args:
        receipt: A verified (or merged) receipt, or ``None``.
        device: A device id.

    Returns:
        Ascending disjoint ranges; empty if nothing of ``device`` is acknowledged.
    """
    if receipt is None or device not in receipt.acks:
        return ()
    return receipt.acks[device].held_ranges()


def is_acknowledged(receipt: Receipt | None, change_id: ChangeId) -> bool:
    """Whether ``receipt`` acknowledges that the district holds ``change_id``."""
    if receipt is None:
        return False
    ack = receipt.acks.get(change_id.device)
    return ack is not None and ack.holds(change_id.counter)


def _reject(code: RejectionCode, message: str, **params: object) -> NoReturn:
    raise ReceiptRejectedError(code, message, **params)


def _int(value: object) -> int:
    if type(value) is not int:
        raise ValueError("expected an integer")
    return value


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("expected a string")
    return value
