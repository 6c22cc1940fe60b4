"""Write YAML in the data files' own style, and prove every value reads back unchanged.

Only what the collector writes goes through here: mappings, lists and strings (dates are
strings in loaded documents). A string is written plain when the project's strict loader
reads it back as the same string, as a folded block (`>-`) when it is long prose that
survives folding, and otherwise as a JSON double-quoted string (valid YAML 1.2).
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..load import load_text

WIDTH = 110
_PLAIN = re.compile(r"^[A-Za-z0-9_/(][^\n]*$")


def _reads_back(text: str, value: object) -> bool:
    doc, _ = load_text("check.yaml", f"k: {text}\n".encode())
    return doc is not None and doc.data == {"k": value}


def _fold(text: str, indent: int) -> list[str] | None:
    words = text.split(" ")
    if any(not w for w in words) or "\n" in text or "\t" in text:
        return None
    lines, line = [], ""
    for word in words:
        if line and indent + len(line) + 1 + len(word) > WIDTH:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return lines


def scalar(value: object, indent: int) -> list[str]:
    """The lines of a scalar placed after `key: ` (first line) at the given indent."""
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, int):
        return [str(value)]
    text = str(value)
    if len(text) > 80 and " " in text:
        folded = _fold(text, indent + 2)
        if folded is not None:
            block = ">-\n" + "\n".join(" " * (indent + 2) + ln for ln in folded)
            if _reads_back(block, text):
                return [">-", *(" " * (indent + 2) + ln for ln in folded)]
    if _PLAIN.match(text) and _reads_back(text, text):
        return [text]
    return [json.dumps(text, ensure_ascii=False)]


def _flow(items: list[Any]) -> str | None:
    if all(isinstance(i, str) and re.match(r"^[a-z0-9][a-z0-9-]*$", i) for i in items):
        return "[" + ", ".join(items) + "]"
    return None


def mapping(data: dict[str, Any], indent: int) -> list[str]:
    lines = []
    pad = " " * indent
    for key, value in data.items():
        if isinstance(value, dict):
            if not value:
                lines.append(f"{pad}{key}: {{}}")
                continue
            lines.append(f"{pad}{key}:")
            lines.extend(mapping(value, indent + 2))
        elif isinstance(value, list):
            flow = _flow(value)
            if flow is not None:
                lines.append(f"{pad}{key}: {flow}")
                continue
            lines.append(f"{pad}{key}:")
            lines.extend(sequence(value, indent + 2))
        elif value is None:
            lines.append(f"{pad}{key}:")
        else:
            first, *rest = scalar(value, indent)
            lines.append(f"{pad}{key}: {first}")
            lines.extend(rest)
    return lines


def sequence(items: list[Any], indent: int) -> list[str]:
    lines = []
    pad = " " * indent
    for item in items:
        if isinstance(item, dict):
            inner = mapping(item, indent + 2)
            lines.append(f"{pad}- {inner[0].lstrip()}")
            lines.extend(inner[1:])
        else:
            first, *rest = scalar(item, indent + 2)
            lines.append(f"{pad}- {first}")
            lines.extend(rest)
    return lines
