"""A torch-free encoder: an ONNX model run by onnxruntime, text split by ``tokenizers``.

The model directory holds ``model.onnx`` (pooling and normalization inside the graph),
``tokenizer.json`` and ``encoder.json`` (name, dimension, prefixes, maximum length). Documents
and queries go through this same pipeline, so their embeddings are comparable by construction.
Importing onnxruntime costs about 0.1 s against several seconds for torch.

Two optional files make a cold start fast (both written by the one-time build, ``index.embed.e5``):

- ``words.npy``: the word-embedding table taken out of the graph (float16, memory-mapped). A
  multilingual vocabulary makes it 96M of the model's 118M parameters; inside the graph, onnxruntime
  spends most of a second loading it on every start. Outside, each run feeds only the rows its text
  uses, under local ids, to the graph input named by ``encoder.json``'s ``word_embeddings_input``.
- ``query-vocab.npz``: the unigram vocabulary as sorted UTF-8 bytes. Parsing the 250k-piece
  ``tokenizer.json`` takes about 0.6 s; a short query instead gets a tokenizer built from only the
  pieces that occur inside its words (plus the lowest-scored piece, which sets the penalty for
  unknown characters). Unigram segmentation only ever considers pieces that match inside a word, so
  the ids are exactly those of the full tokenizer (tests/cli/test_cold_start.py checks it on real text).

A warm single query is mostly the model's run (a few ms): the per-query tokenizer keeps the ids of
words it has seen, a query runs on a single-threaded session of its own (see ``OnnxEncoder._run``),
and the embeddings of recent single queries are kept (tests/embed/test_query_encoding_speed.py).
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import ModelLoadError

WORDS_FILE = "words.npy"
QUERY_VOCAB_FILE = "query-vocab.npz"
# Batches up to this many texts use the per-query tokenizer while the full one is not loaded.
SMALL_BATCH = 8
# Texts of at most this many tokens (a query) run on a single-threaded session.
LIGHT_TOKENS = 64
QUERY_CACHE = 256  # recent single queries whose embedding is kept (1.5 KB each)
WORD_CACHE = 16384  # words whose token ids QueryVocabulary keeps (a few MB at most)
_MAX_PIECE_CHARS = 24  # substrings longer than the longest piece are not looked up (e5: 16)


@dataclass(frozen=True)
class EncoderConfig:
    name: str
    dim: int
    max_length: int = 256
    query_prefix: str = ""
    passage_prefix: str = ""
    pad_id: int = 0
    pad_token: str = "[PAD]"
    output: str = "sentence_embedding"
    word_embeddings_input: str = ""  # set when the table lives in words.npy instead of the graph
    format: int = 1  # of a converted directory (index.embed.loading.E5_FORMAT_VERSION); 1 predates the field

    @classmethod
    def read(cls, directory: Path) -> EncoderConfig:
        data = json.loads((directory / "encoder.json").read_text(encoding="utf-8"))
        known = cls.__dataclass_fields__
        return cls(**{key: value for key, value in data.items() if key in known})


class OnnxEncoder:
    def __init__(self, directory: Path, *, threads: int | None = None) -> None:
        self.directory = directory
        try:
            self.config = EncoderConfig.read(directory)
        except (OSError, ValueError, TypeError) as exc:
            raise ModelLoadError(f"no usable ONNX encoder in {directory}: {exc}") from exc
        self._threads = threads or min(os.cpu_count() or 1, 4)
        # onnxruntime execution providers, in order of preference (a Ray ingest sets CUDA first on a GPU node).
        self.providers: list[str] = ["CPUExecutionProvider"]
        self._session: Any = None  # `threads` threads: articles
        self._light_session: Any = None  # one thread: small inputs (see _run)
        self._tokenizer: Any = None
        self._words: np.ndarray | None = None
        self._query_vocab: QueryVocabulary | None = None
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self._recent_lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def dim(self) -> int:
        return self.config.dim

    @property
    def revision(self) -> str:
        """What tells two conversions of the same model apart (their vectors differ slightly), for caches
        of what it embedded."""
        return f"format {self.config.format}"

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode([self.config.passage_prefix + t for t in texts])

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) != 1:
            return self._encode([self.config.query_prefix + t for t in texts])
        # A repeated query (the next page, a refresh, a facet click) skips the model.
        text = self.config.query_prefix + texts[0]
        with self._recent_lock:
            vector = self._recent.get(text)
            if vector is not None:
                self._recent.move_to_end(text)
                return vector.reshape(1, -1).copy()
        fresh: np.ndarray = self._encode([text])[0]
        fresh.flags.writeable = False  # shared by later hits, which get copies
        with self._recent_lock:
            self._recent[text] = fresh
            while len(self._recent) > QUERY_CACHE:
                self._recent.popitem(last=False)
        return fresh.reshape(1, -1).copy()

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """The ids the model is fed for each text (truncated, with the special tokens)."""
        if self._tokenizer is None and len(texts) <= SMALL_BATCH:
            vocab = self._small_batch_vocabulary()
            if vocab is not None:
                found = [vocab.encode(t) for t in texts]
                if all(ids is not None for ids in found):
                    return [ids for ids in found if ids is not None]
        return [e.ids for e in self._full_tokenizer().encode_batch(list(texts))]

    def _encode(self, texts: list[str]) -> np.ndarray:
        """Each text run through the model on its own, never padded into a batch with others.

        The int8 graph quantizes its activations dynamically: each run scales them by the range of
        the whole input tensor, padding and batch-mates included. Batched (sorted by length, padded
        batches of 32), a text's embedding moved with its batch-mates: cosine down to 0.9971 between
        two orders of the same 320 articles, a query in an evaluation batch was not the one a search
        embeds alone (MRR@10 of our 300 Indonesian translations moved by 0.01), and a resumed or
        clustered ingest could not give a clean run's vectors. Alone, an embedding depends on its
        text only, is closer to the float model (mean cosine 0.9973 against 0.9968), and costs
        nothing: 37-41 articles a second against 29-36 batched, alternated in one run on this
        2-core machine (``benchmarks/encoder_batching.py``), as padding is gone.
        """
        result = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:  # nothing to tokenize: no tokenizer loaded for it
            return result
        for row, encoding in enumerate(self.token_ids(texts)):
            result[row] = self._run(self._feed(encoding), len(encoding))[0]
        return result

    def _feed(self, encoding: Sequence[int]) -> dict[str, np.ndarray]:
        """The graph's inputs for one text's token ids."""
        ids = np.array([encoding], dtype=np.int64)
        mask = np.ones_like(ids)
        if not self.config.word_embeddings_input:
            return {"input_ids": ids, "attention_mask": mask}
        if self._words is None:
            try:
                self._words = np.load(self.directory / WORDS_FILE, mmap_mode="r")
            except (OSError, ValueError) as exc:
                raise ModelLoadError(f"cannot load the word embeddings in {self.directory}: {exc}") from exc
        # Only the rows this text uses, in order and renumbered 0..n-1: a few KB instead of the whole
        # table (a repeated token costs less than finding the unique ones).
        table = np.asarray(self._words[ids[0]], dtype=np.float32)
        return {
            "input_ids": np.arange(ids.size, dtype=np.int64).reshape(ids.shape),
            "attention_mask": mask,
            self.config.word_embeddings_input: table,
        }

    def _run(self, feed: dict[str, np.ndarray], tokens: int) -> np.ndarray:
        """The model's output for one text of ``tokens`` tokens.

        An article runs on ``threads`` threads; a small input (a query) on a light single-threaded
        session. A query's dozen tokens give each operator too little work to split, and the
        threads' hand-offs wait for a descheduled thread when the cores are shared: on this 2-core
        machine with other work running, a query took p50/p95 about 4/8 ms on one thread against
        4-6/9-17 ms on two spinning threads. Two threads are ahead only on an idle machine (about
        2.2 against 3.3 ms); set LIGHT_TOKENS to 0 to prefer that. A small input never loads the
        light session beside an already loaded one, so an ingest's short articles cost
        no second model in memory (about 30 MB), and a one-shot query loads only the light one.
        """
        small = tokens <= LIGHT_TOKENS and (self._light_session is not None or self._session is None)
        if self._threads > 1 and small:
            if self._light_session is None:
                self._light_session = self._new_session(1)
            session = self._light_session
        else:
            session = self._load_session()
        output: np.ndarray = session.run([self.config.output], feed)[0]
        return output

    def _load_session(self) -> Any:
        if self._session is None:
            self._session = self._new_session(self._threads)
        return self._session

    def _new_session(self, threads: int) -> Any:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        try:
            return ort.InferenceSession(str(self.directory / "model.onnx"), options, providers=self.providers)
        except Exception as exc:  # onnxruntime raises its own exception types
            raise ModelLoadError(f"cannot load the ONNX encoder in {self.directory}: {exc}") from exc

    def _full_tokenizer(self) -> Any:
        if self._tokenizer is None:
            from tokenizers import Tokenizer

            try:
                tokenizer = Tokenizer.from_file(str(self.directory / "tokenizer.json"))
            except Exception as exc:  # tokenizers raises a bare Exception for a bad file
                raise ModelLoadError(f"cannot load the tokenizer in {self.directory}: {exc}") from exc
            tokenizer.enable_truncation(max_length=self.config.max_length)
            tokenizer.no_padding()  # each text runs alone (_encode): never padded
            self._tokenizer = tokenizer
        return self._tokenizer

    def _small_batch_vocabulary(self) -> QueryVocabulary | None:
        if self._query_vocab is None:
            path = self.directory / QUERY_VOCAB_FILE
            if not path.is_file():
                return None
            try:
                self._query_vocab = QueryVocabulary(path, self.directory / "tokenizer.json", self.config.max_length)
            except (OSError, ValueError, KeyError) as exc:
                raise ModelLoadError(f"cannot load the query vocabulary in {self.directory}: {exc}") from exc
        return self._query_vocab


class QueryVocabulary:
    """Tokenizes short texts with a unigram model holding only the pieces their words can use.

    A unigram tokenizer segments each pre-tokenized word on its own, so the ids of a word are cached
    (``WORD_CACHE`` words, least recently used out): the words of most queries are all known, and a
    query then costs a normalization and a few dict look-ups. Unknown words are segmented by a
    ``tokenizers`` Unigram model built from only the pieces inside them (plus the special pieces and
    the lowest-scored one, which sets the penalty for unknown characters) and the special tokens are
    added as the post-processor adds them. Rebuilding a whole ``Tokenizer`` from JSON per query took
    about half a millisecond, mostly in parsing the normalizer's 60 KB character map.
    """

    def __init__(self, vocab_file: Path, tokenizer_file: Path, max_length: int) -> None:
        from tokenizers import Tokenizer

        with np.load(vocab_file) as data:
            self._sorted = data["pieces"]  # fixed-width UTF-8, sorted: one searchsorted per query
            self._ids = data["ids"]
            self._scores = data["scores"]
        # tokenizer.json without its vocabulary: normalizer, pre-tokenizer, post-processor, special tokens.
        self._skeleton = _read_skeleton(tokenizer_file)
        self._specials = {token["content"]: int(token["id"]) for token in self._skeleton["added_tokens"]}
        model = self._skeleton["model"]
        self._unk = int(model["unk_id"])
        self._byte_fallback = bool(model.get("byte_fallback", False))
        self._floor = int(np.argmin(self._scores))  # the unknown-piece penalty is relative to it
        self._always = sorted(set(self._specials.values()) | {self._floor, self._unk})
        self._position_of = np.empty(len(self._ids), dtype=np.int64)  # global id -> sorted position
        self._position_of[self._ids] = np.arange(len(self._ids))
        specials = sorted(self._specials.values())
        splitter = Tokenizer.from_str(json.dumps(self._with_vocabulary(specials)))
        self._normalizer = splitter.normalizer
        self._pre_tokenizer = splitter.pre_tokenizer
        # What the post-processor puts around a single text, read off a probe (its one word is unknown).
        probe = splitter.encode("a")
        content = [n for n, special in enumerate(probe.special_tokens_mask) if not special]
        if not content:
            raise ValueError("cannot tell the post-processor's special tokens from the text")
        self._prefix = [specials[i] for i in probe.ids[: content[0]]]
        self._suffix = [specials[i] for i in probe.ids[content[-1] + 1 :]]
        # Truncation keeps room for the special tokens, as the full tokenizer's does.
        self._room = max_length - len(self._prefix) - len(self._suffix)
        if self._room < 0:
            raise ValueError(f"max_length {max_length} leaves no room beside the special tokens")
        self._words: OrderedDict[str, tuple[int, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def encode(self, text: str) -> list[int] | None:
        """The full tokenizer's ids for ``text``, or None when a special token occurs in it."""
        if any(special in text for special in self._specials):
            return None  # added tokens split the text before normalization: leave it to the full tokenizer
        normalized = self._normalizer.normalize_str(text) if self._normalizer is not None else text
        if any(special in normalized for special in self._specials):
            return None  # an added token marked "normalized" would match here: leave it to the full tokenizer
        words = [word for word, _ in self._pre_tokenizer.pre_tokenize_str(normalized)]
        known = self._cached(words)
        missing = [word for word in dict.fromkeys(words) if word not in known]
        if missing:
            known.update(self._segment(missing))
        content = [piece for word in words for piece in known[word]]
        return self._prefix + content[: self._room] + self._suffix

    def _cached(self, words: list[str]) -> dict[str, tuple[int, ...]]:
        with self._lock:
            found = {}
            for word in words:
                ids = self._words.get(word)
                if ids is not None:
                    self._words.move_to_end(word)
                    found[word] = ids
            return found

    def _segment(self, words: list[str]) -> dict[str, tuple[int, ...]]:
        """Each word's global ids, from a unigram model of the pieces that occur inside the words."""
        from tokenizers.models import Unigram

        candidates = {
            word[start:end].encode("utf-8")
            for word in words
            for start in range(len(word))
            for end in range(start + 1, min(len(word), start + _MAX_PIECE_CHARS) + 1)
        }
        chosen = sorted(set(self._always) | set(self._lookup(candidates)))  # local id n is chosen[n]
        by_id = self._pieces_by_id(chosen)
        vocab = [(by_id[g], float(self._scores[g])) for g in chosen]
        model = Unigram(vocab, chosen.index(self._unk), self._byte_fallback)
        segmented = {word: tuple(chosen[token.id] for token in model.tokenize(word)) for word in words}
        with self._lock:
            self._words.update(segmented)
            while len(self._words) > WORD_CACHE:
                self._words.popitem(last=False)
        return segmented

    def _lookup(self, candidates: set[bytes]) -> list[int]:
        """Global ids of the candidates that are pieces of the vocabulary."""
        width = self._sorted.dtype.itemsize
        keys = np.array([c for c in candidates if len(c) <= width], dtype=self._sorted.dtype)
        if len(keys) == 0:
            return []
        positions = np.minimum(np.searchsorted(self._sorted, keys), len(self._sorted) - 1)
        found = self._sorted[positions] == keys
        return [int(i) for i in self._ids[positions[found]]]

    def _with_vocabulary(self, chosen: Sequence[int]) -> dict[str, Any]:
        """The skeleton with a vocabulary of the ``chosen`` global ids, renumbered 0..n-1."""
        local = {global_id: n for n, global_id in enumerate(chosen)}
        by_id = self._pieces_by_id(chosen)
        spec = dict(self._skeleton)
        model = dict(spec["model"])
        model["vocab"] = [[by_id[g], float(self._scores[g])] for g in chosen]
        model["unk_id"] = local[model["unk_id"]]
        spec["model"] = model
        spec["added_tokens"] = [dict(token, id=local[token["id"]]) for token in spec["added_tokens"]]
        spec["post_processor"] = _renumber(spec["post_processor"], local)
        return spec

    def _pieces_by_id(self, chosen: Sequence[int]) -> dict[int, str]:
        return {g: bytes(self._sorted[self._position_of[g]]).decode("utf-8") for g in chosen}


