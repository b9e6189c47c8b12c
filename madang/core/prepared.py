"""Reads whose SQL is compiled once per database connection and then run with new values.

Compiling a query costs Django more than running it when the query reads a row or a page by
its key: the proposal's page asked for the proposal with ten joined and annotated columns, 1.1
ms to compile and 0.1 ms to run (issue 18). A hot read that asks the same question with other
values is built once as a queryset, compiled, and run again with the new values in the places
of the sample ones; rows come back exactly as the queryset makes them (its joined objects,
annotations, deferred fields and prefetches), because Django's own iterable reads them.

Which parameters are the values is found by compiling twice with two sets of sample values:
the SQL must be the same and the parameters must differ exactly where the samples are, or the
read is refused when it is first run (a value that changes the SQL, such as None becoming
`IS NULL`, cannot be prepared). Values are ints or strings, checked at each run; an int beyond
the range of a 64-bit integer column (Madang's keys are all `BigAutoField`) makes an ordinary
query find nothing, so it finds nothing here too, without asking. (Within it, the database is
asked: both PostgreSQL and SQLite compare a narrower column with a wider value.)
"""

import copy
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.sql.compiler import SQLCompiler

_INT_RANGE = (-(2**63), 2**63 - 1)  # (a 64-bit integer column: Madang's keys)


def _samples(kinds: dict[str, type], which: int) -> dict[str, Any]:
    # Within a 32-bit column's range, so a sample fits whatever integer column it is compared with.
    out: dict[str, Any] = {}
    for i, (name, kind) in enumerate(sorted(kinds.items())):
        out[name] = 2_100_000_000 + 1000 * i + which if kind is int else f"\u241fprepared:{name}:{which}"
    return out


@dataclass
class _Compiled:
    queryset: QuerySet[Any]
    compiler: SQLCompiler
    sql: str
    params: tuple[Any, ...]
    places: dict[str, list[int]]


def _keep_converters(compiler: SQLCompiler) -> None:
    """Reading rows asks the compiler for each column's converters (the database's and the
    field's: dates, decimals, booleans), every time, though a compiled read's columns never
    change: about 0.3 ms of a proposal's page. The compiler (and every copy `run` makes) now works them
    out once; they are only read afterwards."""
    work_out = compiler.get_converters
    kept: dict[tuple[int, ...], tuple[list[Any], dict[int, Any]]] = {}

    def get_converters(expressions: list[Any]) -> dict[int, Any]:
        key = tuple(map(id, expressions))
        found = kept.get(key)
        if found is None:  # (the expressions are kept too, so no id is reused while the key lives)
            found = kept[key] = (list(expressions), work_out(expressions))
        return found[1]

    compiler.get_converters = get_converters  # type: ignore[method-assign]  # this compiler's columns are fixed


class Prepared[M: Model]:
    """`build(**values)` is a queryset; `run(**values)` is its rows, compiled once per connection.

    `kinds` names each value and its type (int or str); `build` must use every value as a
    query parameter (a filter's value, a RawSQL parameter), not in the SQL's text or a slice.
    """

    def __init__(self, build: Callable[..., QuerySet[M]], *, using: str = "default", **kinds: type) -> None:
        for name, kind in kinds.items():
            if kind not in (int, str):
                raise TypeError(f"prepared values are ints or strings, not {kind.__name__} ({name})")
        self.build = build
        self.kinds = kinds
        self.using = using
        self._local = threading.local()  # (a thread's connection is its own: so is its copy)

    def _compiled(self) -> _Compiled:
        connection = connections[self.using]
        compiled: _Compiled | None = getattr(self._local, "compiled", None)
        if compiled is not None and compiled.compiler.connection is connection:
            return compiled
        first, second = _samples(self.kinds, 1), _samples(self.kinds, 2)
        queryset = self.build(**first)
        compiler = queryset.query.get_compiler(using=self.using)
        sql, params = compiler.as_sql()  # (sets up what reading rows needs: the columns, the joined models)
        other_sql, other_params = self.build(**second).query.get_compiler(using=self.using).as_sql()
        places: dict[str, list[int]] = {name: [] for name in self.kinds}
        by_sample = {value: name for name, value in first.items()}
        if sql != other_sql or len(params) != len(other_params):
            raise ValueError(f"{self.build.__qualname__}: the SQL depends on the values; it cannot be prepared")
        for i, (one, two) in enumerate(zip(params, other_params, strict=True)):
            name = by_sample.get(one)
            if name is None and one != two:
                raise ValueError(f"{self.build.__qualname__}: parameter {i} changes but is none of the values")
            if name is not None:
                if two != second[name]:
                    raise ValueError(f"{self.build.__qualname__}: parameter {i} is not the value {name}")
                places[name].append(i)
        missing = [name for name, spots in places.items() if not spots]
        if missing:
            raise ValueError(f"{self.build.__qualname__}: {', '.join(missing)} not sent as parameters")
        _keep_converters(compiler)
        compiled = _Compiled(queryset, compiler, sql, tuple(params), places)
        self._local.compiled = compiled
        return compiled

    def run(self, **values: Any) -> list[M]:
        """The rows `build(**values)` would read, read with the SQL compiled before."""
        if values.keys() != self.kinds.keys():
            raise TypeError(f"prepared read takes {sorted(self.kinds)}, given {sorted(values)}")
        for name, value in values.items():
            if type(value) is not self.kinds[name]:
                raise TypeError(f"{name} must be {self.kinds[name].__name__}, not {type(value).__name__}")
            if type(value) is int and not _INT_RANGE[0] <= value <= _INT_RANGE[1]:
                return []
        compiled = self._compiled()
        params = list(compiled.params)
        for name, spots in compiled.places.items():
            for i in spots:
                params[i] = values[name]
        # A copy of the set-up compiler that answers its SQL with these values; the queryset's
        # own iterable then reads the rows as it always does (the compiler's columns and joined
        # models are only read, never changed, by reading rows).
        compiler = copy.copy(compiled.compiler)
        sql, filled = compiled.sql, tuple(params)
        compiler.as_sql = lambda *args, **kwargs: (sql, filled)  # type: ignore[method-assign]  # this copy's SQL is fixed
        queryset = compiled.queryset._chain()  # type: ignore[attr-defined]  # QuerySet's own copy, as each of its methods makes
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        return list(queryset)
