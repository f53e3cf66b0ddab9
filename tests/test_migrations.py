"""Migrations that move data keep it working: a manage link sent before tokens were hashed
(migration 0006) still opens its registration afterwards, its clear token is gone, and the rows
that refer to the registration survive SQLite's table rebuild."""

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from portal.campaigns.defaults import CHANGE_NOTICE_NAME, SPEAKER_INVITATION_NAME
from portal.clock import utcnow
from portal.extensions import db
from tests.support.database import app_on_new_database

OLD_TOKEN = "an-old-manage-token-sent-before-hashing-0123456789"


def test_manage_links_sent_before_hashing_still_work_and_the_clear_token_is_gone(tmp_path):
    with app_on_new_database(tmp_path, "migrations") as app:
        with app.app_context():
            upgrade(revision="0005")
            with db.engine.begin() as connection:
                connection.execute(sa.text(
                    "INSERT INTO event (id, slug, title_fr, title_ar, summary_fr, summary_ar, starts_on, city_fr, "
                    "city_ar, venue_name, venue_address, venue_accessibility_fr, venue_accessibility_ar, capacity, "
                    "published, created_at) VALUES (1, 'e', 'E', '', '', '', :day, 'Oujda', '', '', '', '', '', 70, "
                    ":yes, :now)"), {"day": (utcnow().date()), "yes": True, "now": utcnow()})
                connection.execute(sa.text(
                    "INSERT INTO workshop (id, event_id, position, title_fr, title_ar) VALUES (1, 1, 0, 'W', '')"))
                connection.execute(sa.text(
                    "INSERT INTO registration (id, reference, manage_token, event_id, status, first_name, last_name, "
                    "email, email_normalized, phone, gender, age_band, organization, organization_type, "
                    "province_code, city, workshop_id, language, access_needs_details, travel_support, "
                    "accommodation_support, out_of_region, consent_at, created_at) VALUES (1, 'CC-AAAAAAAA', "
                    ":token, 1, 'pending', 'Amina', 'El Idrissi', 'a@example.org', 'a@example.org', '', 'female', "
                    "'25_34', '', 'individual', '02.411', 'Oujda', 1, 'fr', '', :no, :no, :no, :now, :now)"),
                    {"token": OLD_TOKEN, "no": False, "now": utcnow()})
                connection.execute(sa.text(
                    "INSERT INTO status_change (registration_id, changed_at, to_status, reason) "
                    "VALUES (1, :now, 'pending', '')"), {"now": utcnow()})
            upgrade()
            # SQLite rebuilds the registration table: nothing that refers to it may go with it.
            assert db.session.execute(sa.text("SELECT count(*) FROM status_change")).scalar() == 1
            columns = {column["name"] for column in sa.inspect(db.engine).get_columns("registration")}
            assert "manage_token" not in columns
            stored = db.session.execute(sa.text("SELECT token_hash FROM manage_link")).scalars().all()
            assert len(stored) == 1 and OLD_TOKEN not in stored[0]
            db.session.remove()
        client = app.test_client()
        page = client.get(f"/manage/{OLD_TOKEN}")
        assert page.status_code == 200 and "Amina" in page.get_data(as_text=True)
        assert client.get(f"/manage/{OLD_TOKEN[:-1]}x").status_code == 404


