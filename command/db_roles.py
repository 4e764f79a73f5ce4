"""The database's two roles (issue 19; README: Security).

The app connects as a login that is no superuser and owns nothing (DATABASE_URL); the schema
belongs to an owner role (DATABASE_OWNER_URL, the same server and database) that runs the
migrations. After migrating, `manage.py migrate` (command/management/commands/migrate.py) grants the
app exactly this, as the owner:

- SELECT, INSERT, UPDATE, DELETE on the tables, the sequences' use; MAINTAIN (ANALYZE after a seed);
- on the incident timeline and the audit trail only SELECT and INSERT: no UPDATE, DELETE or TRUNCATE;
- incidents and assignments are never deleted (no DELETE, no TRUNCATE);
- the response figures' columns are written once (a trigger, which only the owner could disable):
  an incident's first order, first arrival and first verified arrival, an assignment's step times.

Without ALTER (it owns no table), superuser rights (no `session_replication_role = replica`) or
TRUNCATE, the app's own login cannot get around any of it; tests/command/test_db_roles.py tries."""
from contextlib import contextmanager
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import connections

APPEND_ONLY = ("dispatch_incidentevent", "auditlog_logentry")
NEVER_DELETED = ("dispatch_incident", "dispatch_assignment")
# The columns the 1/3/5 figures are computed from, and the trigger that keeps each written once.
WRITE_ONCE = {
    "dispatch_incident": ("dispatched_at", "on_scene_at", "verified_on_scene_at"),
    "dispatch_assignment": ("assigned_at", "acknowledged_at", "en_route_at", "on_scene_at", "ended_at"),
}


def owner_fields() -> dict:
    """The connection settings that differ for the owner: user, password, host, port (the database's
    name stays the connection's own: a test database, a bench's throwaway one)."""
    parts = urlsplit(settings.DATABASE_OWNER_URL)
    fields = {"USER": unquote(parts.username or ""), "PASSWORD": unquote(parts.password or "")}
    if parts.hostname:
        fields.update(HOST=parts.hostname, PORT=parts.port or "")
    return fields


def app_role() -> str | None:
    """The app's login (DATABASE_URL's user) when the owner is another role, else None."""
    if not settings.DATABASE_OWNER_URL:
        return None
    user = unquote(urlsplit(settings.DATABASE_URL).username or "")
    return user if user and user != owner_fields()["USER"] else None


@contextmanager
def as_owner(alias: str = "default"):
    """Run the block on `alias` connected as the owner role (nothing changes without one)."""
    connection = connections[alias]
    if not settings.DATABASE_OWNER_URL or connection.settings_dict.get("USER") == owner_fields()["USER"]:
        yield
        return
    saved = {name: connection.settings_dict.get(name) for name in ("USER", "PASSWORD", "HOST", "PORT")}
    connection.close()
    connection.settings_dict.update(owner_fields())
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)


def app_role_grant(connection, app_role: str) -> None:
    """Give the app's role its privileges, as the owner, and install the write-once guards."""
    from psycopg import sql

    role = sql.Identifier(app_role)
    statements = [
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role),
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(role),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(role),
        sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {}").format(role),
        sql.SQL("REVOKE UPDATE, DELETE ON {} FROM {}").format(_tables(connection, APPEND_ONLY), role),
        sql.SQL("REVOKE DELETE ON {} FROM {}").format(_tables(connection, NEVER_DELETED), role),
    ]
    if connection.pg_version >= 170000:
        statements.insert(4, sql.SQL("GRANT MAINTAIN ON ALL TABLES IN SCHEMA public TO {}").format(role))
        statements.append(sql.SQL("REVOKE MAINTAIN ON {} FROM {}").format(_tables(connection, APPEND_ONLY), role))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement.as_string(cursor.connection))
        write_once_guard(cursor)


def _tables(connection, names):
    from psycopg import sql

    present = set(connection.introspection.table_names())
    return sql.SQL(", ").join(sql.Identifier(name) for name in names if name in present)


def write_once_guard(cursor) -> None:
    """A trigger per table refusing any change to a figure column once it holds a value."""
    present = set(cursor.db.introspection.table_names())
    for table, columns in WRITE_ONCE.items():
        if table not in present:
            continue
        changed = " OR ".join(f"(OLD.{c} IS NOT NULL AND NEW.{c} IS DISTINCT FROM OLD.{c})" for c in columns)
        cursor.execute(f"""
CREATE OR REPLACE FUNCTION {table}_write_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF {changed} THEN
        RAISE EXCEPTION '%: the response figures are written once', TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS {table}_write_once ON {table};
CREATE TRIGGER {table}_write_once BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION {table}_write_once();
""")
