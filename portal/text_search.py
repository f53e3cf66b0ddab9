"""Substring search through an index (issue 13, item 3): the one way the back office searches
people and institutions by text.

A searched table has one search text per row: its columns joined by a line feed (a search, typed on
one line, never spans two columns; "first_name last_name" is one column, so a full name matches).
A row matches when the text contains what was typed, whatever its case: the meaning of the former
`lower(column) LIKE '%…%'` on each column, without reading every row.

- SQLite: an FTS5 table with the trigram tokenizer (case folded, Unicode-aware: É finds é, Arabic
  as typed), kept by triggers of migration 0027 (insert, update, delete: every writer, ORM or not,
  and erasure removes the row's entry). It reads the text through a view and stores none itself
  (external content): an erased name stays nowhere. A phrase of three characters or more goes
  through the index; shorter, the trigrams cannot, and the LIKE scan answers.
- PostgreSQL: a GIN trigram index (pg_trgm) on lower(text); `lower(text) LIKE '%…%'` uses it.

`IndexedText` names the parts; `matches(q)` is the condition to put in a query's WHERE.
"""
from dataclasses import dataclass

from sqlalchemy import String, column, func, literal_column, select, table

from .extensions import db

SEPARATOR_SQL = {"sqlite": "char(10)", "postgresql": "E'\\n'"}


def escape_like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class IndexedText:
    id_column: object  # the model's id (the FTS table's rowid)
    parts: tuple  # the model's columns in the order of the search text; a tuple: columns joined by a space
    fts_table: str  # SQLite FTS5 table (external content: a view of (id, text))

    def text_sql(self, dialect: str):
        """The search text as SQL: the same expression as the index of migration 0027."""
        expression = None
        for part in self.parts:
            for position, piece in enumerate(part if isinstance(part, tuple) else (part,)):
                if expression is None:
                    expression = piece
                    continue
                joiner = literal_column("' '" if position else SEPARATOR_SQL[dialect], String)
                expression = expression.op("||")(joiner).op("||")(piece)
        return expression

    def matches(self, q: str):
        """A WHERE condition: the row's search text contains `q` (any case)."""
        dialect = db.session.get_bind().dialect.name
        if dialect == "sqlite" and len(q) >= 3:
            fts = table(self.fts_table, column("rowid"), column(self.fts_table))
            phrase = '"' + q.replace('"', '""') + '"'
            return self.id_column.in_(select(fts.c.rowid).where(fts.c[self.fts_table].op("MATCH")(phrase)))
        return func.lower(self.text_sql(dialect)).like(escape_like(q), escape="\\")


def compact_indexes(now) -> int:
    """For `flask purge`, after the anonymisations. On SQLite, an entry removed from an FTS5 index
    (an erasure, an anonymisation) is no longer found, but its trigrams stay in the index's binary
    segments until they merge; 'optimize' merges them all, so that nothing of an erased person
    outlives the next daily purge. Returns how many indexes were compacted (none on PostgreSQL,
    whose index entries go with the row's versions, reclaimed by VACUUM)."""
    from sqlalchemy import text
    if db.session.get_bind().dialect.name != "sqlite":
        return 0
    for name in INDEX_NAMES:
        db.session.execute(text(f"INSERT INTO {name}({name}) VALUES ('optimize')"))
    return len(INDEX_NAMES)


# The objects of migration 0027 that no model declares: the FTS5 tables (and their shadow tables)
# and the trigram indexes. Alembic's comparison of models and schema leaves them out.
INDEX_NAMES = ("registration_search", "institution_search", "institution_email_search")


def include_name(name, type_, parent_names) -> bool:
    """Alembic's `include_name`: False for the search index's own tables and indexes."""
    if type_ == "table":
        return not any(name == index or name.startswith(index + "_") for index in INDEX_NAMES)
    if type_ == "index":
        return name not in {f"ix_{index}" for index in INDEX_NAMES}
    return True
