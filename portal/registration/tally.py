"""The counters of each event's registrations, kept as registrations change (issue 13, item 3).

The dashboard, the coordinators' list, the sources table and the public pages' "N registered" read
these rows instead of counting the registrations on each request: a few hundred rows per event,
whatever the number of applicants.

One row per (event, status, dimension, value) holds how many registrations of the event with that
status have that value: dimension "all" (value ""), "gender", "age_band", "province", "workshop",
"organization_type", "group" (registration.groups: women, youth, disability), "need" (one per
declared need: health data, read only for SEE_HEALTH_DATA), "support" (travel, accommodation),
"out_of_region" ("yes"), "source" (the association's id, or "none"), "heard_from" (the answer, or
"none"), and for the people marked present "present_gender", "present_age_band",
"present_organization_type", "present_province" and "present" (value "").

How they stay exact: one listener on every session's flush (`_before_flush`/`_after_flush`). It reads,
from the database, the counted values of every registration the flush changes or deletes (and of
those whose needs change), once before the flush and once after, and adds the difference. A
registration the flush inserts had no counters before, and its values after are the ones just
written, still on the object: counted from it, no read; should one of them not be on the object
(expired, a server default), it is read instead.
Every writer goes through the ORM (cancellation, decisions, offers, erasure, anonymisation, import,
assisted registration, check-in) or through `database.insert_new()` (the public form's registration),
whose listener `_count_inserted` counts the new row the same way: none can forget. Rows written
around both (bulk loads, a benchmark) call `rebuild()` afterwards; `fresh()` counts from the
registrations themselves, for that and for the tests.
"""
from collections import Counter
from types import SimpleNamespace

from sqlalchemy import ForeignKey, Integer, String, delete, event, select, text
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..database import after_insert_new
from ..extensions import db
from .groups import groups_of_values
from .models import Registration, RegistrationAccessNeed

PROFILE = ("gender", "age_band", "organization_type", "province")
# The registration's attributes that counters read; a flush that changes none of them counts nothing.
_COUNTED = ("event_id", "status", "gender", "age_band", "organization_type", "province_code", "workshop_id",
            "travel_support", "accommodation_support", "out_of_region", "source_organization_id", "heard_from",
            "checked_in_at", "needs", "event", "workshop", "province", "source_organization")
_COLUMNS = (Registration.id, Registration.event_id, Registration.status, Registration.gender,
            Registration.age_band, Registration.organization_type, Registration.province_code,
            Registration.workshop_id, Registration.travel_support, Registration.accommodation_support,
            Registration.out_of_region, Registration.source_organization_id, Registration.heard_from,
            Registration.checked_in_at)
_PENDING = "portal_tally_pending"  # key in Session.info, from before a flush to after it


class RegistrationTally(db.Model):
    __tablename__ = "registration_tally"

    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(12), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(32), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


def keys_of(row, needs) -> list[tuple]:
    """The (event, status, dimension, value) counters one registration adds 1 to."""
    profile = {"gender": row.gender, "age_band": row.age_band, "organization_type": row.organization_type,
               "province": row.province_code}
    pairs = [("all", ""), ("workshop", str(row.workshop_id)),
             ("source", "none" if row.source_organization_id is None else str(row.source_organization_id)),
             ("heard_from", row.heard_from or "none")]
    pairs += list(profile.items())
    pairs += [("group", group) for group in sorted(groups_of_values(row.gender, row.age_band, bool(needs)))]
    pairs += [("need", need) for need in sorted(needs)]
    pairs += [("support", name) for name, wanted in (("travel", row.travel_support),
                                                     ("accommodation", row.accommodation_support)) if wanted]
    if row.out_of_region:
        pairs.append(("out_of_region", "yes"))
    if row.checked_in_at is not None:
        pairs.append(("present", ""))
        pairs += [(f"present_{name}", value) for name, value in profile.items()]
    return [(row.event_id, row.status, dimension, str(value)) for dimension, value in pairs]


