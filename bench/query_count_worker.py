"""Counts the SQL queries of pages, in-process, for the `diary` suite.

    DJANGO_SETTINGS_MODULE=bench.floor_settings PYTHONPATH=. BACKCOACH_DATA_DIR=<folder> \
        .venv/bin/python bench/query_count_worker.py EMAIL PATH [PATH ...]

Each page is requested by django.test.Client, logged in as EMAIL (force_login, so the log-in
itself is not counted), on the data folder the benchmark's server serves: once to warm
Django's and backcoach's caches, then again inside CaptureQueriesContext. Middleware is
included (the session and the person are read as in a real request). Prints one JSON
object: {path: {"status", "queries", "first_queries", "sample"}}, where `sample` is the
repeated SQL statements' shapes when a page makes many queries (a loop per row shows there).
"""

from __future__ import annotations

import collections
import json
import re
import sys

import django

SAMPLE_ABOVE = 15  # queries: list the repeated statements of a page making more


def shape(sql: str) -> str:
    """A statement without its literal values, so that a query repeated per row stands out."""
    sql = re.sub(r"'[^']*'", "?", sql)
    return re.sub(r"\b\d+\b", "?", sql)[:160]


def main(email: str, paths: list[str]) -> dict:
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from backcoach.accounts.models import Person

    person = Person.objects.get(email=email)
    client = Client(SERVER_NAME="127.0.0.1")  # an allowed host of a default install
    client.force_login(person)
    counts = {}
    for path in paths:
        with CaptureQueriesContext(connection) as first:
            client.get(path)
        with CaptureQueriesContext(connection) as warm:
            response = client.get(path)
        shapes = collections.Counter(shape(q["sql"]) for q in warm.captured_queries)
        counts[path] = {
            "status": response.status_code,
            "queries": len(warm.captured_queries),
            "first_queries": len(first.captured_queries),
            "sample": (
                [f"{n} x {sql}" for sql, n in shapes.most_common(3)]
                if len(warm.captured_queries) > SAMPLE_ABOVE
                else []
            ),
        }
    return counts


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    print(json.dumps(main(sys.argv[1], sys.argv[2:])))
