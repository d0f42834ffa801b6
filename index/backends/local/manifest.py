"""The manifest: the commit point of an index, written last and replaced atomically."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.backends.local.layout import FORMAT_VERSION, READABLE_FORMATS, IndexLayout
from index.errors import IndexFormatError, IndexNotFoundError

if TYPE_CHECKING:
    from index.backends.local.store import ArticleStore


@dataclass
class Manifest:
    model: str
    dim: int
    embedded_text: str
    analysis: str
    format_version: int = FORMAT_VERSION
    articles: int = 0
    # The committed state readers open, as a whole: this whoosh generation with this vector file
    # (relative to the index folder). None in manifests written before snapshots were named.
    keyword_generation: int | None = None
    vector_file: str | None = None
    # How the vector index centers the embeddings of an archive of several languages: the language
    # means and what they were taken over (``index.backends.local.centering``). None in an archive
    # of one language and in manifests written before centering (the next ingest or a rebuild adds it).
    centering: dict[str, Any] | None = None
    created: str = field(default_factory=lambda: _now())
    updated: str = field(default_factory=lambda: _now())

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# multilingual-e5-small's dimension, to suggest it for an older store of 384-d embeddings.
_DEFAULT_MODEL_DIM = 384


class _Unreadable(Exception):
    """The manifest is there but cannot be used: not JSON, not an object, or fields missing or mistyped."""


# Field types a usable manifest must have (a truncated or hand-edited file fails here, not deep inside).
_REQUIRED: dict[str, type] = {"model": str, "dim": int, "embedded_text": str, "analysis": str}
_OPTIONAL: dict[str, tuple[type, ...]] = {
    "articles": (int,),
    "keyword_generation": (int, type(None)),
    "vector_file": (str, type(None)),
    "centering": (dict, type(None)),
    "created": (str,),
    "updated": (str,),
}


def _parse(layout: IndexLayout) -> Manifest:
    """The manifest; ``_Unreadable`` when damaged, ``IndexFormatError`` when of another format version."""
    try:
        data = json.loads(layout.manifest.read_bytes().decode("utf-8"))
    except (OSError, ValueError) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise _Unreadable("it is not valid JSON (truncated or overwritten)") from exc
    if not isinstance(data, dict):
        raise _Unreadable("it is not a JSON object")
    version = data.get("format_version")
    if version not in READABLE_FORMATS or isinstance(version, bool):
        raise IndexFormatError(
            f"index at {layout.root} has format version {version}, this news-search reads version "
            f"{' or '.join(map(str, READABLE_FORMATS))}: rebuild it with `{layout.rebuild_command()}` or use the matching release"
        )
    for name, kind in _REQUIRED.items():
        if not isinstance(data.get(name), kind) or isinstance(data.get(name), bool):
            raise _Unreadable(f"its {name!r} is missing or not a {kind.__name__}")
    for name, kinds in _OPTIONAL.items():
        if name in data and not isinstance(data[name], kinds):
            raise _Unreadable(f"its {name!r} has the wrong type")
    known = Manifest.__dataclass_fields__
    return Manifest(**{k: v for k, v in data.items() if k in known})


def read_manifest(layout: IndexLayout) -> Manifest:
    """The manifest, for readers: a missing or damaged one is an error that names the repair command."""
    if not layout.manifest.exists():
        if layout.store.exists():
            articles = _stored_articles(layout)
            if articles:
                raise IndexFormatError(
                    f"the index at {layout.root} has lost its manifest.json (its store holds {articles} articles): "
                    f"{repair_advice(layout)}"
                )
            raise IndexFormatError(
                f"the index at {layout.root} has no manifest: its first build never finished. Run the same "
                f"`{layout.command('index', 'PATH...')}` command again to complete it"
            )
        raise IndexNotFoundError(
            f"no index at {layout.root}: build one with `news-search index PATH...` "
            "(or point --index / NEWS_SEARCH_INDEX at an existing one)"
        )
    try:
        return _parse(layout)
    except _Unreadable as exc:
        if not layout.store.exists():
            from index.backends.local.store import missing_store_message

            raise IndexFormatError(missing_store_message(layout.store)) from None
        raise IndexFormatError(
            f"the manifest.json of the index at {layout.root} is damaged ({exc}): {repair_advice(layout)}"
        ) from None


def read_manifest_if_usable(layout: IndexLayout) -> Manifest | None:
    """The manifest, for the writer: None when it is missing or damaged (the writer then restores it
    from the store); an index of another format version is still refused (``take_over_other_format``)."""
    if not layout.manifest.exists():
        return None
    try:
        return _parse(layout)
    except _Unreadable:
        return None


def repair_advice(layout: IndexLayout) -> str:
    """What to run to write a correct manifest from the store: the plain rebuild when the store tells
    its model (it records it, or an older store's embeddings show it), else the rebuild naming one."""
    from index.backends.local.store import ArticleStore

    try:
        store = ArticleStore(layout.store, readonly=True)
    except IndexFormatError:
        return f"run `{layout.rebuild_command()}` to restore it from the stored articles"
    try:
        dim = store.embedding_dim()
        known = store.recipe() is not None or dim is None or identify_model(store) is not None
    finally:
        store.close()
    if known:
        return f"run `{layout.rebuild_command()}` to restore it from the stored articles"
    return f"{unknown_model_advice(layout, dim)} to restore it from the stored articles"


def unknown_model_advice(layout: IndexLayout, dim: int | None) -> str:
    """The rebuild naming the model, for an older store that does not record it."""
    from index.embed.loading import DEFAULT_MODEL

    hint = ""
    if dim == _DEFAULT_MODEL_DIM:  # said without loading the model, which can take a minute the first time
        hint = f"; {DEFAULT_MODEL}, the default, makes {dim}"
    return (
        f"its store, written by an older release, does not record which model embedded its articles "
        f"({dim}-dimensional embeddings{hint}): run `{layout.rebuild_command(model='NAME')}` with that model's name"
    )


def identify_model(store: ArticleStore) -> tuple[str, str] | None:
    """(model, embedded-text recipe) of an older store that does not record them, when its embeddings
    prove it: the model-free hashing encoder is re-run on the oldest article and must give back its
    stored embedding. A trained model is not guessed: several share a dimension (e5-small and
    MiniLM are both 384-d), and loading one to check could take a minute."""
    import numpy as np

    from index.embed.base import LEAD_CHARS, embedding_input
    from index.embed.hashing import HashingEncoder

    first = store.embedding_of_first_article()
    if first is None:
        return None
    article, stored = first
    encoder = HashingEncoder(len(stored))
    for recipe in LEAD_CHARS:
        vector = encoder.encode_documents([embedding_input(article, recipe)])[0]
        if np.allclose(vector, stored, atol=1e-6):
            return encoder.name, recipe
    return None


def _stored_articles(layout: IndexLayout) -> int:
    from index.backends.local.store import ArticleStore

    try:
        store = ArticleStore(layout.store, readonly=True)
    except IndexFormatError:
        return 0
    try:
        return store.count()
    except Exception:  # a store too damaged to count: the caller reports what it can
        return 0
    finally:
        store.close()


def write_manifest(layout: IndexLayout, manifest: Manifest) -> None:
    """Write to a temporary file, fsync, then rename over the old one: readers see old or new, never half."""
    manifest.updated = _now()
    manifest.format_version = FORMAT_VERSION  # an index read as version 1 is written as this release writes it
    payload = json.dumps(manifest.to_dict(), indent=2, sort_keys=True) + "\n"
    write_atomic(layout.manifest, payload.encode("utf-8"))


def write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def take_over_other_format(layout: IndexLayout) -> bool:
    """Let ``news-search index --rebuild`` take over an index written by another format version.

    The store is the source of truth and is kept; the derived indexes, whose format is what
    changed, are deleted, and the manifest is rewritten with this release's version. The writer
    then finds the derived indexes empty and its rebuild re-derives both from the store, so nothing
    is re-crawled. Returns True when the index was taken over. The caller holds the write lock
    (``index.backends.local.lock``).
    """
    import shutil

    try:
        data = json.loads(layout.manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False  # no manifest or an unreadable one: opening reports it
    if not isinstance(data, dict) or data.get("format_version") in READABLE_FORMATS or not layout.store.exists():
        return False
    shutil.rmtree(layout.keyword_dir, ignore_errors=True)
    for old in layout.vector_dir.glob("*.faiss"):
        old.unlink()
    data.update(format_version=FORMAT_VERSION, keyword_generation=None, vector_file=None)
    write_atomic(layout.manifest, (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    return True