def test_events_keep_their_visibility_and_speakers_when_states_and_people_arrive(tmp_path):
    """Migration 0009: a published event stays public and an unpublished one becomes a draft; its
    speakers and experts become people with a role (one person for one name), its venue a row."""
    with app_on_new_database(tmp_path, "migrations_0009") as app:
        with app.app_context():
            upgrade(revision="0008")
            with db.engine.begin() as connection:
                for event_id, published in ((1, True), (2, False)):
                    connection.execute(sa.text(
                        "INSERT INTO event (id, slug, title_fr, title_ar, summary_fr, summary_ar, starts_on, "
                        "city_fr, city_ar, venue_name, venue_address, venue_accessibility_fr, "
                        "venue_accessibility_ar, capacity, published, created_at) VALUES (:id, :slug, 'E', '', '', "
                        "'', :day, 'Oujda', '', :venue, '', 'Accessible', '', 70, :published, :now)"),
                        {"id": event_id, "slug": f"e{event_id}", "day": utcnow().date(), "now": utcnow(),
                         "published": published, "venue": "Hôtel de ville" if event_id == 1 else ""})
                    for position, (kind, name) in enumerate((("speaker", "ACODEC"), ("expert", "Expert(e)"))):
                        connection.execute(sa.text(
                            "INSERT INTO contributor (event_id, position, kind, name_fr, name_ar) "
                            "VALUES (:event, :position, :kind, :name, '')"),
                            {"event": event_id, "position": position, "kind": kind, "name": name})
            upgrade()
            rows = db.session.execute(sa.text("SELECT id, status FROM event ORDER BY id")).all()
            assert [tuple(row) for row in rows] == [(1, "published"), (2, "draft")]
            assert db.session.execute(sa.text("SELECT count(*) FROM person")).scalar() == 2
            roles = db.session.execute(sa.text(
                "SELECT r.event_id, r.role, r.status, p.name_fr FROM event_role r JOIN person p ON p.id = r.person_id "
                "ORDER BY r.event_id, r.position")).all()
            assert [tuple(row) for row in roles] == [
                (1, "speaker", "confirmed", "ACODEC"), (1, "expert", "to_invite", "Expert(e)"),
                (2, "speaker", "confirmed", "ACODEC"), (2, "expert", "to_invite", "Expert(e)")]
            venues = db.session.execute(sa.text("SELECT event_id, name_fr, lift FROM venue")).all()
            assert [tuple(row) for row in venues] == [(1, "Hôtel de ville", "unknown")]
            db.session.remove()
        client = app.test_client()
        assert client.get("/events/e1").status_code == 200
        assert client.get("/events/e2").status_code == 404


def test_default_templates_added_since_0005_reach_older_databases_once(tmp_path):
    """Migration 0011: a database made before the change notice and the invitation to speak gets
    them; one whose template of that name was edited keeps its text; running it again adds nothing."""
    names = "SELECT name, subject_fr FROM message_template WHERE name IN (:a, :b) ORDER BY name"
    wanted = {"a": CHANGE_NOTICE_NAME, "b": SPEAKER_INVITATION_NAME}
    with app_on_new_database(tmp_path, "migrations_0011") as app, app.app_context():
        upgrade(revision="0010")
        with db.engine.begin() as connection:  # as made before these defaults existed, or edited
            connection.execute(sa.text("DELETE FROM message_template WHERE name = :b"), wanted)
            connection.execute(sa.text("UPDATE message_template SET subject_fr = 'Edited' WHERE name = :a"), wanted)
        upgrade()
        rows = [tuple(row) for row in db.session.execute(sa.text(names), wanted)]
        assert [name for name, _ in rows] == [CHANGE_NOTICE_NAME, SPEAKER_INVITATION_NAME]
        assert rows[0][1] == "Edited"
        assert db.session.execute(sa.text("SELECT audience_kind FROM message_template WHERE name = :b"),
                                  wanted).scalar() == "people"
        db.session.remove()
        downgrade(revision="0010")
        upgrade()
        assert [tuple(row) for row in db.session.execute(sa.text(names), wanted)] == rows
        db.session.remove()


def test_the_migrations_build_the_schema_the_models_declare(app):
    """What `flask db check` says, in the suite: a model that declares something its migration did
    not make (or the reverse: an index only a migration knows) fails here, on both databases."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    with app.app_context(), db.engine.connect() as connection:
        # the search index's FTS5 tables and trigram indexes are the migration's alone (portal.text_search)
        opts = {"include_name": app.extensions["migrate"].configure_args["include_name"]}
        differences = compare_metadata(MigrationContext.configure(connection, opts=opts), db.metadata)
    assert differences == []
