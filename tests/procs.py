"""Child processes for the tests that interrupt or kill them.

Each child runs in a process group of its own (``start_new_session``), so that a kill takes
its workers with it and none is left writing to a database or holding a port after the
test, whatever the test's outcome.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any


@contextmanager
def process_group(cmd: Sequence[str], **popen: Any) -> Iterator[subprocess.Popen[bytes]]:
    """``subprocess.Popen(cmd, **popen)`` in a new process group, killed whole on exit."""
    proc: subprocess.Popen[bytes] = subprocess.Popen(cmd, start_new_session=True, **popen)
    try:
        yield proc
    finally:
        kill_group(proc)


def kill_group(proc: subprocess.Popen[bytes]) -> bool:
    """SIGKILL ``proc``'s process group if ``proc`` still runs, and reap it; True if it did."""
    if proc.poll() is not None:
        return False
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return True


def interrupt(
    proc: subprocess.Popen[bytes], sig: int = signal.SIGINT, timeout: float = 60
) -> tuple[int, str]:
    """Send ``sig`` to ``proc`` (if it still runs) and wait for it to exit: its exit code and
    what it wrote to stderr."""
    proc.send_signal(sig)  # does nothing once the process has exited
    _, err = proc.communicate(timeout=timeout)
    return proc.returncode, (err or b"").decode()
