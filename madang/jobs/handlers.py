"""Jobs that belong to no domain: a self-test used by `madang readiness` and the tests."""

import time
from typing import Any

from madang.core.errors import DomainError


def selftest(ctx: Any, *, steps: int = 3, delay: float = 0.0, fail: str = "", crash: bool = False) -> dict[str, int]:
    for i in range(steps):
        ctx.progress(i, steps, f"step {i + 1} of {steps}")
        if delay:
            time.sleep(delay)
    if fail:
        raise DomainError(fail, code="selftest")
    if crash:
        raise RuntimeError("selftest crash")
    ctx.progress(steps, steps, "done")
    return {"steps": steps}
