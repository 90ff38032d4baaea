"""Running a bench command as an operator does: its own process, from the project's root."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def bench(*argv):
    """``python -m *argv``'s standard output; fails the test with its error output if it exits non-zero."""
    done = subprocess.run([sys.executable, "-m", *argv], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout
