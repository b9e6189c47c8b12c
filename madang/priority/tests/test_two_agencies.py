"""Two installations on loopback: 새벽도 (A) and 한빛도 (B), each a real `madang runserver` with its own
SQLite data directory and its own ledger key, sharing only the exchange key.

A receives the bus-stop idea on 3-4; B receives the same idea in other words on 3-10, and a
parking idea on 3-1 that A receives on 3-5. A also declines an idea filed on 3-2 and receives it
again, refined into a heat-shelter map, on 3-14; B receives the heat-shelter map on 3-11. B's
administrator adds A as a peer and fetches A's export over HTTP; B's office, logged in over HTTP,
reads on its suggestions' pages that A filed the bus idea first, that B filed the parking idea
first, and that A's refined heat idea came first by its first filing (proven by that filing's own
receipt); it downloads A's receipts and checks them offline with A's public key alone, and
records its ruling in B's ledger. Then an export whose date was moved is refused and nothing of it
is kept.
"""

from __future__ import annotations

import base64
import dataclasses
import http.cookiejar
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from madang.priority.tests.agency import KEY
from madang.solvers import tlog
from madang.testing import PASSWORD
from tests.reliability.processes import MADANG, free_port, get, wait_for

SETUP = """
import json
from datetime import date
from madang.calls import services as calls
from madang.ledger import services as ledger
from madang.suggestions import services
from madang.suggestions.models import Suggestion
from madang.testing import build_cast
cast = build_cast()
office = services.open_office(actor=cast.doyun, organisation=cast.province, citizen_pack="kr-sejong")
ideas = {ideas!r}
made = {{}}
for name, (title, problem, solution, day) in ideas.items():
    fields = calls.ProposalFields(title=title, problem=problem, solution=solution)
    made[name] = services.file_suggestion(
        actor=cast.garam, office=office, fields=fields, today=date.fromisoformat(day)
    ).pk
refiles = {refiles!r}
for name, (earlier, declined_on, title, problem, solution, day) in refiles.items():
    s = Suggestion.objects.get(pk=made[earlier])
    services.decide(
        actor=cast.doyun, suggestion=s, outcome="not_adopt", ground="impracticable",
        explanation="지금은 적용하기 어렵습니다.", panel=[cast.yuna], today=date.fromisoformat(declined_on),
    )
    fields = calls.ProposalFields(title=title, problem=problem, solution=solution)
    made[name] = services.refile_suggestion(
        actor=cast.garam, earlier=s.proposal, fields=fields, today=date.fromisoformat(day)
    ).pk
print(json.dumps({{"suggestions": made, "vkey": ledger.vkeys()[0], "origin": ledger.origin()}}))
"""

A_IDEAS = {
    "bus": (
        "버스 정류장 도착 안내 개선",
        "<p>정류장의 버스 도착 안내가 자주 틀려서 시민들이 오래 기다립니다.</p>",
        "<p>실시간 버스 위치 자료를 정류장 안내판에 바로 연결합니다.</p>",
        "2025-03-04",
    ),
    "parking": (
        "공공 주차장 주말 개방",
        "<p>주말에 관공서 주차장이 비어 있는데 주변 도로는 주차난이 심합니다.</p>",
        "<p>공공 주차장을 주말에 무료로 개방하고 빈자리를 지도에 실시간으로 보여 줍니다.</p>",
        "2025-03-05",
    ),
    "summer": (
        "여름철 어르신 안부 확인",
        "<p>더운 날 홀로 사는 어르신이 쓰러져도 아무도 모릅니다.</p>",
        "<p>통장과 자원봉사자가 전화로 매일 안부를 묻습니다.</p>",
        "2025-03-02",
    ),
}
# A declines "summer" on 3-6 and its proposer refines it, on 3-14, into B's heat-shelter map.
A_REFILES = {
    "heat": (
        "summer",
        "2025-03-06",
        "폭염 쉼터 지도",
        "<p>폭염 쉼터가 어디에 있는지 알기 어렵습니다.</p>",
        "<p>쉼터 위치와 운영 시간을 한 지도에 모아 공개합니다.</p>",
        "2025-03-14",
    ),
}
B_IDEAS = {
    "bus": (
        "버스정류장 도착안내 개선",
        "<p>정류장의 버스 도착 안내가 자주 틀려서 시민들이 오래 기다립니다!</p>",
        "<p>실시간 버스 위치 자료를 정류장 안내판에 바로 연결해 주세요.</p>",
        "2025-03-10",
    ),
    "parking": (
        "공공 주차장 주말 개방",
        "<p>주말에 관공서 주차장이 비어 있는데 주변 도로는 주차난이 심합니다.</p>",
        "<p>공공 주차장을 주말에 무료로 개방하고 빈자리를 지도에 실시간으로 보여 줍니다.</p>",
        "2025-03-01",
    ),
    "heat": (
        "폭염 쉼터 지도",
        "<p>폭염 쉼터가 어디에 있는지 알기 어렵습니다.</p>",
        "<p>쉼터 위치와 운영 시간을 한 지도에 모아 공개합니다.</p>",
        "2025-03-11",
    ),
}


