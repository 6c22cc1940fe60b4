"""Problems found in the data, and how they are reported.

Every problem carries a file, a line, a column, a message and a hint, so a contributor
can fix all of them from one run. Printed as `path:line:col: error: message`, and as
GitHub annotations when running in GitHub Actions.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TextIO


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    message: str
    hint: str = ""

    def format(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: error: {self.message}"
        return text + (f"\n  hint: {self.hint}" if self.hint else "")

    def annotation(self) -> str:
        # Workflow commands need %, CR and LF escaped in the message.
        def esc(s: str) -> str:
            return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        body = esc(self.message + (f" (hint: {self.hint})" if self.hint else ""))
        return f"::error file={esc(self.path)},line={self.line},col={self.col}::{body}"


class DataError(Exception):
    """Raised when the data has problems; carries all of them."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the data")
        self.problems = sorted(problems)


def report(problems: list[Problem], out: TextIO) -> None:
    for problem in sorted(problems):
        print(problem.format(), file=out)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in sorted(problems):
            print(problem.annotation(), file=out)
    files = len({p.path for p in problems})
    print(f"{len(problems)} problem(s) in {files} file(s).", file=out)
