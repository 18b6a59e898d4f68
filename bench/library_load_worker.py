"""Times the library's loading in a process of its own; `library.py` runs it.

    BACKCOACH_DATA_DIR=/tmp/x DJANGO_SETTINGS_MODULE=backcoach.settings \
        .venv/bin/python bench/library_load_worker.py --runs 7

It migrates the (empty) data folder's SQLite database, then times, `--runs` times each,
taking turns: parsing the content files alone (`content.load_library()`); `library_load`
on a database without library rows (the rows are deleted before each run); and
`library_load` right after, when nothing changed. Then it counts the queries of one more
first load and one more no-op load with CaptureQueriesContext, and prints one JSON
object on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    if not os.environ.get("BACKCOACH_DATA_DIR") or not os.environ.get("DJANGO_SETTINGS_MODULE"):
        print("set BACKCOACH_DATA_DIR and DJANGO_SETTINGS_MODULE", file=sys.stderr)
        return 2

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from backcoach.library import content, services
    from backcoach.library.models import LibraryState, Routine, RoutineStep, Technique
    from backcoach.safety.models import Source

    engine = settings.DATABASES["default"]["ENGINE"]
    if not engine.endswith("sqlite3"):
        print(f"expected SQLite, got {engine}", file=sys.stderr)
        return 2
    call_command("migrate", interactive=False, verbosity=0)

    def wipe() -> None:
        # Children before parents: a routine step PROTECTs its technique.
        for model in (RoutineStep, Routine, Technique, Source, LibraryState):
            model.objects.all().delete()
        if Technique.objects.exists() or Source.objects.exists():
            raise SystemExit("the library rows were not deleted")

    def timed(func) -> tuple[float, object]:
        started = time.perf_counter()
        result = func()
        return (time.perf_counter() - started) * 1000, result

    def load():
        return services.library_load(library=content.load_library())

    def summary(queries: list[dict]) -> dict:
        writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
        other = [
            q["sql"]
            for q in queries
            if not q["sql"].lstrip().upper().startswith(("SELECT", *WRITES))
        ]
        return {
            "queries": len(queries),
            "writes": len(writes),
            "write_examples": [sql[:160] for sql in writes[:5]],
            "other_statements": [sql[:160] for sql in other[:5]],
        }

    library = content.load_library()
    out: dict = {
        "counts": {
            "techniques": len(library.techniques),
            "routines": len(library.routines),
            "sources": len(library.sources),
            "cues": sum(len(t.cues) for t in library.techniques),
        },
        "parse_ms": [],
        "first_load_ms": [],
        "noop_ms": [],
        "problems": [],
    }

    content.load_library()  # warm-up: imports, file cache
    load()
    # The three measurements take turns, so that the machine's noise spreads evenly.
    for _ in range(args.runs):
        out["parse_ms"].append(timed(content.load_library)[0])
        wipe()
        ms, result = timed(load)
        if not result.changed:
            out["problems"].append("a first load reported no change")
        out["first_load_ms"].append(ms)
        ms, result = timed(load)  # right after a load: a no-op
        if result.changed:
            out["problems"].append("a load right after a load changed something")
        out["noop_ms"].append(ms)

    wipe()
    with CaptureQueriesContext(connection) as captured:
        load()
    out["first_load_queries"] = summary(captured.captured_queries)
    with CaptureQueriesContext(connection) as captured:
        result = load()
    out["noop_queries"] = summary(captured.captured_queries)
    out["noop_changed"] = result.changed
    out["status"] = services.library_status(content.load_library())
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
