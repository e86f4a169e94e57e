"""A second process for big imports: it stages some files of a dump while this one stages the
others, so two cores do the work of one import.

The process is a fresh interpreter (``python -m plainspoken.community.importers.background``)
and not a ``multiprocessing`` child, so nothing re-runs the caller's main module, whatever
script or notebook called the import. Work goes in as a pickled call on its standard input;
progress and the result come back as frames on its standard output. It runs in a session of its
own, so Ctrl-C reaches only the importing process, which then stops it.
"""

from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import IO, Any

PARALLEL_MIN_BYTES = 64 << 20
"""Inputs smaller than this are imported in one process (a second one costs ~0.3 s to start)."""
_FRAME = struct.Struct("!cQ")  # kind (P progress, R result, E error, C crash), payload length


def use_second_process(input_bytes: int) -> bool:
    """Whether an input of this size is worth a second process on this machine."""
    return input_bytes >= PARALLEL_MIN_BYTES and (os.cpu_count() or 1) >= 2


def write_frame(out: IO[bytes], kind: bytes, payload: bytes) -> None:
    """One frame on the child's standard output."""
    out.write(_FRAME.pack(kind, len(payload)) + payload)
    out.flush()


class Background:
    """``module.function(*args, report=...)`` running in a second process.

    ``done`` is how far the function has reported (bytes read); ``result`` waits for its
    return value or raises its error here (``PlainspokenError`` subclasses keep their type).
    """

    def __init__(self, module: str, function: str, *args: Any) -> None:
        package_root = str(Path(__file__).resolve().parents[3])  # the folder holding plainspoken/
        paths = [package_root, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop)
        self._process = subprocess.Popen(
            [sys.executable, "-m", "plainspoken.community.importers.background"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(paths)},
            start_new_session=True,
        )
        assert self._process.stdin is not None
        self._process.stdin.write(pickle.dumps((module, function, args)))
        self._process.stdin.close()
        self.done = 0
        self._outcome: tuple[bytes, bytes] | None = None
        self._finished = threading.Event()
        self._reader = threading.Thread(target=self._read, name="import-second-process")
        self._reader.daemon = True
        self._reader.start()

    def _read(self) -> None:
        stream = self._process.stdout
        assert stream is not None
        try:
            while header := stream.read(_FRAME.size):
                if len(header) < _FRAME.size:
                    break
                kind, size = _FRAME.unpack(header)
                payload = stream.read(size)
                if kind == b"P":
                    self.done = int(payload)
                else:
                    self._outcome = (kind, payload)
                    break
        finally:
            self._finished.set()

    def wait(self, seconds: float) -> bool:
        """Whether the process has finished, waiting up to ``seconds``."""
        return self._finished.wait(seconds)

    def result(self) -> Any:
        """The function's return value, or its error raised here."""
        self._finished.wait()
        code = self._process.wait()
        if self._outcome is None:
            self._stderr.seek(0)
            detail = self._stderr.read().decode("utf-8", "replace").strip()
            raise RuntimeError(
                f"the second import process ended unexpectedly (exit code {code}): {detail}"
            )
        kind, payload = self._outcome
        if kind == b"R":
            return pickle.loads(payload)
        if kind == b"E":
            raise _rebuilt(pickle.loads(payload))
        raise RuntimeError(f"the second import process failed:\n{payload.decode()}")

    def stop(self) -> None:
        """End the process if it still runs, and release its pipes."""
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._reader.join(timeout=5)
        self._stderr.close()


def _rebuilt(payload: tuple[str, tuple[Any, ...]]) -> Exception:
    from plainspoken import errors

    name, args = payload
    kind = getattr(errors, name, errors.PlainspokenError)
    error: Exception = kind(*args)
    return error
