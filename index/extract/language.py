"""Language identification for pages that do not declare theirs."""

from __future__ import annotations

import re

_CODE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]+)*$")


def normalize_language(value: object) -> str | None:
    """'id-ID', 'en_GB', 'EN' -> 'id', 'en', 'en'; anything that is not a language tag -> None."""
    if not isinstance(value, str):
        return None
    match = _CODE.match(value.strip())
    if not match:
        return None
    code = match.group(1).lower()
    return "id" if code == "in" else code  # "in" is the withdrawn ISO code for Indonesian, still seen


def detect_language(text: str) -> str | None:
    sample = text[:4000]
    if len(re.findall(r"\w+", sample)) < 5:
        return None
    # Imported on first use: the model costs about 0.1 s and most pages declare their language.
    from py3langid.langid import classify

    code, _score = classify(sample)
    return normalize_language(str(code))
