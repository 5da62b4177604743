"""The documentation site builds with `mkdocs build --strict`: every page in the navigation,
every link and anchor between pages resolving, no warning."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_docs_build_strictly(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", tmp_path],
        cwd=ROOT, capture_output=True, text=True,
    )
    print(result.stderr)
    assert result.returncode == 0, result.stderr