def _read_skeleton(tokenizer_file: Path) -> dict[str, Any]:
    """tokenizer.json minus the vocabulary, cached beside it: the full parse is what we avoid."""
    skeleton_file = tokenizer_file.with_name("tokenizer-skeleton.json")
    data: dict[str, Any] = json.loads(skeleton_file.read_text(encoding="utf-8"))
    return data


def _renumber(processor: Any, local: dict[int, int]) -> Any:
    """Special-token ids inside a post-processor, mapped to the subset's local ids."""
    if isinstance(processor, dict):
        result = {key: _renumber(value, local) for key, value in processor.items()}
        if "ids" in processor and isinstance(processor["ids"], list):
            result["ids"] = [local[i] for i in processor["ids"]]
        for key in ("cls", "sep"):  # BertProcessing / RobertaProcessing: [token, id]
            if key in processor and isinstance(processor[key], list) and len(processor[key]) == 2:
                result[key] = [processor[key][0], local[processor[key][1]]]
        return result
    if isinstance(processor, list):
        return [_renumber(item, local) for item in processor]
    return processor


def write_query_vocabulary(directory: Path) -> None:
    """Write ``query-vocab.npz`` and ``tokenizer-skeleton.json`` from a unigram ``tokenizer.json``."""
    spec = json.loads((directory / "tokenizer.json").read_text(encoding="utf-8"))
    if spec["model"]["type"] != "Unigram":
        raise ValueError(f"the per-query tokenizer needs a Unigram model, not {spec['model']['type']}")
    vocab = spec["model"]["vocab"]
    encoded = [piece.encode("utf-8") for piece, _ in vocab]
    if any(b"\0" in piece for piece in encoded):  # numpy's fixed-width bytes drop trailing NULs
        raise ValueError("a piece holds a NUL byte")
    order = sorted(range(len(encoded)), key=encoded.__getitem__)
    pieces = np.array([encoded[i] for i in order])  # dtype S<longest>, in byte order like searchsorted
    scores = np.array([score for _, score in vocab], dtype=np.float64)
    np.savez(directory / QUERY_VOCAB_FILE, pieces=pieces, ids=np.array(order, dtype=np.int32), scores=scores)
    spec["model"] = dict(spec["model"], vocab=[])
    (directory / "tokenizer-skeleton.json").write_text(json.dumps(spec), encoding="utf-8")
