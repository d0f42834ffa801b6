"""Fast argument conversion, the one place the CLI uses typer's private internals.

typer validates every parameter through a pydantic ``TypeAdapter``; importing pydantic and building
the adapters is about 0.1 s of a 0.3 s keyword query. ``QuickCoercion`` converts the common plain
values itself and ``TyperCoercion`` puts typer's errors in our words, one line. Both reach into
typer's private modules (``typer._coercion``, ``typer._param_types``, ``typer._click``) and the
``_runtime_param`` slot of its parameters, so they are fenced: they are used only with the typer
releases they were verified against (``VERIFIED_TYPER``) and only when those internals are found.
Anywhere else typer converts every value itself, and ``main()`` still reports its errors on one
line. ``tests/cli/test_cli_startup.py`` compares both paths over every parameter and tests the fence.
"""

from __future__ import annotations

import functools
import math
import re
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

import typer
from typer.core import TyperCommand

from search.cli.options import PlainUsageError

# The typer releases whose internals this module was checked against, as [lowest, above-highest):
# 0.29.0, 0.29.1 and 0.29.2 pass the comparison in tests/cli/test_cli_startup.py. Extend the range only
# after running it on the new release.
VERIFIED_TYPER = ((0, 29, 0), (0, 30, 0))
_RELEASE = re.compile(r"([0-9]+)\.([0-9]+)\.([0-9]+)")
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_DEFER = object()  # "not a common case": typer converts the value (or reports the error) itself


def typer_verified(version: str) -> bool:
    """Whether ``version`` (a typer version string) is a final release inside ``VERIFIED_TYPER``."""
    release = _RELEASE.fullmatch(version.strip())
    if release is None:  # a pre-release, a local build or an unknown scheme: not verified
        return False
    low, high = VERIFIED_TYPER
    return low <= tuple(int(part) for part in release.groups()) < high


@functools.cache
def quick_coercion_enabled() -> bool:
    """Whether this typer is a verified release that has the internals used here."""
    return typer_verified(getattr(typer, "__version__", "")) and _typer_internals_present()


def _typer_internals_present() -> bool:
    try:
        from typer._click.exceptions import BadParameter  # noqa: F401
        from typer._coercion import build_runtime_param  # noqa: F401
        from typer._param_types import coerce_cli_choice, coerce_cli_path  # noqa: F401
        from typer.core import _TyperParameter
    except ImportError:
        return False
    return callable(getattr(_TyperParameter, "get_runtime_param", None))


class QuickCoercion:
    """Converts a command-line value of a plain type (str, int, float, bool, an enum, Path, lists of these)
    the way typer's own coercion does, without building pydantic adapters.

    Only values whose conversion is unambiguous are handled here (digits, an exact choice, a path);
    anything else, including every invalid value, goes to ``TyperCoercion``, so errors and edge cases
    behave exactly as typer's, in our words.
    """

    def __init__(self, annotation: Any, parameter_info: Any, descriptor: Any = None) -> None:
        self.annotation = annotation
        self.info = parameter_info
        self._typer = TyperCoercion(descriptor)

    @classmethod
    def handles(cls, annotation: Any, parameter_info: Any) -> bool:
        if parameter_info.parser is not None or getattr(parameter_info, "clamp", False):
            return False
        if get_origin(annotation) is list:
            (annotation,) = get_args(annotation)
        if annotation is Path:
            return parameter_info.path_type is None and not parameter_info.resolve_path and not parameter_info.allow_dash
        return annotation in (str, int, float, bool) or (isinstance(annotation, type) and issubclass(annotation, Enum))

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        """Typer's ``RuntimeParam.coerce`` contract: None and missing values first, then the value."""
        multiple = param.multiple or param.nargs == -1
        if value is None:
            return () if multiple else None
        converted = _DEFER
        if get_origin(self.annotation) is list:
            if isinstance(value, list | tuple):
                (item_type,) = get_args(self.annotation)
                items = [self._convert(item, item_type, param, ctx) for item in value]
                converted = _DEFER if any(item is _DEFER for item in items) else items
        elif not multiple:
            converted = self._convert(value, self.annotation, param, ctx)
        if converted is not _DEFER:
            return converted
        return self._typer.coerce(value, param, ctx)

    def _convert(self, value: Any, annotation: Any, param: Any, ctx: Any) -> Any:
        if annotation is str or annotation is bool:
            return value if type(value) is annotation else _DEFER
        if annotation is int or annotation is float:
            if type(value) is str:
                plain = value.isascii() and (value.isdigit() if annotation is int else _DECIMAL.fullmatch(value) is not None)
            else:
                plain = type(value) is int or (annotation is float and type(value) is float)
            if not plain:
                return _DEFER
            number = annotation(value)
            if not math.isfinite(number):
                return _DEFER  # refused by TyperCoercion: "inf" is no limit, weight or half-life
            low, high = self.info.min, self.info.max
            return _DEFER if (low is not None and number < low) or (high is not None and number > high) else number
        if annotation is Path:
            if not isinstance(value, str | Path) or value == "":
                return _DEFER
            from typer._click.exceptions import BadParameter
            from typer._param_types import coerce_cli_path

            try:  # typer's own checks (exists, readable, ...), given a Path so that it needs no pydantic
                return coerce_cli_path(Path(value), self.info, path_type=Path, param=param, ctx=ctx)
            except (BadParameter, TypeError):
                return _DEFER
        if isinstance(annotation, type) and issubclass(annotation, Enum):
            from typer._param_types import coerce_cli_choice

            try:
                return coerce_cli_choice(value, choices=tuple(annotation), case_sensitive=self.info.case_sensitive, ctx=ctx)
            except (ValueError, TypeError):
                return _DEFER
        return _DEFER