_COLUMN_KEYS = tuple(column.key for column in _COLUMNS)
# Columns an INSERT writes NULL into when the object leaves them unset (no default of any kind):
# after the flush they are still missing from the object, and known all the same.
_NULL_WHEN_UNSET = frozenset(
    column.key for column in _COLUMNS
    if not (column.property.columns[0].primary_key or column.property.columns[0].default is not None
            or column.property.columns[0].server_default is not None))


def _inserted_keys(registration: Registration) -> list[tuple] | None:
    """The counters of a registration this flush inserted, from the values the INSERT wrote, still
    on the object; None when one of them is not known there (it is read from the database)."""
    values = sa_inspect(registration).dict
    row = {}
    for key in _COLUMN_KEYS:
        if key in values:
            row[key] = values[key]
        elif key in _NULL_WHEN_UNSET:
            row[key] = None
        else:
            return None
    return keys_of(SimpleNamespace(**row), [need.need for need in values.get("needs", ())])


def _keys(connection, ids=None, event_id=None) -> Counter:
    """The counters of these registrations (by id, or all of one event), read from the database."""
    total = Counter()
    if ids is not None:
        ids = sorted(ids)
        chunks = [ids[start:start + 500] for start in range(0, len(ids), 500)]
    else:
        chunks = [None]
    for chunk in chunks:
        rows_query = select(*_COLUMNS)
        needs_query = select(RegistrationAccessNeed.registration_id, RegistrationAccessNeed.need)
        if chunk is not None:
            rows_query = rows_query.where(Registration.id.in_(chunk))
            needs_query = needs_query.where(RegistrationAccessNeed.registration_id.in_(chunk))
        else:
            rows_query = rows_query.where(Registration.event_id == event_id)
            needs_query = needs_query.join(Registration, Registration.id == RegistrationAccessNeed.registration_id) \
                .where(Registration.event_id == event_id)
        needs: dict[int, list[str]] = {}
        for registration_id, need in connection.execute(needs_query):
            needs.setdefault(registration_id, []).append(need)
        for row in connection.execute(rows_query):
            total.update(keys_of(row, needs.get(row.id, ())))
    return total


_UPSERTS: dict[int, object] = {}
_ROWS_PER_STATEMENT = 200


def _upsert(rows: int):
    """INSERT of `rows` rows ... ON CONFLICT adding to the count: one statement, not one per row.
    On the public form's POST it runs inside the write lock, where each statement is a wait for
    the GIL (the sqlite3 module releases it around every step). Written as text, built once per
    size: SQLAlchemy compiles a many-row INSERT again at each execution. The same SQL on SQLite
    and PostgreSQL."""
    statement = _UPSERTS.get(rows)
    if statement is None:
        values = ", ".join(f"(:event_id_{row}, :status_{row}, :dimension_{row}, :value_{row}, :count_{row})"
                           for row in range(rows))
        statement = _UPSERTS.setdefault(rows, text(
            f"INSERT INTO {RegistrationTally.__tablename__} (event_id, status, dimension, value, count) "
            f"VALUES {values} ON CONFLICT (event_id, status, dimension, value) "
            f"DO UPDATE SET count = {RegistrationTally.__tablename__}.count + excluded.count"))
    return statement


def _add(connection, delta: Counter) -> None:
    """Add the non-zero differences, in a fixed order (two transactions lock the rows alike)."""
    rows = [(key, number) for key, number in sorted(delta.items()) if number]
    for start in range(0, len(rows), _ROWS_PER_STATEMENT):
        chunk = rows[start:start + _ROWS_PER_STATEMENT]
        values = {}
        for index, ((event_id, status, dimension, value), number) in enumerate(chunk):
            values.update({f"event_id_{index}": event_id, f"status_{index}": status,
                           f"dimension_{index}": dimension, f"value_{index}": value, f"count_{index}": number})
        connection.execute(_upsert(len(chunk)), values)


