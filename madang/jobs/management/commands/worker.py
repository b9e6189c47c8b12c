"""`madang worker`: run background jobs until SIGTERM or SIGINT.

Run one or more of these beside the application servers (see docs/deployment.md). A stop
signal lets the current job finish; a worker killed outright leaves its job's heartbeat to go
stale, and another worker takes the job again.
"""

import os
import signal
import socket
import threading
from typing import Any

from django.core.management.base import BaseCommand

from madang.jobs import services


class Command(BaseCommand):
    help = "Run background jobs (lotteries, schedules, exports, clustering) until stopped."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="run what is ready, then exit")
        parser.add_argument("--poll", type=float, default=0.5, help="seconds between looks when idle")
        parser.add_argument("--max-jobs", type=int, default=None, help="exit after this many jobs")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()

        def on_signal(signum: int, _frame: Any) -> None:
            self.stderr.write(f"worker: signal {signum}, stopping after the current job")
            stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        name = f"{socket.gethostname()}:{os.getpid()}"
        if options["verbosity"] > 0:
            self.stdout.write(f"worker {name}: waiting for jobs")
        ran = services.work(
            worker=name, once=options["once"], poll=options["poll"], stop=stop, max_jobs=options["max_jobs"]
        )
        if options["verbosity"] > 0:
            self.stdout.write(f"worker {name}: ran {ran} job(s), stopped")
