"""Turn a named query into the SQL text one engine runs: bind parameters, then transpile.

The queries are written once, in DuckDB's dialect. sqlglot translates them to Spark SQL; where
its translation is not what we need, a rewrite listed in ``REWRITES`` fixes the tree first, so
every dialect difference is declared here, as data, with its reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from plainspoken.engine.queries import Query
from plainspoken.errors import EngineError

SOURCE_DIALECT = "duckdb"


@dataclass(frozen=True)
class Rewrite:
    """A change to the syntax tree before it is written in ``dialect``, and why it is needed."""

    name: str
    dialect: str
    reason: str
    apply: Callable[[exp.Expression], exp.Expression]


def _exact_percentile(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.PercentileCont) and node.args.get("expression") is not None:
        return exp.Anonymous(
            this="percentile", expressions=[node.this.copy(), node.expression.copy()]
        )
    return node


REWRITES: tuple[Rewrite, ...] = (
    Rewrite(
        "exact percentiles",
        "spark",
        "sqlglot writes DuckDB's quantile_cont(x, q) as PERCENTILE_CONT(x, q), which Spark "
        "rejects; Spark's percentile(x, q) is exact and interpolates linearly like DuckDB.",
        lambda tree: tree.transform(_exact_percentile),
    ),
)


def _literal(name: str, value: Any, query: str) -> exp.Expression:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise EngineError(
            f"query '{query}': parameter '{name}' is {value!r}, expected a number or a string"
        )
    return cast(exp.Expression, exp.convert(value))


def bind(query: Query, params: Mapping[str, Any]) -> exp.Expression:
    """Parse the query and replace every ``:name`` with the literal value of that parameter."""
    unknown = sorted(set(params) - set(query.params))
    if unknown:
        valid = ", ".join(sorted(query.params)) or "none"
        raise EngineError(
            f"query '{query.name}': unknown parameter '{unknown[0]}' (parameters: {valid})"
        )
    values = {**query.params, **params}
    try:
        tree = sqlglot.parse_one(query.sql, read=SOURCE_DIALECT)
    except SqlglotError as exc:
        raise EngineError(f"query '{query.name}': not valid SQL ({exc})") from exc

    def substitute(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Placeholder):
            name = str(node.this or "")
            if name not in values:
                raise EngineError(f"query '{query.name}': parameter ':{name}' has no value")
            return _literal(name, values[name], query.name)
        return node

    return tree.transform(substitute)


def render(tree: exp.Expression, dialect: str) -> str:
    """The SQL text of a bound query in ``dialect`` (after the rewrites declared for it)."""
    for rewrite in REWRITES:
        if rewrite.dialect == dialect:
            tree = rewrite.apply(tree)
    return tree.sql(dialect=dialect)


def sql_for(query: Query, dialect: str, params: Mapping[str, Any] | None = None) -> str:
    """Bind and transpile a named query for one engine's dialect."""
    return render(bind(query, params or {}), dialect)
