"""Keeping the one-time e5 conversion quiet and bounded while torch, transformers and onnxruntime run.

Those libraries print warnings, progress and some 30,000 lines of debug stack traces during an
export, change the process's logging configuration, and size their thread pools by the host's
cores rather than the container's. A conversion that works should print nothing and use the CPUs it
is given: these context managers turn the chatter into debug records of this module (still visible
with debug logging) and give every setting back afterwards.
"""

from __future__ import annotations

import contextlib
import logging
import os
import warnings
from collections.abc import Iterator
from pathlib import Path

logger = logging.getLogger(__name__)


def thread_count() -> int:
    """The CPUs this process may use (a container's share, not the host's count), at most 8."""
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(available, 8))


@contextlib.contextmanager
def torch_threads() -> Iterator[None]:
    """Use the cores this process may run on (torch counts the machine's), and give the caller's
    setting back afterwards."""
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(thread_count())
    try:
        yield
    finally:
        torch.set_num_threads(previous)


class _ToDebug(logging.Handler):
    """Re-logs another library's records as debug records of this module."""

    def emit(self, record: logging.LogRecord) -> None:
        logger.debug("%s: %s", record.name, record.getMessage())


class _LastResort(logging.Handler):
    """What the logging module does with records that no handler takes: warnings go to stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        if logging.lastResort is not None and record.levelno >= logging.lastResort.level:
            logging.lastResort.handle(record)


def _root_record_to_debug(record: logging.LogRecord) -> bool:
    logger.debug("%s: %s", record.levelname.lower(), record.getMessage())
    return False  # handled here: no root handler prints it


@contextlib.contextmanager
def quiet_third_party() -> Iterator[None]:
    """Turn the chatter of torch.onnx, transformers and onnxruntime into debug records of this module:
    a conversion that works prints nothing, and ``--verbose`` style debug logging still shows it all."""
    with contextlib.ExitStack() as stack:
        stack.enter_context(_transformers_errors_only())
        stack.enter_context(_onnxruntime_loggers_to_debug())
        stack.enter_context(_root_logger_to_debug())
        stack.enter_context(_warnings_to_debug())
        yield


@contextlib.contextmanager
def _transformers_errors_only() -> Iterator[None]:
    import transformers

    previous = transformers.logging.get_verbosity()
    transformers.logging.set_verbosity(logging.ERROR)
    try:
        yield
    finally:
        transformers.logging.set_verbosity(previous)


@contextlib.contextmanager
def _onnxruntime_loggers_to_debug() -> Iterator[None]:
    """onnxruntime's transformer optimizer logs under bare module names ("fusion_attention",
    "onnx_model", ...), with a stack trace at debug level for every pattern it tries: some 30,000
    lines. Its info records (what was fused) are kept as our debug records, its debug records are not
    even created."""
    import onnxruntime.transformers.optimizer  # creates the loggers

    package = Path(onnxruntime.transformers.optimizer.__file__).parent
    modules = {path.stem for path in package.glob("*.py")}
    names = ["onnxruntime", *(name for name in logging.root.manager.loggerDict if name in modules)]
    chatty = [logging.getLogger(name) for name in names]
    saved = [(log, log.level, log.propagate) for log in chatty]
    relay = _ToDebug()
    for log in chatty:
        log.setLevel(logging.INFO)
        log.propagate = False
        log.addHandler(relay)
    try:
        yield
    finally:
        for log, level, propagate in saved:
            log.removeHandler(relay)
            log.setLevel(level)
            log.propagate = propagate


@contextlib.contextmanager
def _root_logger_to_debug() -> Iterator[None]:
    """onnxruntime's quantizer logs through the root logger (``logging.warning``), which also calls
    ``basicConfig()`` when the root logger has no handler, changing logging for the whole process.
    A filter on the root logger diverts those records; a stand-in handler, only while the root logger
    has none, prevents the ``basicConfig()`` and passes other loggers' records on as logging would."""
    root = logging.getLogger()
    stand_in = None if root.handlers else _LastResort()
    root.addFilter(_root_record_to_debug)
    if stand_in is not None:
        root.addHandler(stand_in)
    try:
        yield
    finally:
        if stand_in is not None:
            root.removeHandler(stand_in)
        root.removeFilter(_root_record_to_debug)


@contextlib.contextmanager
def _warnings_to_debug() -> Iterator[None]:
    """Expected warnings of the export: the TorchScript exporter is legacy; tracing freezes a check in
    transformers' mask code (whether the mask must be padded to the key length: never, both are the
    input's length); the mask's index ops would mishandle negative indices (there are none)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            for warning in caught:
                logger.debug("%s: %s", warning.category.__name__, warning.message)
