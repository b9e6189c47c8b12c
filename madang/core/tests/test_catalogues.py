"""Every catalogue is complete: no untranslated Korean string, no fuzzy entry, no broken placeholder."""

import subprocess
import sys
from pathlib import Path

import madang


def test_it_has_complete_catalogues():
    script = Path(madang.__file__).parent / "locale" / "check_catalogue.py"
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
