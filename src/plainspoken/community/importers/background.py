"""The second import process (see ``workers``): run one pickled call, report in frames."""

from __future__ import annotations

import gc
import pickle
import signal
import sys
import traceback
from importlib import import_module

from plainspoken.community.importers.workers import write_frame
from plainspoken.errors import InputError, PlainspokenError


def main() -> None:
    """Read (module, function, args) from standard input; frames go to standard output."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the importing process handles Ctrl-C
    gc.disable()  # as in the importing process: staged rows make no cycles
    out = sys.stdout.buffer
    module, function, args = pickle.loads(sys.stdin.buffer.read())

    def report(done: int, total: int | None) -> None:
        write_frame(out, b"P", str(done).encode())

    try:
        value = getattr(import_module(module), function)(*args, report=report)
    except InputError as exc:
        write_frame(out, b"E", pickle.dumps(("InputError", (exc.path, exc.problem, exc.fix))))
    except PlainspokenError as exc:
        write_frame(out, b"E", pickle.dumps((type(exc).__name__, (str(exc),))))
    except BaseException:
        write_frame(out, b"C", traceback.format_exc().encode())
    else:
        write_frame(out, b"R", pickle.dumps(value))


if __name__ == "__main__":
    main()