def madang(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*MADANG, *args], env=env, check=check, timeout=300, capture_output=True, text=True)


def environment(root: Path, name: str, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_", "MADANG_"))}
    env.update(
        MADANG_DEBUG="1",
        MADANG_DATA_DIR=str(root / name),
        DJANGO_SETTINGS_MODULE="madang.settings",
        MADANG_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        MADANG_LEDGER_ORIGIN=f"127.0.0.1:{port}/ledger",
        MADANG_FINGERPRINT_KEY=KEY,
    )
    return env


@pytest.fixture(scope="module")
def agencies(tmp_path_factory, migrated_sqlite):
    root = tmp_path_factory.mktemp("agencies")
    ports = {"a": free_port(), "b": free_port()}
    envs = {name: environment(root, name, port) for name, port in ports.items()}
    # Two empty databases of one schema: copies of the file migrated once for the run (conftest.py).
    for name in ("a", "b"):
        (root / name).mkdir(exist_ok=True)
        shutil.copy(migrated_sqlite, root / name / "madang.sqlite3")
    setup = {
        "a": json.loads(
            madang(envs["a"], "shell", "-c", SETUP.format(ideas=A_IDEAS, refiles=A_REFILES)).stdout.splitlines()[-1]
        ),
        "b": json.loads(
            madang(envs["b"], "shell", "-c", SETUP.format(ideas=B_IDEAS, refiles={})).stdout.splitlines()[-1]
        ),
    }
    assert setup["a"]["vkey"] != setup["b"]["vkey"]  # each made its own ledger key
    procs = [
        subprocess.Popen(
            [*MADANG, "runserver", f"127.0.0.1:{ports[name]}", "--noreload", "--skip-checks"],
            env=envs[name],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name in ("a", "b")
    ]
    try:
        for port in ports.values():
            assert wait_for(lambda port=port: get(f"http://127.0.0.1:{port}/health/") == 200, timeout=180)
        yield {"env": envs, "port": ports, "setup": setup, "root": root}
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=30)


@dataclasses.dataclass
class Browser:
    """An opener with its cookie jar at hand (the CSRF token is read from it)."""

    opener: urllib.request.OpenerDirector
    jar: http.cookiejar.CookieJar

    def open(self, request: str | urllib.request.Request) -> Any:
        return self.opener.open(request)


def office_session(port: int) -> Browser:
    """B's office (강도윤) logged in over HTTP."""
    jar = http.cookiejar.CookieJar()
    opener = Browser(urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar)
    login = f"http://127.0.0.1:{port}/people/login/"
    opener.open(login).read()
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    form = urllib.parse.urlencode({"username": "doyun", "password": PASSWORD, "csrfmiddlewaretoken": csrf}).encode()
    opener.open(urllib.request.Request(login, data=form, headers={"Referer": login})).read()
    assert any(c.name == "sessionid" for c in jar)
    return opener


def csrf_of(opener: Browser) -> str:
    # Logging in rotates the token: read the cookie as it is now.
    return next(c.value for c in opener.jar if c.name == "csrftoken")


def peer_row(env: dict[str, str]) -> tuple:
    db = sqlite3.connect(Path(env["MADANG_DATA_DIR"]) / "madang.sqlite3", timeout=30)
    try:
        return db.execute("SELECT last_error, (SELECT COUNT(*) FROM priority_filing) FROM priority_peer").fetchone()
    finally:
        db.close()


def test_it_proves_across_two_installations_who_filed_first(agencies, tmp_path):
    a, b = agencies["setup"]["a"], agencies["setup"]["b"]
    env_b, port_a, port_b = agencies["env"]["b"], agencies["port"]["a"], agencies["port"]["b"]
    export_url = f"http://127.0.0.1:{port_a}/priority/export.json"
    madang(env_b, "priority", "peer", "새벽도", a["origin"], a["vkey"], "--url", export_url)

    fetched = madang(env_b, "priority", "fetch").stdout
    assert "4 new filings" in fetched and "3 new matches" in fetched, fetched

    office = office_session(port_b)
    bus = office.open(f"http://127.0.0.1:{port_b}/suggestions/{b['suggestions']['bus']}/").read().decode()
    assert 'data-order="theirs"' in bus and 'data-verified="yes"' in bus
    assert "새벽도" in bus and "2025-03-04" in bus
    parking = office.open(f"http://127.0.0.1:{port_b}/suggestions/{b['suggestions']['parking']}/").read().decode()
    assert 'data-order="ours"' in parking and "2025-03-05" in parking
    # A received its heat idea after ours, but first filed it before: theirs came first.
    heat = office.open(f"http://127.0.0.1:{port_b}/suggestions/{b['suggestions']['heat']}/").read().decode()
    assert 'data-order="theirs"' in heat and 'data-first="2025-03-02"' in heat and 'data-verified="yes"' in heat
    first = heat.split('href="/priority/filings/')[1].split('"')[0]
    assert first.endswith("/first-receipt.tlog-proof")  # the first filing's own receipt
    first_receipt = tmp_path / "first.tlog-proof"
    first_receipt.write_bytes(office.open(f"http://127.0.0.1:{port_b}/priority/filings/{first}").read())
    offline = subprocess.run(
        [sys.executable, "-m", "madang.solvers.tlog", "verify", "--vkey", a["vkey"], "--receipt", str(first_receipt)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert offline.returncode == 0, offline.stdout + offline.stderr
    assert b'"received_on":"2025-03-02"' in (tlog.parse_proof(first_receipt.read_bytes()).extra or b"")

    # A's receipt, as B hands it out, checked offline with A's public key alone.
    link = bus.split('href="/priority/filings/')[1].split('"')[0]
    receipt = tmp_path / "receipt.tlog-proof"
    receipt.write_bytes(office.open(f"http://127.0.0.1:{port_b}/priority/filings/{link}").read())
    offline = subprocess.run(
        [sys.executable, "-m", "madang.solvers.tlog", "verify", "--vkey", a["vkey"], "--receipt", str(receipt)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert offline.returncode == 0, offline.stdout + offline.stderr
    assert b'"received_on":"2025-03-04"' in (tlog.parse_proof(receipt.read_bytes()).extra or b"")

    # The office rules: A's filing came first; the ruling goes into B's ledger, which still verifies.
    match = bus.split('data-match="')[1].split('"')[0]
    rule = f"http://127.0.0.1:{port_b}/priority/matches/{match}/rule/"
    form = urllib.parse.urlencode(
        {"verdict": "theirs_first", "note": "새벽도에 먼저 접수된 같은 제안", "csrfmiddlewaretoken": csrf_of(office)}
    ).encode()
    office.open(urllib.request.Request(rule, data=form, headers={"Referer": rule})).read()
    bus = office.open(f"http://127.0.0.1:{port_b}/suggestions/{b['suggestions']['bus']}/").read().decode()
    assert 'data-ruling="theirs_first"' in bus
    verified = madang(env_b, "ledger", "verify", check=False)
    assert verified.returncode == 0, verified.stdout + verified.stderr

    # Fetched again: A's log is proven to have only grown since B saw it, and nothing is new.
    again = madang(env_b, "priority", "fetch").stdout
    assert "0 new filings, 4 known" in again, again


def test_it_refuses_an_export_whose_date_was_moved_and_keeps_nothing_of_it(agencies, tmp_path):
    env_b, port_a = agencies["env"]["b"], agencies["port"]["a"]
    a = agencies["setup"]["a"]
    if peer_row(env_b) is None:
        madang(env_b, "priority", "peer", "새벽도", a["origin"], a["vkey"])
    before = peer_row(env_b)[1]
    with urllib.request.urlopen(f"http://127.0.0.1:{port_a}/priority/export.json", timeout=30) as response:
        document = json.loads(response.read())
    entry = json.loads(base64.b64decode(document["filings"][0]["entry"]))
    entry["received_on"] = "2025-02-01"
    document["filings"][0]["entry"] = base64.b64encode(
        json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    ).decode()
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(document, ensure_ascii=False))

    done = madang(env_b, "priority", "import", "새벽도", str(tampered), check=False)

    assert done.returncode != 0
    assert "새벽도" in done.stderr
    last_error, filings = peer_row(env_b)
    assert last_error and "새벽도" in last_error
    assert filings == before
