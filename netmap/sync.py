"""Copy a whole network from one store to another: SQLite <-> Neo4j, or between two files.

A commission that moves to a shared Neo4j server copies its SQLite file there; someone
who travels copies the server's network to a laptop. The copy is one write into the
target (all or nothing), followed by a check that the target holds what was copied.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from netmap.errors import NetmapError, Problem, ValidationFailed
from netmap.model import RECORD_KINDS, RecordKind
from netmap.store.base import GraphStore, Network, Progress, RecordSet


class SyncMismatch(NetmapError):
    """After a copy, the target does not hold what was copied into it."""


def _records(network: Network) -> RecordSet:
    """Validate every row of ``network``; raise ``ValidationFailed`` listing each bad one.

    A store can hold records that no longer validate (its taxonomy was edited since),
    and the target must not receive them half-checked.
    """
    batch = RecordSet()
    problems: list[Problem] = []
    for kind in RECORD_KINDS:
        for row in network[kind].to_dict("records"):
            try:
                batch.add(kind.model.model_validate(row))
            except ValidationError as error:
                for item in error.errors():
                    field = ".".join(str(part) for part in item["loc"]) or None
                    message = item["msg"].removeprefix("Value error, ")
                    problems.append(Problem(kind.value, None, field, f"{row['id']}: {message}"))
    if problems:
        raise ValidationFailed(problems)
    return batch


def sync(
    source: GraphStore,
    target: GraphStore,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> dict[str, Any]:
    """Copy every record of ``source`` into ``target`` in one all-or-nothing write.

    Records are matched by id: new ones are added, changed ones updated, equal ones left
    alone, and records that only the target has are kept (never deleted). The target
    keeps its own versions and change log; the copy is logged there as made by the
    target's actor. Afterwards every copied id must be in the target and each of its
    counts must be what it held before plus what was new; otherwise ``SyncMismatch``.

    Returns a dict: ``source`` and ``target`` (URLs), ``plan`` (one row per table:
    new, updated, unchanged), ``counts`` (records per table in the target afterwards),
    ``kept`` (records per table that only the target has), ``written`` (False for a
    dry run or when nothing changed) and ``revision`` (the target's).
    """
    if source.url == target.url:
        raise NetmapError(f"{source.url}: source and target are the same store; nothing to copy")
    batch = _records(source.snapshot())
    ids = {kind: batch.ids(kind) for kind in RECORD_KINDS}
    before = target.counts()
    already = {kind: target.existing_ids(kind, ids[kind]) for kind in RECORD_KINDS}
    expected = {kind: before[kind] + len(ids[kind] - already[kind]) for kind in RECORD_KINDS}

    plan = target.plan(batch) if dry_run else target.write(batch, progress=progress)
    after = before if dry_run else target.counts()
    if not dry_run:
        _verify(source, target, ids, expected, after)
    return {
        "source": source.url,
        "target": target.url,
        "plan": plan.summary(),
        "counts": {kind.value: after[kind] for kind in RECORD_KINDS},
        "kept": {kind.value: before[kind] - len(already[kind]) for kind in RECORD_KINDS},
        "written": not dry_run and plan.changes > 0,
        "revision": target.revision(),
    }


def _verify(
    source: GraphStore,
    target: GraphStore,
    ids: dict[RecordKind, set[str]],
    expected: dict[RecordKind, int],
    after: dict[RecordKind, int],
) -> None:
    problems = []
    for kind in RECORD_KINDS:
        missing = sorted(ids[kind] - target.existing_ids(kind, ids[kind]))
        if missing:
            shown = ", ".join(repr(i) for i in missing[:3]) + (" …" if len(missing) > 3 else "")
            problems.append(f"{len(missing)} {kind.value} missing ({shown})")
        elif after[kind] != expected[kind]:
            problems.append(f"{after[kind]} {kind.value} where {expected[kind]} were expected")
    if problems:
        raise SyncMismatch(
            f"copy from {source.url} to {target.url} did not verify: {'; '.join(problems)}. "
            "The write was committed: someone else may have changed the target meanwhile; "
            "run the sync again, or compare the two with netmap stats"
        )


__all__ = ["SyncMismatch", "sync"]
