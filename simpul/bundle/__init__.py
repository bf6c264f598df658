"""The sealed sync bundle format and signed receipts (DESIGN.md §5; docs/bundle-format.md).

A pure library: bytes in, bytes out, no files, no database. The server and the desktop use it
to seal village → district and district → village (return) bundles, to open them strictly and
to issue and check receipts.
"""

from simpul.bundle.errors import (
    BundleError,
    BundleRejectedError,
    BundleTooLargeError,
    KeyFormatError,
    ReceiptRejectedError,
    RejectionCode,
)
from simpul.bundle.format import (
    BUNDLE_KINDS,
    DEFAULT_CHUNK_SIZE,
    DEFAULT_LIMITS,
    FORMAT_VERSION,
    MAGIC,
    STANZA_LENGTH,
    SUITE_V1,
    BundleKind,
    BundlePayload,
    Limits,
    OpenedBundle,
    TrustedSigners,
    encode_changes,
    new_bundle_id,
    open_bundle,
    seal_bundle,
)
from simpul.bundle.keys import (
    EncryptionKeyPair,
    PublicEncryptionKey,
    PublicSigningKey,
    SigningKeyPair,
    key_id,
)
from simpul.bundle.receipt import (
    RECEIPT_MAGIC,
    RECEIPT_VERSION,
    CounterRange,
    DeviceAck,
    Receipt,
    RejectedChange,
    acknowledged_ranges,
    compute_receipt_state,
    is_acknowledged,
    merge_ack,
    sign_receipt,
    verify_receipt,
)
from simpul.bundle.split import split_changes

__all__ = [
    "BUNDLE_KINDS",
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_LIMITS",
    "FORMAT_VERSION",
    "MAGIC",
    "RECEIPT_MAGIC",
    "RECEIPT_VERSION",
    "STANZA_LENGTH",
    "SUITE_V1",
    "BundleError",
    "BundleKind",
    "BundlePayload",
    "BundleRejectedError",
    "BundleTooLargeError",
    "CounterRange",
    "DeviceAck",
    "EncryptionKeyPair",
    "KeyFormatError",
    "Limits",
    "OpenedBundle",
    "PublicEncryptionKey",
    "PublicSigningKey",
    "Receipt",
    "ReceiptRejectedError",
    "RejectedChange",
    "RejectionCode",
    "SigningKeyPair",
    "TrustedSigners",
    "acknowledged_ranges",
    "compute_receipt_state",
    "encode_changes",
    "is_acknowledged",
    "key_id",
    "merge_ack",
    "new_bundle_id",
    "open_bundle",
    "seal_bundle",
    "sign_receipt",
    "split_changes",
    "verify_receipt",
]
