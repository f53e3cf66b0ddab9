"""province spellings: the Arabic names corrected in portal/geo/data (corrections.csv there)

Revision ID: 0025
Revises: 0024

A fresh database reads the corrected CSV (0002, 0010). One made before gets the corrected name in
the province table and in the name of the province's pre-filled institution of the directory, when
that name is still the one the migration 0010 wrote (a name changed by an administrator is theirs).
The values are written here, not read from the CSV: a migration must not change with later files.
"""
import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

# (code, kind of the pre-filled institution, title of its Arabic name, the source's name, the corrected name)
CORRECTIONS = [
    ("02.381", "province", "إقليم", "الناضور", "الناظور"),
]

province = sa.table("province", sa.column("code", sa.String), sa.column("name_ar", sa.String))
institution = sa.table("institution", sa.column("kind", sa.String), sa.column("reference_code", sa.String),
                       sa.column("name_ar", sa.String))


def _rename(before_index, after_index):
    for row in CORRECTIONS:
        code, kind, title = row[:3]
        before, after = row[before_index], row[after_index]
        op.execute(province.update().where(province.c.code == code, province.c.name_ar == before)
                   .values(name_ar=after))
        op.execute(institution.update().where(institution.c.kind == kind, institution.c.reference_code == code,
                                              institution.c.name_ar == f"{title} {before}")
                   .values(name_ar=f"{title} {after}"))


def upgrade():
    _rename(3, 4)


def downgrade():
    _rename(4, 3)
