"""Settings for the test suite: development defaults, then the normal settings."""

import os

os.environ.setdefault("MADANG_DEBUG", "1")
os.environ.setdefault("MADANG_SECURE_COOKIES", "0")

from madang.settings import *  # noqa: F403

MADANG_JOBS_EAGER = True
