"""On PostgreSQL, recording a read is one call to a function that takes the reader's advisory
lock and then inserts under the limit: one round trip, and the insert's snapshot is taken after
the lock is held (READ COMMITTED takes a new snapshot per statement in a volatile function)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION access_record_read(
    p_reader text, p_period text, p_article bigint, p_now bigint, p_since bigint, p_limit integer
) RETURNS integer LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    written integer;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended(p_reader, 0));
    INSERT INTO access_meterread (reader_key, period_key, article_id, read_at)
    SELECT p_reader, p_period, p_article, p_now
    WHERE (SELECT count(*) FROM access_meterread
           WHERE reader_key = p_reader AND period_key = p_period AND read_at >= p_since) < p_limit
    ON CONFLICT (reader_key, period_key, article_id)
    DO UPDATE SET read_at = excluded.read_at WHERE access_meterread.read_at < p_since;
    GET DIAGNOSTICS written = ROW_COUNT;
    RETURN written;
END
$$;
"""
DROP = "DROP FUNCTION IF EXISTS access_record_read(text, text, bigint, bigint, bigint, integer);"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("access", "0003_meter_prompts")]
    operations = [migrations.RunPython(create, drop)]
