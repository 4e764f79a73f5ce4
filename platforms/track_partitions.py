"""Tracks in monthly partitions (issue 21): a year of fixes from 10,000 units is billions of rows, so
`platforms_trackpoint` and `platforms_officertrackpoint` are partitioned by month of the fix time
(PostgreSQL's declarative partitioning, local months), and the prune drops whole months instead of
deleting rows one by one. A read of one unit's hour touches one month's (unit, at) index.

The partitions are made and dropped by one function in the database, `track_partitions_maintain`,
owned by the owner role and run with its rights (SECURITY DEFINER): the app's own login owns no table
and cannot create or drop one (command/db_roles.py), yet beat must add next month's partition and
drop the month that aged out. The function only touches the two track tables, never drops a month
that holds fixes of the last day, and moves any rows that had fallen into the DEFAULT partition into
the month made for them (a fix from a month with no partition yet is kept there, never refused)."""
from django.conf import settings
from django.db import connection

TABLES = ("platforms_trackpoint", "platforms_officertrackpoint")
MONTHS_AHEAD = 2  # made ahead, so a missed beat or two never lets fixes fall into DEFAULT

MAINTAIN_FUNCTION = r"""
CREATE OR REPLACE FUNCTION track_partitions_maintain(parent text, months_ahead integer, keep_before timestamptz,
                                                     zone text)
RETURNS TABLE (created text[], dropped text[])
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    month date;
    last_month date;
    part text;
    lower_at timestamptz;
    upper_at timestamptz;
BEGIN
    IF parent NOT IN ('platforms_trackpoint', 'platforms_officertrackpoint') THEN
        RAISE EXCEPTION 'track_partitions_maintain: % is not a track table', parent;
    END IF;
    created := '{}'; dropped := '{}';
    keep_before := least(keep_before, now() - interval '1 day');  -- never a month holding the last day
    month := date_trunc('month', keep_before AT TIME ZONE zone)::date;
    last_month := date_trunc('month', (now() AT TIME ZONE zone) + make_interval(months => months_ahead))::date;
    WHILE month <= last_month LOOP
        part := format('%s_p%s', parent, to_char(month, 'YYYYMM'));
        IF to_regclass(part) IS NULL THEN
            lower_at := month::timestamp AT TIME ZONE zone;
            upper_at := (month + interval '1 month')::timestamp AT TIME ZONE zone;
            -- Rows already in DEFAULT for this month would make the new partition's bounds fail: move them.
            EXECUTE format('CREATE TEMP TABLE track_moving ON COMMIT DROP AS'
                           ' SELECT * FROM %I WHERE at >= $1 AND at < $2', parent || '_default')
                USING lower_at, upper_at;
            EXECUTE format('DELETE FROM %I WHERE at >= $1 AND at < $2', parent || '_default') USING lower_at, upper_at;
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                           part, parent, lower_at, upper_at);
            EXECUTE format('INSERT INTO %I SELECT * FROM track_moving', parent);
            DROP TABLE track_moving;
            created := created || part;
        END IF;
        month := month + 1 * interval '1 month';
    END LOOP;
    FOR part IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = parent::regclass AND c.relname ~ ('^' || parent || '_p[0-9]{6}$')
                ORDER BY c.relname LOOP
        upper_at := (to_date(right(part, 6), 'YYYYMM') + interval '1 month')::timestamp AT TIME ZONE zone;
        IF upper_at <= keep_before THEN
            EXECUTE format('DROP TABLE %I', part);
            dropped := dropped || part;
        END IF;
    END LOOP;
    RETURN NEXT;
END $$;
"""


def partitioned_sql(table: str, *, owner_column: str, owner_table: str, unique: str) -> str:
    """The statements that turn the plain `table` into one partitioned by month of `at`, rows kept: the
    same columns, checks and identity; the primary key (id, at), since a partitioned table's keys
    must hold its partition column; the unique (owner, at) index the reads use; the owner's foreign
    key; BRIN on the time. The months holding rows, and two months back at least (a seeded history's
tracks), are made by the function before the copy."""
    return f"""
ALTER TABLE {table} RENAME TO {table}_heap;
ALTER INDEX IF EXISTS {table}_at_brin RENAME TO {table}_heap_at_brin;
ALTER TABLE {table}_heap RENAME CONSTRAINT {unique} TO {unique}_heap;
CREATE TABLE {table} (LIKE {table}_heap INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY)
    PARTITION BY RANGE (at);
CREATE TABLE {table}_default PARTITION OF {table} DEFAULT;
SELECT track_partitions_maintain('{table}', {MONTHS_AHEAD},
    least((SELECT min(at) FROM {table}_heap), now() - interval '62 days'), current_setting('TimeZone'));
INSERT INTO {table} SELECT * FROM {table}_heap;
SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce((SELECT max(id) FROM {table}_heap), 0) + 1, false);
DROP TABLE {table}_heap;
ALTER TABLE {table} ADD CONSTRAINT {table}_pkey PRIMARY KEY (id, at);
ALTER TABLE {table} ADD CONSTRAINT {unique} UNIQUE ({owner_column}, at);
ALTER TABLE {table} ADD CONSTRAINT {table}_{owner_column}_fk FOREIGN KEY ({owner_column})
    REFERENCES {owner_table} (id) DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX {table}_at_brin ON {table} USING brin (at);
"""


def plain_sql(table: str, *, owner_column: str, owner_table: str, unique: str) -> str:
    """The way back: one plain table with every row, as migration 0002 made it."""
    return f"""
CREATE TABLE {table}_heap (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY);
INSERT INTO {table}_heap SELECT * FROM {table};
SELECT setval(pg_get_serial_sequence('{table}_heap', 'id'), coalesce((SELECT max(id) FROM {table}), 0) + 1, false);
DROP TABLE {table} CASCADE;
ALTER TABLE {table}_heap RENAME TO {table};
ALTER TABLE {table} ADD CONSTRAINT {table}_pkey PRIMARY KEY (id);
ALTER TABLE {table} ADD CONSTRAINT {unique} UNIQUE ({owner_column}, at);
ALTER TABLE {table} ADD CONSTRAINT {table}_{owner_column}_fk FOREIGN KEY ({owner_column})
    REFERENCES {owner_table} (id) DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX {table}_at_brin ON {table} USING brin (at);
"""


def partitions_maintain(table: str, *, keep_before, months_ahead: int = MONTHS_AHEAD) -> tuple[list, list]:
    """Make the months up to `months_ahead` ahead and drop the months wholly before `keep_before`:
    (partitions made, partitions dropped)."""
    if table not in TABLES:
        raise ValueError(f"{table} is not a track table")
    with connection.cursor() as cursor:
        cursor.execute("SELECT created, dropped FROM track_partitions_maintain(%s, %s, %s, %s)",
                       [table, months_ahead, keep_before, settings.TIME_ZONE])
        created, dropped = cursor.fetchone()
    return list(created), list(dropped)


def partitions_of(table: str) -> list[tuple[str, int]]:
    """The table's partitions with their estimated rows (the planner's count, ANALYZE's), by name."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname, greatest(c.reltuples, 0)::bigint FROM pg_inherits i"
                       " JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass ORDER BY c.relname",
                       [table])
        return cursor.fetchall()
