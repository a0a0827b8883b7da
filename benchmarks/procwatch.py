"""Watch a command's process tree through /proc: wall, CPU and peak RSS per process.

No psutil: /proc/PID/status (VmHWM, VmRSS) and /proc/PID/stat (utime, stime) are sampled
every 50 ms; ``os.wait4`` gives the CPU of the whole tree once it exits (the children's
rusage counts every descendant that was waited for).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Measured:
    wall: float = 0.0
    cpu: float = 0.0  # user + sys of the tree, seconds
    peak_main_mb: float = 0.0
    peak_workers_mb: list[float] = field(default_factory=list)
    peak_total_mb: float = 0.0  # largest sum of RSS seen at one moment
    cpu_main: float = 0.0  # CPU seconds of the main process (last /proc sample)
    cpu_workers: list[float] = field(default_factory=list)
    cpu_serial: float = 0.0  # CPU of the main process before its first child appeared
    stdout: str = ""
    stderr: str = ""
    rc: int = 0

    @property
    def peak_worker_mb(self) -> float:
        return max(self.peak_workers_mb, default=0.0)

    @property
    def ideal_wall(self) -> float:
        """An estimate of the wall time on idle cores, from CPU seconds (which contention
        from other jobs does not inflate): the main process's start-up before any child
        exists, then the rest spread over the cores, or the busiest process if longer."""
        if not self.cpu_workers:
            return self.cpu
        s = self.cpu_serial
        busiest = max([self.cpu_main - s, *self.cpu_workers])
        return s + max((self.cpu - s) / (os.cpu_count() or 1), busiest)


def _children() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        out.setdefault(ppid, []).append(int(name))
    return out


def _tree(root: int) -> list[int]:
    kids = _children()
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, []))
    return out


def _proc(pid: int) -> tuple[float, float, float] | None:
    """(VmHWM MB, VmRSS MB, cpu seconds) of a live process."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            status = fh.read()
        with open(f"/proc/{pid}/stat") as fh:
            stat = fh.read()
    except OSError:
        return None
    hwm = rss = 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            hwm = int(line.split()[1]) / 1024
        elif line.startswith("VmRSS:"):
            rss = int(line.split()[1]) / 1024
    fields = stat[stat.rindex(")") + 2 :].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICKS
    return hwm, rss, cpu


def measure(
    cmd: Sequence[str], *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> Measured:
    """Run ``cmd`` and watch its process tree until it exits."""
    m = Measured()
    err = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (closed below)
    started = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd),
        stdout=subprocess.PIPE,
        stderr=err,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
    )
    peaks: dict[int, float] = {}
    cpu: dict[int, float] = {}
    out: list[str] = []
    reader = threading.Thread(target=lambda: out.append(proc.stdout.read() if proc.stdout else ""))
    reader.start()
    while True:
        # wait4 reaps the child with its rusage, which counts every waited-for descendant
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        total = 0.0
        tree = _tree(proc.pid)
        if len(tree) > 1 and not m.cpu_serial:
            m.cpu_serial = cpu.get(proc.pid, 0.0)
        for p in tree:
            got = _proc(p)
            if got is not None:
                peaks[p] = max(peaks.get(p, 0.0), got[0])
                cpu[p] = got[2]
                total += got[1]
        m.peak_total_mb = max(m.peak_total_mb, total)
        time.sleep(0.05)
    m.wall = time.perf_counter() - started
    proc.returncode = m.rc = os.waitstatus_to_exitcode(status)
    reader.join()
    m.stdout = "".join(out)
    err.seek(0)
    m.stderr = err.read()[-2000:]
    err.close()
    if m.rc not in (0, 1):
        print(f"  ! {' '.join(cmd[:4])}... exited {m.rc}:\n{m.stderr}", file=sys.stderr)
    m.cpu = usage.ru_utime + usage.ru_stime
    m.peak_main_mb = peaks.get(proc.pid, 0.0)
    m.peak_workers_mb = sorted((v for k, v in peaks.items() if k != proc.pid), reverse=True)
    m.cpu_main = cpu.get(proc.pid, 0.0)
    m.cpu_workers = sorted((v for k, v in cpu.items() if k != proc.pid and v > 0.5), reverse=True)
    return m