def _changed(registration: Registration) -> bool:
    state = sa_inspect(registration)
    return any(state.attrs[name].history.has_changes() for name in _COUNTED)


def _before_flush(session, flush_context, instances) -> None:
    ids, new = set(), []
    for obj in session.new:
        if isinstance(obj, Registration):
            new.append(obj)
        elif isinstance(obj, RegistrationAccessNeed) and obj.registration_id is not None:
            ids.add(obj.registration_id)
    for obj in session.dirty:
        if isinstance(obj, Registration) and obj.id is not None and _changed(obj):
            ids.add(obj.id)
        elif isinstance(obj, RegistrationAccessNeed) and obj.registration_id is not None:
            ids.add(obj.registration_id)
    for obj in session.deleted:
        if isinstance(obj, Registration) and obj.id is not None:
            ids.add(obj.id)
        elif isinstance(obj, RegistrationAccessNeed) and obj.registration_id is not None:
            ids.add(obj.registration_id)
    if not ids and not new:
        return
    before = _keys(session.connection(), ids) if ids else Counter()
    session.info[_PENDING] = (ids, new, before)  # one flush at a time; a failed one is overwritten


def _after_flush(session, flush_context) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is None:
        return
    ids, new, before = pending
    touched, after = set(ids), Counter()
    for obj in new:
        if obj.id is None:  # not inserted after all
            continue
        keys = None if obj.id in ids else _inserted_keys(obj)
        if keys is None:
            touched.add(obj.id)
        else:
            after.update(keys)
    if touched:
        after.update(_keys(session.connection(), touched))
    after.subtract(before)
    _add(session.connection(), after)


def _count_inserted(connection, registration: Registration) -> None:
    """A registration written by insert_new(): counted from its values, as a flush counts one."""
    keys = _inserted_keys(registration)
    _add(connection, Counter(keys) if keys is not None else _keys(connection, {registration.id}))


def install() -> None:
    """Listen to every session's flushes, and to insert_new(), once per process (several apps
    share the Session class)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
    after_insert_new(Registration, _count_inserted)


def fresh(connection, event_id: int) -> Counter:
    """The counters of one event, counted from its registrations now."""
    return +_keys(connection, event_id=event_id)


def rebuild(session, event_id: int | None = None) -> None:
    """Recount one event (every event without `event_id`) from its registrations: after rows were
    written around the ORM. Inside the caller's transaction."""
    connection = session.connection()
    if event_id is None:
        event_ids = list(connection.execute(select(Registration.event_id).distinct()).scalars())
        connection.execute(delete(RegistrationTally.__table__))
    else:
        event_ids = [event_id]
        connection.execute(delete(RegistrationTally.__table__).where(RegistrationTally.event_id == event_id))
    for ident in event_ids:
        _add(connection, fresh(connection, ident))


def stored(event_ids) -> Counter:
    """The kept counters of these events, non-zero only: {(event, status, dimension, value): count}."""
    table = RegistrationTally.__table__
    rows = db.session.execute(select(table.c.event_id, table.c.status, table.c.dimension, table.c.value,
                                     table.c.count).where(table.c.event_id.in_(list(event_ids)), table.c.count != 0))
    return Counter({(e, s, d, v): n for e, s, d, v, n in rows})


class Tally:
    """The counters of one event, read once, summed as the screens need them."""

    def __init__(self, event_id: int, counters: Counter | None = None):
        self.event_id = event_id
        self.counters = stored([event_id]) if counters is None else counters

    def count(self, statuses, dimension="all", value="") -> int:
        return sum(self.counters.get((self.event_id, status, dimension, value), 0) for status in statuses)

    def by_value(self, statuses, dimension) -> dict[str, int]:
        """value -> count among these statuses (values counted at least once)."""
        wanted = set(statuses)
        result: Counter = Counter()
        for (_, status, name, value), number in self.counters.items():
            if name == dimension and status in wanted:
                result[value] += number
        return {value: number for value, number in result.items() if number}
