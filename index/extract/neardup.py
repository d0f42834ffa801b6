"""Near-duplicate detection: MinHash signatures over word shingles, bucketed by LSH bands.

Wire stories are republished by many portals with small edits (another headline, a trailing
paragraph, a changed word), so exact hashes miss them. Each article body gets a MinHash signature
of its word 3-grams; articles that share any LSH band are candidates, confirmed when their
estimated Jaccard similarity (or containment, for a copy with paragraphs added) is high enough.

Everything here is a pure function of the text, deterministic across processes and runs (no
Python ``hash``), so the signature can be computed in an extraction worker.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass

import numpy as np

from index.article import normalize_text

SHINGLE_WORDS = 3
BANDS = 20
ROWS = 5
NUM_HASHES = BANDS * ROWS
# With 20 bands of 5 rows, a pair at Jaccard 0.6 becomes a candidate with probability 0.80, at 0.7
# with 0.98 and at 0.8 with 0.9996; pairs below 0.3 rarely do, so confirmation stays cheap.
MIN_JACCARD = 0.7
# A republished story with a paragraph or two added: nearly all of the shorter text is in the longer.
MIN_CONTAINMENT = 0.9
MIN_JACCARD_FOR_CONTAINMENT = 0.5

_rng = np.random.default_rng(20240515)  # fixed seed: signatures must match across runs and processes
_MULTIPLIERS = (_rng.integers(1, 2**63, NUM_HASHES, dtype=np.uint64) * np.uint64(2) + np.uint64(1)).reshape(-1, 1)
_OFFSETS = _rng.integers(0, 2**63, NUM_HASHES, dtype=np.uint64).reshape(-1, 1)
_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9))


@dataclass(frozen=True)
class Signature:
    """MinHash of an article body: ``NUM_HASHES`` 32-bit minima and the number of distinct shingles."""

    values: np.ndarray  # uint32, shape (NUM_HASHES,)
    shingles: int

    def band_keys(self) -> list[int]:
        """One signed 64-bit key per LSH band (SQLite integers are signed)."""
        keys = []
        for band in range(BANDS):
            chunk = self.values[band * ROWS : (band + 1) * ROWS].tobytes()
            digest = hashlib.blake2b(chunk, digest_size=8, person=band.to_bytes(2, "little") + b"nsband").digest()
            keys.append(int.from_bytes(digest, "little", signed=True))
        return keys

    def to_bytes(self) -> bytes:
        return np.ascontiguousarray(self.values, dtype=np.uint32).tobytes()

    @classmethod
    def from_bytes(cls, blob: bytes, shingles: int) -> Signature:
        return cls(np.frombuffer(blob, dtype=np.uint32).copy(), shingles)


def signature(text: str) -> Signature | None:
    """The MinHash of a body, or None when it has too few words to compare meaningfully."""
    words = normalize_text(text).split()
    if len(words) < SHINGLE_WORDS:
        return None
    word_hashes = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))
    n = len(words) - SHINGLE_WORDS + 1
    shingles = word_hashes[:n] * _MIX[0]
    for offset in range(1, SHINGLE_WORDS):
        shingles = (shingles ^ (word_hashes[offset : offset + n] * _MIX[offset])) * _MIX[2]
    shingles = np.unique(shingles)
    # Multiply-shift hashing: the top 32 bits of a*x+b (mod 2^64) for odd a are a universal family.
    with np.errstate(over="ignore"):
        hashed = (_MULTIPLIERS * shingles.reshape(1, -1) + _OFFSETS) >> np.uint64(32)
    return Signature(hashed.min(axis=1).astype(np.uint32), len(shingles))


def jaccard(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    return float(np.count_nonzero(a.values == b.values)) / NUM_HASHES


def containment(a: Signature, b: Signature, similarity: float | None = None) -> float:
    """Estimated share of the smaller shingle set found in the larger one."""
    j = jaccard(a, b) if similarity is None else similarity
    smaller = min(a.shingles, b.shingles)
    if smaller == 0:
        return 0.0
    intersection = j / (1.0 + j) * (a.shingles + b.shingles)
    return min(1.0, intersection / smaller)


def is_near_duplicate(a: Signature, b: Signature) -> tuple[bool, float]:
    """Whether two bodies tell the same story with small edits, and their estimated Jaccard."""
    j = jaccard(a, b)
    if j >= MIN_JACCARD:
        return True, j
    return j >= MIN_JACCARD_FOR_CONTAINMENT and containment(a, b, j) >= MIN_CONTAINMENT, j