class TyperCoercion:
    """typer's own conversion of a parameter (pydantic), with its errors rephrased by ``usage_message``.

    Used for the values ``QuickCoercion`` leaves to typer and for parameters it does not handle, so
    an invalid value gets the same message whichever path converts it.
    """

    def __init__(self, descriptor: Any) -> None:
        self.descriptor = descriptor
        self._runtime: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        from typer._click.exceptions import BadParameter

        if self._runtime is None:
            from typer._coercion import build_runtime_param

            self._runtime = build_runtime_param(self.descriptor or param.type_descriptor)
        try:
            converted = self._runtime.coerce(value, param=param, ctx=ctx)
        except BadParameter as exc:
            raise PlainUsageError(usage_message(param, value, exc.message), ctx=ctx, param=param) from None
        if isinstance(converted, float) and not math.isfinite(converted):
            raise PlainUsageError(usage_message(param, value, "not a finite number"), ctx=ctx, param=param)
        return converted


def parameter_name(param: Any) -> str:
    """How the user wrote the parameter: ``-n/--limit``, ``--mode``, or an argument's metavar (``ID``)."""
    if getattr(param, "param_type_name", "") == "option":
        return "/".join(param.opts)
    return str(getattr(param, "metavar", None) or (param.name or "value").upper())


def usage_message(param: Any, value: Any, fallback: str) -> str:
    """A rejected value, said in our words: what the parameter accepts and what it got.

    Called only once typer has refused ``value``, so what typer accepts stays accepted; the
    message is worked out from the parameter's declaration (type, bounds, choices).
    """
    name = parameter_name(param)
    descriptor = param.type_descriptor
    annotation, info = descriptor.annotation, descriptor.parameter_info
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        choices = ", ".join(str(member.value) for member in annotation)
        return f"{name} must be one of {choices} (got {value!r})"
    if annotation is int or annotation is float:
        number = as_number(value, annotation)
        if number is None:
            return f"{name} must be {'a whole number' if annotation is int else 'a number'} (got {value!r})"
        if not math.isfinite(number):
            return f"{name} must be a finite number (got {value!r})"
        got = value.strip() if isinstance(value, str) else value
        if info.min is not None and number < info.min:
            return f"{name} must be at least {info.min:g} (got {got})"
        if info.max is not None and number > info.max:
            return f"{name} must be at most {info.max:g} (got {got})"
    return f"{name}: {' '.join(fallback.split())} (got {value!r})"


def as_number(value: Any, annotation: type) -> float | None:
    """``value`` read as ``annotation`` (int or float) the way Python reads it, or None."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    try:
        return float(annotation(value))
    except (ValueError, OverflowError):
        return None


def quick_params(params: list[Any]) -> list[Any]:
    """``params`` (a command's, with its help option), converting their values as this module does,
    or untouched (typer converts them) outside the verified typer releases."""
    if not quick_coercion_enabled():
        return params
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", False) is not None or descriptor.file_annotation is not None:
            continue  # already set up, or not a typer parameter of the kind this was written for: typer converts it
        if QuickCoercion.handles(descriptor.annotation, descriptor.parameter_info):
            param._runtime_param = QuickCoercion(descriptor.annotation, descriptor.parameter_info, descriptor)
        else:
            param._runtime_param = TyperCoercion(descriptor)
    return params


class QuickCommand(TyperCommand):
    """A typer command whose parameters convert their values with ``quick_params``."""

    def get_params(self, ctx: Any) -> list[Any]:
        return quick_params(super().get_params(ctx))
