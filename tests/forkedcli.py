"""`printkit ARGS` as a new interpreter runs it, in a child of the tests' fork server.

conftest.run_printkit runs this file (``runpy.run_path``) in a process the fork server forks:
a fresh interpreter that has imported printkit and WeasyPrint once, not the test process,
whose pytest state (captured warnings, log handlers, patches) no command should see. It
takes the test process's environment, umask and temporary folder, runs the command line
with its output in two files, and exits as Python would: a SystemExit's code, or 1 and the
traceback of an exception.

Given by run_path, as globals: ARGS, CWD, ENVIRONMENT, UMASK, TEMPORARY, STDOUT, STDERR.
"""

import os
import sys
import tempfile
import traceback


def _redirected(path: str, fd: int, like) -> object:
    """File descriptor ``fd`` written to ``path``, and a text stream on it set up as ``like`` is."""
    file = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(file, fd)
    os.close(file)
    return open(fd, "w", encoding=like.encoding, errors=like.errors, closefd=False)


def _run() -> int:
    """The command line's exit status, as the interpreter would give it."""
    try:
        from printkit.cli import cli

        cli.main(args=list(ARGS), prog_name="printkit")  # noqa: F821 (given by run_path)
        return 0
    except SystemExit as done:
        if done.code is None or isinstance(done.code, int):
            return done.code or 0
        print(done.code, file=sys.stderr)
        return 1
    except BaseException:
        traceback.print_exc()
        return 1


os.environ.clear()
os.environ.update(ENVIRONMENT)  # noqa: F821
os.environ["TMPDIR"] = tempfile.tempdir = TEMPORARY  # noqa: F821 (emptied by the test process afterwards)
os.umask(UMASK)  # noqa: F821
os.chdir(CWD)  # noqa: F821
sys.stdout = _redirected(STDOUT, 1, sys.__stdout__)  # noqa: F821
sys.stderr = _redirected(STDERR, 2, sys.__stderr__)  # noqa: F821
code = _run()
sys.stdout.flush()
sys.stderr.flush()
os._exit(code & 0xFF)
