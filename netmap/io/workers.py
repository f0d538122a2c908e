"""Work spread over worker processes, so that a big import is validated on every core.

A worker is ``python -m netmap.io.workers``: it reads the function to run and then its
tasks, pickled, from its standard input, and writes each result, pickled, to its standard
output. Unlike :mod:`multiprocessing`, it never imports the caller's main module again,
so it behaves the same under the CLI, the app, a notebook, or a script without an
``if __name__ == "__main__"`` guard, on Windows too.
"""

from __future__ import annotations

import gc
import importlib
import os
import pickle
import queue
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any, BinaryIO

from netmap.errors import NetmapError
from netmap.i18n import current_language

_END = None  # sent after the last task


def worker_count() -> int:
    """How many workers to start: one per core, at most four (the gain flattens out)."""
    return min(os.cpu_count() or 1, 4)


def run_in_workers(
    function: Callable[[Any], Any],
    tasks: Sequence[Any],
    workers: int,
    on_result: Callable[[Any], None] | None = None,
) -> list[Any]:
    """Return ``[function(task) for task in tasks]``, computed by ``workers`` processes.

    ``function`` must be importable by its module and name; tasks and results must pickle.
    Each worker takes one contiguous share of the tasks. ``on_result`` is called with each
    task as its result arrives, in the calling thread (Streamlit draws from no other).
    Raises :class:`NetmapError` when a worker fails.
    """
    share = -(-len(tasks) // workers)
    shares = [list(tasks[start : start + share]) for start in range(0, len(tasks), share)]
    results: list[list[Any]] = [[] for _ in shares]
    # The workers find this very netmap, even when it runs from a source folder.
    home = str(Path(__file__).resolve().parents[2])
    path = os.environ.get("PYTHONPATH")
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [home, path]))}
    # ... and speak the caller's language: their messages are shown to the same reader.
    environment["NETMAP_LANG"] = current_language()
    with ExitStack() as stack:
        # A file, not a pipe, for what workers say on stderr: a full pipe would stall them.
        logs = [stack.enter_context(tempfile.TemporaryFile()) for _ in shares]
        processes = []
        for log in logs:
            process = subprocess.Popen(
                [sys.executable, "-m", "netmap.io.workers"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                env=environment,
            )
            stack.callback(_stop, process)
            processes.append(process)
        target = (function.__module__, function.__qualname__)
        arrived: queue.SimpleQueue[Any] = queue.SimpleQueue()
        threads = []
        for process, own, into in zip(processes, shares, results, strict=True):
            threads.append(threading.Thread(target=_send, args=(process.stdin, target, own)))
            threads.append(
                threading.Thread(target=_receive, args=(process.stdout, own, into, arrived))
            )
        for thread in threads:
            thread.start()
        receiving = len(shares)
        while receiving:
            task = arrived.get()
            if task is _END:
                receiving -= 1
            elif on_result is not None:
                on_result(task)
        for thread in threads:
            thread.join()
        failures = []
        for process, own, into, log in zip(processes, shares, results, logs, strict=True):
            process.wait()
            log.seek(0)
            errors = log.read().decode("utf-8", "replace").strip()
            if process.returncode != 0 or len(into) != len(own):
                failures.append(errors.splitlines()[-1] if errors else f"exit {process.returncode}")
    if failures:
        raise NetmapError(f"a worker process failed: {failures[0]}")
    return [result for into in results for result in into]


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End a worker that is still running (the caller was interrupted), and reap it."""
    if process.poll() is None:
        process.kill()
    process.wait()


def _send(pipe: BinaryIO, target: tuple[str, str], tasks: list[Any]) -> None:
    try:
        with pipe:
            pickle.dump(target, pipe, protocol=pickle.HIGHEST_PROTOCOL)
            for task in tasks:
                pickle.dump(task, pipe, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(_END, pipe)
    except OSError:  # a broken pipe among them
        pass  # the worker died: its exit status and stderr tell why


def _receive(
    pipe: BinaryIO, tasks: list[Any], into: list[Any], arrived: queue.SimpleQueue[Any]
) -> None:
    with pipe:
        try:
            for task in tasks:
                into.append(pickle.load(pipe))
                arrived.put(task)
        except (EOFError, pickle.UnpicklingError):
            pass  # the worker died: its exit status and stderr tell why
        finally:
            arrived.put(_END)


def _serve(source: BinaryIO, sink: BinaryIO) -> None:
    module, name = pickle.load(source)
    function: Any = importlib.import_module(module)  # then the named attribute in it
    for part in name.split("."):
        function = getattr(function, part)
    while (task := pickle.load(source)) is not _END:
        pickle.dump(function(task), sink, protocol=pickle.HIGHEST_PROTOCOL)
        sink.flush()


if __name__ == "__main__":
    gc.disable()  # a short life making many objects and no cycles: see importer
    results = sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the results
    _serve(sys.stdin.buffer, results)
