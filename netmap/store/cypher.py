"""The Cypher statements of netmap, loaded by name from the bundled ``queries/`` folder.

Every statement is a file of its own (``queries/upsert_institutions.cypher``,
``queries/schema/constraint_institution_id.cypher``…) that starts with a comment header:
what it does, then a ``// Parameters:`` line naming each ``$parameter`` it takes (or
``none``). The same files can be pasted into Neo4j Browser, and a test runs every one of
them through Neo4j's own Cypher linter.

No Cypher is assembled at run time: a statement is text from a file, typed as
``LiteralString`` for the driver, and values always travel as ``$parameters``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import LiteralString, cast

from netmap.resources import bundled

_NAME = re.compile(r"^[a-z0-9_]+(/[a-z0-9_]+)?$")
_PARAMETER = re.compile(r"\$(`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)")
# Parts of a statement where a `$` does not start a parameter: strings and comments.
_NOT_CODE = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|//[^\n]*|/\*.*?\*/""", re.DOTALL)


@dataclass(frozen=True)
class Statement:
    """One statement file: its name, what its header says, and its text."""

    name: str
    summary: str
    parameters: frozenset[str]
    text: str

    @property
    def body(self) -> str:
        """The statement without its header comment."""
        return self.text[len(_header_block(self.text)) :].strip()


def queries_folder() -> Path:
    """The folder of netmap's Cypher files (``queries/``, or ``netmap/queries`` in a wheel)."""
    return bundled("queries")


def names(folder: str | None = None) -> list[str]:
    """Return the names of the statements in ``queries/`` (or in its subfolder ``folder``).

    Names are paths without the ``.cypher`` ending, sorted: ``upsert_institutions``,
    ``schema/constraint_institution_id``. Without ``folder``, every statement is listed.
    """
    root = queries_folder()
    base = root / folder if folder else root
    files = base.glob("*.cypher") if folder else root.rglob("*.cypher")
    return sorted(path.relative_to(root).with_suffix("").as_posix() for path in files)


@cache
def statement(name: str) -> Statement:
    """Return the statement file ``name``; raise ``KeyError`` when there is none."""
    if not _NAME.match(name):
        raise KeyError(f"{name!r} is not a statement name (lower-case words, one folder at most)")
    path = queries_folder() / f"{name}.cypher"
    if not path.is_file():
        raise KeyError(f"there is no statement {name!r} in {queries_folder()}")
    text = path.read_text(encoding="utf-8")
    summary, parameters = parse_header(text)
    return Statement(name, summary, parameters, text)


def query(name: str) -> LiteralString:
    """Return the Cypher text of the statement ``name``, as the driver wants it typed.

    The text is a file shipped with netmap, never built from input, hence the cast.
    """
    # mypy reads LiteralString as str and calls the cast redundant; pyright does not.
    return cast(LiteralString, statement(name).text)  # type: ignore[redundant-cast]


def parameters(name: str) -> frozenset[str]:
    """Return the parameter names (without ``$``) that the header of ``name`` declares."""
    return statement(name).parameters


def parse_header(text: str) -> tuple[str, frozenset[str]]:
    """Return the summary and the declared parameters of a statement's header comment.

    The header is the run of ``//`` lines the file starts with. Its ``// Parameters:``
    line (and any header lines after it) names each parameter as ``$name``, or says
    ``none``. Raises ``ValueError`` when the header or its parameters line is missing.
    """
    lines = [line.strip()[2:].strip() for line in _header_block(text).splitlines()]
    lines = [line for line in lines if line]
    at = next((i for i, line in enumerate(lines) if line.startswith("Parameters:")), None)
    if not lines or at is None:
        raise ValueError(
            "the statement must start with a // comment saying what it does and a "
            "'// Parameters: $name (type), …' line (or '// Parameters: none')"
        )
    summary = " ".join(lines[:at])
    if not summary:
        raise ValueError("the header must say what the statement does before its parameters")
    listed = " ".join(lines[at:]).removeprefix("Parameters:").strip()
    declared = frozenset(name.strip("`") for name in _PARAMETER.findall(listed))
    if not declared and not listed.casefold().startswith("none"):
        raise ValueError("the Parameters line names no $parameter and does not say 'none'")
    return summary, declared


def used_parameters(text: str) -> frozenset[str]:
    """Return the parameter names a statement's body uses (strings and comments ignored)."""
    code = _NOT_CODE.sub(" ", text)
    return frozenset(name.strip("`") for name in _PARAMETER.findall(code))


def _header_block(text: str) -> str:
    block = []
    for line in text.splitlines(keepends=True):
        if line.strip().startswith("//"):
            block.append(line)
        elif line.strip() or block:
            break
        else:
            block.append(line)
    return "".join(block)


__all__ = ["Statement", "names", "parameters", "parse_header", "query", "statement"]
