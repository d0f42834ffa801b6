"""What a writer finds when it opens a folder: the manifest that agrees with the store, or a refusal.

The store is the source of truth. A missing or damaged manifest is written again from it (its
recorded recipe, or for a store from before recipes the dimension of its embeddings and a model
they prove or the one asked for), never made up from the defaults: that is how a lost hashing-256
manifest once came back claiming e5's 384. Deciding it writes nothing: the writer reports the
difference as a problem, and its ``repair`` or ``rebuild`` commits the corrected manifest.
"""

from __future__ import annotations

from collections.abc import Callable

from index.backends.local.layout import IndexLayout
from index.backends.local.manifest import Manifest, identify_model, unknown_model_advice
from index.backends.local.store import ArticleStore
from index.embed.base import EMBEDDED_TEXT, LEAD_CHARS, Encoder
from index.errors import IndexFormatError, ModelMismatchError


def new_manifest(load_encoder: Callable[[], Encoder], analysis: str) -> Manifest:
    """The manifest of a new index: the encoder's name and dimension, this release's embedded text."""
    encoder = load_encoder()
    return Manifest(model=encoder.name, dim=encoder.dim, embedded_text=EMBEDDED_TEXT, analysis=analysis)


def agreeing_manifest(
    layout: IndexLayout,
    store: ArticleStore,
    manifest: Manifest | None,
    requested: str | None,
    load_encoder: Callable[[], Encoder],
    analysis: str,
) -> Manifest:
    """The manifest to commit for an existing store: ``manifest`` (the one on disk) when it agrees
    with what the store holds, else one written from the store. ``requested`` is the model asked
    for (None: whatever the index was built with); ``load_encoder`` loads it, only where needed."""
    root = layout.root
    if manifest is not None and manifest.embedded_text not in LEAD_CHARS:
        raise IndexFormatError(
            f"index at {root} embeds {manifest.embedded_text!r}, which this release does not know: "
            "index your pages into a new folder"
        )
    recipe = store.recipe()
    stored_dim = store.embedding_dim()
    if recipe is not None:
        if manifest is None:
            manifest = Manifest(recipe.model, recipe.dim, recipe.embedded_text, recipe.analysis)
        elif (manifest.model, manifest.dim, manifest.embedded_text) != (recipe.model, recipe.dim, recipe.embedded_text):
            # Edited, or written by a release that guessed: the store says how its articles were
            # embedded. The vector file the manifest names then fails to load and is re-derived.
            manifest.model, manifest.dim, manifest.embedded_text = recipe.model, recipe.dim, recipe.embedded_text
    elif stored_dim is None:
        if manifest is None:  # nothing stored yet: a first build that never finished
            manifest = new_manifest(load_encoder, analysis)
    elif manifest is None or manifest.dim != stored_dim:
        manifest = _for_older_store(layout, store, manifest, stored_dim, requested, load_encoder, analysis)
    if requested is not None and requested != manifest.model:
        raise ModelMismatchError(
            f"index at {root} was built with model {manifest.model!r}, not {requested!r}: "
            "leave out --model, or build a new index in another folder"
        )
    return manifest


def _for_older_store(
    layout: IndexLayout,
    store: ArticleStore,
    manifest: Manifest | None,
    stored_dim: int,
    requested: str | None,
    load_encoder: Callable[[], Encoder],
    analysis: str,
) -> Manifest:
    """A store from before recipes were recorded, whose manifest is lost or claims another dimension."""
    proven = identify_model(store)
    if requested is not None:
        encoder = load_encoder()
        if encoder.dim != stored_dim:
            raise ModelMismatchError(
                f"the index at {layout.root} holds {stored_dim}-dimensional embeddings, and model {encoder.name!r} "
                f"makes {encoder.dim}: run `{layout.rebuild_command(model='NAME')}` with the model it was built with"
            )
        name = encoder.name
        if proven is not None and proven[0] == name:
            embedded_text = proven[1]
        else:
            embedded_text = manifest.embedded_text if manifest is not None else EMBEDDED_TEXT
    elif proven is not None:
        name, embedded_text = proven
    else:
        what = (
            "has lost its manifest.json"
            if manifest is None
            else f"has a manifest.json that says {manifest.dim}-dimensional {manifest.model!r} embeddings, "
            "which its store does not hold"
        )
        raise IndexFormatError(f"the index at {layout.root} {what}; {unknown_model_advice(layout, stored_dim)}")
    return Manifest(name, stored_dim, embedded_text, manifest.analysis if manifest is not None else analysis)
