"""the coordinators' list at 100k applicants: counters kept as registrations change, text search
through an index (issue 13, item 3)

Revision ID: 0027
Revises: 0026

- Two indexes for the list sorted by province or by organisation.
- registration_tally: per event, status, dimension and value, how many registrations
  (portal.registration.tally keeps it; filled here from the registrations already there, with the
  rules of today written out: a migration must not change with later files).
- Search text of registrations (first and last name, e-mail, organisation, phone, reference),
  institutions (French and Arabic names, contact, title) and institutions' addresses, one line per
  column (portal.text_search):
  SQLite: FTS5 tables with the trigram tokenizer, external content (views), kept by triggers;
  PostgreSQL: pg_trgm GIN indexes on lower(text).
  SQLite drops a table's triggers with the table: a later migration that rebuilds one of these
  tables (batch_alter_table) must create its triggers again (`_sqlite_search` here shows how).
"""
from collections import Counter

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

# (FTS table, source table, the search text in SQL with {row}. before each column, its columns)
SEARCHES = (
    ("registration_search", "registration",
     "{row}first_name || ' ' || {row}last_name || {sep} || {row}email || {sep} || {row}organization || {sep} || "
     "{row}phone || {sep} || {row}reference",
     ("first_name", "last_name", "email", "organization", "phone", "reference")),
    ("institution_search", "institution",
     "{row}name_fr || {sep} || {row}name_ar || {sep} || {row}contact_name || {sep} || {row}contact_title",
     ("name_fr", "name_ar", "contact_name", "contact_title")),
    ("institution_email_search", "institution_email", "{row}email", ("email",)),
)
PG_LINE_FEED = "E'\\n'"
YOUTH_AGE_BANDS = ("under_18", "18_24", "25_34")


def _sqlite_search(name, source, text, columns):
    def of(row):
        return text.format(row=row, sep="char(10)")
    op.execute(f"CREATE VIEW {name}_text AS SELECT id, {of('')} AS text FROM {source}")
    op.execute(f"CREATE VIRTUAL TABLE {name} USING fts5(text, content='{name}_text', content_rowid='id', "
               "tokenize='trigram')")
    op.execute(f"CREATE TRIGGER {name}_insert AFTER INSERT ON {source} BEGIN "
               f"INSERT INTO {name}(rowid, text) VALUES (new.id, {of('new.')}); END")
    op.execute(f"CREATE TRIGGER {name}_delete AFTER DELETE ON {source} BEGIN "
               f"INSERT INTO {name}({name}, rowid, text) VALUES ('delete', old.id, {of('old.')}); END")
    op.execute(f"CREATE TRIGGER {name}_update AFTER UPDATE OF {', '.join(columns)} ON {source} BEGIN "
               f"INSERT INTO {name}({name}, rowid, text) VALUES ('delete', old.id, {of('old.')}); "
               f"INSERT INTO {name}(rowid, text) VALUES (new.id, {of('new.')}); END")
    op.execute(f"INSERT INTO {name}({name}) VALUES ('rebuild')")


def _postgresql_search(name, source, text, schema):
    op.execute(f"CREATE INDEX ix_{name} ON {source} USING gin "
               f"(lower({text.format(row='', sep=PG_LINE_FEED)}) \"{schema}\".gin_trgm_ops)")


def _fill_tally(bind):
    registration = sa.table("registration", *[sa.column(name) for name in (
        "id", "event_id", "status", "gender", "age_band", "organization_type", "province_code", "workshop_id",
        "travel_support", "accommodation_support", "out_of_region", "source_organization_id", "heard_from",
        "checked_in_at")])
    need = sa.table("registration_access_need", sa.column("registration_id"), sa.column("need"))
    needs: dict[int, list[str]] = {}
    for registration_id, value in bind.execute(sa.select(need.c.registration_id, need.c.need)):
        needs.setdefault(registration_id, []).append(value)
    counts = Counter()
    for row in bind.execute(sa.select(registration)):
        declared = needs.get(row.id, [])
        profile = {"gender": row.gender, "age_band": row.age_band, "organization_type": row.organization_type,
                   "province": row.province_code}
        pairs = [("all", ""), ("workshop", str(row.workshop_id)),
                 ("source", "none" if row.source_organization_id is None else str(row.source_organization_id)),
                 ("heard_from", row.heard_from or "none"), *profile.items()]
        if row.gender == "female":
            pairs.append(("group", "women"))
        if row.age_band in YOUTH_AGE_BANDS:
            pairs.append(("group", "youth"))
        if declared:
            pairs.append(("group", "disability"))
        pairs += [("need", value) for value in declared]
        pairs += [("support", name) for name, wanted in (("travel", row.travel_support),
                                                         ("accommodation", row.accommodation_support)) if wanted]
        if row.out_of_region:
            pairs.append(("out_of_region", "yes"))
        if row.checked_in_at is not None:
            pairs.append(("present", ""))
            pairs += [(f"present_{name}", value) for name, value in profile.items()]
        counts.update((row.event_id, row.status, dimension, str(value)) for dimension, value in pairs)
    tally = sa.table("registration_tally", sa.column("event_id"), sa.column("status"), sa.column("dimension"),
                     sa.column("value"), sa.column("count"))
    rows = [{"event_id": e, "status": s, "dimension": d, "value": v, "count": n} for (e, s, d, v), n in counts.items()]
    if rows:
        op.bulk_insert(tally, rows)


def upgrade():
    op.create_table(
        "registration_tally",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("dimension", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=32), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_registration_tally_event_id_event"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", "status", "dimension", "value", name=op.f("pk_registration_tally")),
    )
    op.create_index("ix_registration_event_province", "registration", ["event_id", "province_code", "last_name", "id"])
    op.create_index("ix_registration_event_organization", "registration",
                    ["event_id", "organization", "last_name", "id"])
    bind = op.get_bind()
    _fill_tally(bind)
    if bind.dialect.name == "sqlite":
        for name, source, text, columns in SEARCHES:
            _sqlite_search(name, source, text, columns)
    else:
        # In schema public (on everyone's search path), once per database; its operator class named
        # with its schema, wherever it was installed before: the tables may live in another schema.
        # IF NOT EXISTS is no lock: two migrations at once (two schemas of one database, as the
        # test workers; two machines) both create it, and one fails. The first to come holds this
        # lock until its transaction ends; the next then finds the extension made.
        op.execute("SELECT pg_advisory_xact_lock(130027)")
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
        schema = bind.execute(sa.text("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                                      "ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'")).scalar_one()
        for name, source, text, _ in SEARCHES:
            _postgresql_search(name, source, text, schema)


def downgrade():
    bind = op.get_bind()
    for name, _, _, _ in SEARCHES:
        if bind.dialect.name == "sqlite":
            for trigger in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {name}_{trigger}")
            op.execute(f"DROP TABLE IF EXISTS {name}")
            op.execute(f"DROP VIEW IF EXISTS {name}_text")
        else:
            op.execute(f"DROP INDEX IF EXISTS ix_{name}")
    op.drop_index("ix_registration_event_organization", table_name="registration")
    op.drop_index("ix_registration_event_province", table_name="registration")
    op.drop_table("registration_tally")
