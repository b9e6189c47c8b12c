"""Documents benchmark: `.venv/bin/python bench/documents_bench.py [--processes 2]`.

Renders 60 official letters (one per agency, five agreed tasks each) and the report of a
120-person event (60 agencies, 120 answers, the participation chart) to HWPX and PDF, through
the same forms and renderers the app uses, and reports wall time and peak memory (tracemalloc
for Python allocations; the process's peak resident size). Target: the 60 letters under 10 s.

The letters are made as the batch job makes them (the form parsed once, python-hwpx's per-file
open check skipped because the form was checked when saved), and, side by side, with the check
left on as before.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from madang.documents import catalogue
from madang.documents.render.charts import bars
from madang.documents.render.pdf import _embedded
from madang.documents.render.templating import parse


def letters() -> list[dict]:
    base = catalogue.KINDS["letter_event_tasks"].sample
    tasks = [
        {
            "number": str(i),
            "title": f"합의 과제 {i}: 민원 서류 간소화와 행정정보 공동이용",
            "description": "여러 기관이 같은 서류를 다시 받지 않도록 행정정보 공동이용 대상을 넓힙니다. " * 3,
            "proposal": f"gov-hackathon-2026-{i}",
        }
        for i in range(1, 6)
    ]
    return [
        {**base, "recipient": f"기관{n:02d}장", "doc_number": f"혁신담당관-1-{n}", "tasks": tasks} for n in range(1, 61)
    ]


def event_report() -> dict:
    base = catalogue.KINDS["event_report"].sample
    return {
        **base,
        "by_agency": [{"agency": f"기관{n:02d}", "count": "2"} for n in range(60)],
        "answers": [
            {
                "task": f"합의 과제 {t}",
                "agency": f"기관{n:02d}",
                "department": "혁신과",
                "answer": "수용",
                "execution": "",
            }
            for t in range(1, 3)
            for n in range(60)
        ],
        "programme": [{"time": f"5. 12. {9 + h}:00", "title": f"세션 {h}", "method": "월드카페"} for h in range(8)],
        "chart": bars([(str(g), [float(20 + g), float(18 + g)]) for g in range(5)]),
    }


_FORMS = {kind: parse(catalogue.default_text(kind)) for kind in ("letter_event_tasks", "event_report")}


def render(ctx: dict, kind: str = "letter_event_tasks", check: bool = False) -> int:
    doc = catalogue.build(kind, ctx, _FORMS[kind])
    return len(catalogue.produce(doc, "hwpx", check=check)) + len(catalogue.produce(doc, "pdf"))


def render_checked(ctx: dict) -> int:
    return render(ctx, check=True)


def timed(label: str, fn) -> float:  # type: ignore[no-untyped-def]
    # Time first without tracing (tracemalloc slows allocation-heavy XML work several fold),
    # then the Python peak in a second, traced run.
    t = time.perf_counter()
    size = fn()
    elapsed = time.perf_counter() - t
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label}: {elapsed:.2f} s, {size / 1e6:.1f} MB written, Python peak {peak / 1e6:.1f} MB")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--processes", type=int, default=0, help="also render the letters on this many processes")
    args = parser.parse_args()
    render(letters()[0])  # imports and font registration, once
    items = letters()
    seq = timed("60 letters, HWPX + PDF, one process, as the job makes them", lambda: sum(render(c) for c in items))
    timed("the same with python-hwpx's per-file check (before)", lambda: sum(render_checked(c) for c in items))
    timed("120-person event report, HWPX + PDF", lambda: render(event_report(), "event_report"))
    if args.processes:
        with ProcessPoolExecutor(args.processes) as pool:
            t = time.perf_counter()
            size = sum(pool.map(render, items, chunksize=5))
            print(
                f"60 letters on {args.processes} processes: {time.perf_counter() - t:.2f} s, {size / 1e6:.1f} MB "
                "written"
            )
    font = "NanumGothic embedded" if _embedded() is not None else "CID font HYGothic-Medium (fonts-nanum not installed)"
    print(f"PDF font: {font}")
    print(f"peak resident size of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(
        f"target (60 letters < 10 s): {'met' if seq < 10 else 'NOT met'}; load average "
        f"{Path('/proc/loadavg').read_text().split()[0]}"
    )


if __name__ == "__main__":
    main()
