"""A snapshot to bytes and back: msgspec's MessagePack (typed: decoding gives the panes' dataclasses again), then
zstd, with a dictionary trained on the recording's own snapshots once there are enough of them (dolphie's way:
consecutive snapshots share almost everything, and a dictionary lets each one be compressed alone, so any
moment decodes without its neighbours)."""

from __future__ import annotations

import msgspec
import zstandard

from console.recording.model import Stored

LEVEL = 19
DICT_BYTES = 112 * 1024
TRAIN_AFTER = 32  # snapshots compressed without a dictionary before the first one is trained
RETRAIN_EVERY = 1440  # a new dictionary after this many snapshots (a day at one a minute): content drifts

_ENCODER = msgspec.msgpack.Encoder()
_DECODER = msgspec.msgpack.Decoder(Stored)


class CodecError(Exception):
    """The bytes are not a snapshot this version can read."""


def encode(stored: Stored) -> bytes:
    """The snapshot as MessagePack (uncompressed)."""
    return _ENCODER.encode(stored)


def compress(raw: bytes, dictionary: bytes | None) -> bytes:
    compressor = zstandard.ZstdCompressor(level=LEVEL, dict_data=_dict(dictionary))
    return compressor.compress(raw)


def decompressor(dictionary: bytes | None) -> zstandard.ZstdDecompressor:
    """A decompressor for snapshots compressed with `dictionary` (keep it: loading a dictionary costs)."""
    return zstandard.ZstdDecompressor(dict_data=_dict(dictionary))


def decode(blob: bytes, dictionary: bytes | zstandard.ZstdDecompressor | None) -> Stored:
    """The typed snapshot from its compressed bytes; CodecError when they do not decode."""
    try:
        reader = dictionary if isinstance(dictionary, zstandard.ZstdDecompressor) else decompressor(dictionary)
        return _DECODER.decode(reader.decompress(blob))
    except (zstandard.ZstdError, msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise CodecError(str(exc)) from None


def train(samples: list[bytes]) -> bytes | None:
    """A dictionary trained on raw snapshots, or None when zstd finds too little to learn from. Each snapshot is
    also offered in 4 KiB pieces: zstd's trainer wants many samples, a recording starts with few."""
    pieces: list[bytes | bytearray | memoryview[int]] = [s[i:i + 4096] for s in samples for i in range(0, len(s), 4096)]
    try:
        trained = zstandard.train_dictionary(DICT_BYTES, pieces, level=LEVEL)
    except zstandard.ZstdError:
        return None
    return trained.as_bytes()


def _dict(data: bytes | None) -> zstandard.ZstdCompressionDict | None:
    return zstandard.ZstdCompressionDict(data) if data else None
