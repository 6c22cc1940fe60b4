"""Scaffold: `scorecard new provider` writes a commented starting file for a contributor."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import render, rules
from .check import check_tree
from .problems import DataError, Problem


def new_provider(root: Path, name: str, pid: str, kind: str, as_of: dt.date) -> Path:
    path = root / "data" / "providers" / f"{pid}.yaml"
    where = f"data/providers/{pid}.yaml"
    if not rules.is_slug(pid):
        raise DataError([Problem(where, 1, 1, f"{pid!r} is not a valid id", "use lowercase letters, digits and single hyphens, e.g. delta-chat")])
    dataset, problems = check_tree(root, as_of)
    if dataset is None:
        raise DataError(problems)
    taken = {alias: p.id for p in dataset.providers.values() for alias in [p.id, *p.aliases]}
    if path.exists() or pid in taken:
        owner = taken.get(pid, pid)
        raise DataError([Problem(where, 1, 1, f"id {pid!r} is already used by provider {owner!r}", "choose another id with --id")])
    criteria = dataset.applicable_to(kind)
    text = render.environment().get_template("provider_stub.yaml.j2").render(
        name=name, pid=pid, kind=kind, criteria=criteria, today=as_of, hint=rules.LEVELS_HELP)
    path.write_text(text, encoding="utf-8")
    return path
