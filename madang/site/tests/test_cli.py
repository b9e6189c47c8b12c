"""`madang …` run as the README says, without MADANG_DEBUG or a secret key, used to end in a raw
RuntimeError traceback; it now says what to set, in Korean and English, and exits with 2."""

import os
import subprocess
import sys


def test_the_command_says_what_is_missing_without_a_traceback():
    env = {k: v for k, v in os.environ.items() if not k.startswith("MADANG_") and k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from madang.cli import main; sys.exit(main(['check']))"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "MADANG_SECRET_KEY가 없습니다" in done.stderr and "MADANG_DEBUG=1" in done.stderr
