"""Declarative base, constraint naming convention and shared column types.

Every editable table carries ``version`` as SQLAlchemy's ``version_id_col``: an
UPDATE names the version it read, so two operators on a shared server can never
silently overwrite each other (the loser gets ``StaleDataError``, which core turns
into a ``ConflictError``). ``server_default`` lets Core bulk inserts skip it.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from sqlalchemy import JSON, DateTime, Integer, MetaData, String, Table, Text, func, text
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

intpk = Annotated[int, mapped_column(Integer, primary_key=True)]
str20 = Annotated[str, mapped_column(String(20))]
str64 = Annotated[str, mapped_column(String(64))]
str200 = Annotated[str, mapped_column(String(200))]
text_ = Annotated[str, mapped_column(Text)]
# Local wall-clock time like every other timestamp here (SQLite's CURRENT_TIMESTAMP is
# UTC); the server default only serves raw bulk inserts that leave the column out.
created_ts = Annotated[
    dt.datetime,
    mapped_column(
        DateTime, default=dt.datetime.now, server_default=func.current_timestamp(), nullable=False
    ),
]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON}


class Versioned:
    """Mixin: optimistic concurrency counter used by the ORM on every UPDATE."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("1"))

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        return {"version_id_col": cls.version}


def table_of(model: type[Base]) -> Table:
    """The Core Table behind a mapped class (typed, for bulk Core statements)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table
