"""Loading the URLs (every view, form and API module) must not touch the database: a form field
whose choices were read at class definition made the API fuzz tests fail to collect, and would
make a server start fail while its database is unreachable."""

import os
import subprocess
import sys


def test_every_url_module_imports_with_no_database_at_all(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("MADANG_DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(MADANG_DEBUG="1", MADANG_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="madang.settings")
    script = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "from django.test.utils import CaptureQueriesContext\n"
        "with CaptureQueriesContext(connection) as seen:\n"
        "    import madang.urls\n"
        "    from django.urls import get_resolver; get_resolver().url_patterns\n"
        "print(len(seen.captured_queries))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "0"
