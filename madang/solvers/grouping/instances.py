"""Reading MDGPLIB instance files (Gallego, Laguna, Martí & Duarte, JORS 64:724-734, 2013).

Line 1: `N G type lb_1 ub_1 ... lb_G ub_G`; then `i j d_ij` for each pair i < j (0-based).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class Instance:
    name: str
    d: npt.NDArray[np.float64]
    min_sizes: list[int]
    max_sizes: list[int]
    kind: str


def read_mdgplib(path: str | Path) -> Instance:
    path = Path(path)
    with path.open() as fh:
        head = fh.readline().split()
        n, g, kind = int(head[0]), int(head[1]), head[2]
        bounds = [int(x) for x in head[3 : 3 + 2 * g]]
        rows = np.loadtxt(fh, ndmin=2)
    d = np.zeros((n, n))
    i = rows[:, 0].astype(int)
    j = rows[:, 1].astype(int)
    d[i, j] = rows[:, 2]
    d[j, i] = rows[:, 2]
    return Instance(path.stem, d, bounds[0::2], bounds[1::2], kind)
