"""The web process under ASGI shares one bounded pool of database connections: hundreds of requests,
each run in a thread of its own, leave at most DB_POOL connections open (a kept connection per finished
thread had run PostgreSQL out of connections while a tablet prefetched its map tiles)."""
from concurrent.futures import ThreadPoolExecutor
from urllib.request import urlopen

import pytest
from django.db import connection


def open_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_many_requests_leave_at_most_the_pool_open(asgi_server):
    before = open_connections()
    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(lambda _: urlopen(f"{asgi_server}/healthz", timeout=30).status, range(300)))
    assert answers == [200] * 300
    assert open_connections() - before <= 16  # command/asgi.py's DB_POOL
