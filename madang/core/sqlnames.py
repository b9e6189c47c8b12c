"""Quoted names of models' tables and columns, for the few reads written as plain SQL.

A page that reads one row asks some questions in plain SQL (an `EXISTS`, a `COUNT`) because the
ORM costs more to compile such a query than the database costs to run it (issue 18). The names
still come from the models, so a renamed table or column changes them too.
"""

from typing import Any

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL


def table(model: Any) -> str:
    return connection.ops.quote_name(str(model._meta.db_table))


def column(model: Any, field: str) -> str:
    """The column of `field` (a concrete field or foreign key of `model`, not a reverse relation)."""
    name = getattr(model._meta.get_field(field), "column", None)
    if not isinstance(name, str):
        raise TypeError(f"{model.__name__}.{field} has no column of its own")
    return connection.ops.quote_name(name)


def pk(model: Any) -> str:
    """`"table"."id"`: the primary key of the outer query's row, for a correlated subquery."""
    return f"{table(model)}.{column(model, model._meta.pk.name)}"


def exists(model: Any, fk: str, outer: str, **equal: Any) -> RawSQL:
    """An annotation: whether `model` has a row whose `fk` column holds the outer query's `outer`
    (such as `pk(Proposal)`) and whose other columns equal `equal` (sent as parameters). The
    inner table has an alias of its own, so `model` may be the outer query's model too."""
    inner = connection.ops.quote_name("inner_row")
    tests = [f"{inner}.{column(model, fk)} = {outer}", *(f"{inner}.{column(model, name)} = %s" for name in equal)]
    sql = f"EXISTS(SELECT 1 FROM {table(model)} {inner} WHERE {' AND '.join(tests)})"  # noqa: S608 (names from the models; values as parameters)
    return RawSQL(sql, tuple(equal.values()), output_field=BooleanField())  # noqa: S611 (the same)
