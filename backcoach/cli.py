"""The `backcoach` command: Django's management commands with friendly errors.

`backcoach serve`, `backcoach backup --to FILE` and the rest are management commands in
backcoach/management/commands; this wrapper sets up Django, accepts hyphenated names
(`seed-demo`), and turns configuration and database failures into one clear line.
"""

import os
import sys

import django
from django.core.exceptions import ImproperlyConfigured
from django.core.management import execute_from_command_line
from django.core.management.base import BaseCommand, CommandError, SystemCheckError
from django.db import DatabaseError

HYPHENATED = {"seed-demo": "seed_demo"}

OVERVIEW = """\
usage: backcoach COMMAND [options]

Everyday commands:
  serve        run the web app (migrates first)   backcoach serve --port 8000 --workers 2
  createuser   add a person (or --staff)         backcoach createuser you@example.org
  backup       copy the database to a file       backcoach backup --to backcoach.backup
  restore      replace the database from a file  backcoach restore --from FILE [--force]
  check        check the set-up (--deploy too)   backcoach check --deploy
  seed-demo    make demo people for benchmarks   backcoach seed-demo --users 100 --days 90
  experiment   re-run an exported experiment     backcoach experiment reanalyse FILE
  migrate      apply database migrations

`backcoach help --all` lists every command; `backcoach COMMAND --help` explains one.
"""


def fail(message: str, code: int = 1) -> int:
    print(f"backcoach: {message}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args in (["help"], ["-h"], ["--help"]):
        print(OVERVIEW, end="")
        return 0
    if args[:2] == ["help", "--all"]:
        args = ["help"]
    args[0] = HYPHENATED.get(args[0], args[0])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backcoach.settings")

    # Django prints a command's error as "CommandError: ..."; ours are "backcoach: ...". With
    # --traceback Django re-raises the error instead, and it is written out below.
    run_from_argv = BaseCommand.run_from_argv

    def raising(command, argv):
        return run_from_argv(command, [*argv[:2], "--traceback", *argv[2:]])

    BaseCommand.run_from_argv = raising
    try:
        django.setup()
        execute_from_command_line(["backcoach", *args])
    except SystemCheckError as exc:
        print(str(exc).strip(), file=sys.stderr)
        return 1
    except CommandError as exc:
        return fail(str(exc), exc.returncode)
    except ImproperlyConfigured as exc:
        return fail(f"configuration error: {exc}")
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        return fail(f"{exc.strerror or exc}{where}")
    except DatabaseError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return fail(f"database error: {first_line}")
    except KeyboardInterrupt:
        return 130
    except SystemExit as exc:
        return (
            exc.code if isinstance(exc.code, int) else (0 if exc.code is None else fail(exc.code))
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
