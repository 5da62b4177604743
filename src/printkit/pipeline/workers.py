"""Worker processes that never outlive the process that started them.

A worker left running after its build was killed would go on writing into an output folder
whose lock went with the build, and that a new build may be writing to. Each worker asks
the kernel to kill it when its parent dies, and exits at once if that has happened already.
"""

import ctypes
import gc
import multiprocessing
import multiprocessing.util
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def worker_pool(jobs: int, initializer: Callable[[int], None] | None = None) -> ProcessPoolExecutor:
    """``jobs`` worker processes, each of which dies with this process.

    ``initializer``, called in each worker with this process's id, must call die_with_parent
    first. The workers are forked, not started by a server process (Python 3.14's default), so
    that this process is their parent; a fork pool forks them all at its first submit, in the
    thread that submits, which must live as long as the workers (see die_with_parent).
    """
    return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start_worker, initargs=(os.getpid(), initializer or die_with_parent))


def _start_worker(parent: int, initializer: Callable[[int], None]) -> None:
    initializer(parent)
    # WeasyPrint removes the folder it copies a layout's fonts into when the cycle collector frees
    # the font configuration; a worker ends with os._exit, which collects nothing, and so each
    # worker of a build left a folder of fonts in the temporary directory. Its exit runs this.
    multiprocessing.util.Finalize(None, gc.collect, exitpriority=0)


def die_with_parent(parent: int) -> None:
    """In a worker, first: be killed when ``parent`` dies, even by SIGKILL; exit now if it died already.

    The kernel sends the signal when the thread that forked this worker ends, not only the
    whole process.
    """
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:  # the parent died between the fork and prctl: no signal will come
        os._exit(1)
