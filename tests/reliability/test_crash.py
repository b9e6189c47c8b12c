"""kill -9 in the middle of the work loses no acknowledged write and leaves nothing half-written.

Real processes on loopback: `madang runserver` taking supports through the API from many
clients at once, and `madang worker` running a job. Each is killed with SIGKILL mid-flight,
then restarted, and the database is checked. The test runs against whichever database the
suite runs on: a file SQLite database in WAL mode, or a fresh database on the PostgreSQL server.
"""

from __future__ import annotations

import json
import signal
import subprocess
import threading

from tests.reliability.processes import MADANG, free_port, get, post, query, shell, wait_for

SETUP = """
import json
from madang.testing import build_cast
from madang.people import services as people
from madang.people.models import Kind
cast = build_cast()
proposals = [cast.proposal(title=f"부하 시험 제안 {i}").pk for i in range(8)]
tokens = []
for i in range(24):
    u = people.create_user(actor=None, username=f"load{i}", display_name=f"부하{i}", email=f"load{i}@example.kr",
                           kind=Kind.OFFICIAL, department=cast.transport, grade=7, title="주무관")
    tokens.append(people.issue_api_token(actor=u, name="load")[1])
print(json.dumps({"proposals": proposals, "tokens": tokens}))
"""

CHECK = """
import json
from django.db.models import Count
from madang.calls.models import Proposal, Support
rows = {(s.user.username, s.proposal_id) for s in Support.objects.select_related("user")}
from madang.calls import counters
live = dict(counters.with_live(Proposal.objects.all()).values_list("pk", "live_supports"))
counters.fold()
counts = {p.pk: (live[p.pk], p.support_count, p.supports.count()) for p in Proposal.objects.all()}
print(json.dumps({"supports": sorted(map(list, rows)), "counts": {str(k): v for k, v in counts.items()}}))
"""


def test_it_keeps_every_acknowledged_support_when_the_server_is_killed(site):
    data = json.loads(shell(site, SETUP))
    port = free_port()

    def start() -> subprocess.Popen:
        proc = subprocess.Popen(
            [*MADANG, "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
            env=site,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_for(lambda: get(f"http://127.0.0.1:{port}/health/") == 200, timeout=180), "server did not start"
        return proc

    server = start()
    acknowledged: set[tuple[str, int]] = set()
    lock = threading.Lock()
    stop = threading.Event()

    def client(i: int, token: str) -> None:
        for pk in data["proposals"] * 3:  # bounded: at most 24 requests per client
            if stop.is_set():
                return
            status = post(f"http://127.0.0.1:{port}/api/proposals/{pk}/support", token)
            if status == 200:
                with lock:
                    acknowledged.add((f"load{i}", pk))

    threads = [threading.Thread(target=client, args=(i, t)) for i, t in enumerate(data["tokens"])]
    for t in threads:
        t.start()
    assert wait_for(lambda: len(acknowledged) >= 20, timeout=60), "no supports got through"
    server.send_signal(signal.SIGKILL)  # in the middle of the load
    server.wait(timeout=10)
    stop.set()
    for t in threads:
        t.join(timeout=30)
    server = start()
    try:
        state = json.loads(shell(site, CHECK))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)
    stored = {(u, pk) for u, pk in state["supports"]}
    assert acknowledged <= stored, f"lost {len(acknowledged - stored)} acknowledged supports"
    for pk, (live, folded, rows) in state["counts"].items():
        assert live == folded == rows, f"proposal {pk}: live tally {live}, folded {folded}, {rows} supports"


def test_it_runs_a_job_again_when_its_worker_is_killed(site):
    job_id = int(
        shell(
            site,
            "from madang.jobs import services as j; "
            "print(j.enqueue(kind='jobs.selftest', params={'steps': 40, 'delay': 0.1}).pk)",
        )
    )
    env = {**site, "MADANG_JOBS_STALE_SECONDS": "1"}
    worker = subprocess.Popen(
        [*MADANG, "worker", "--poll", "0.1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    state_of = f"SELECT state, progress_done, attempts FROM jobs_job WHERE id = {job_id}"
    try:
        assert wait_for(lambda: _running_past(site, state_of, 3), timeout=60, every=0.1), "the job never started"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    second = subprocess.Popen(
        [*MADANG, "worker", "--poll", "0.1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        assert wait_for(lambda: query(site, state_of)[0] == "done", timeout=90, every=0.2), query(site, state_of)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    state, _done, attempts = query(site, state_of)
    assert state == "done"
    assert attempts == 2


def _running_past(env: dict[str, str], sql: str, step: int) -> bool:
    state, done, _attempts = query(env, sql)
    return state == "running" and done >= step
