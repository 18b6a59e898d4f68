import atexit
import contextlib
import ctypes
import errno
import hashlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor
from gunicorn.app.base import BaseApplication

from backcoach.library import content, services


def port_is_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise CommandError(
                    f"port {port} on {host} is already in use; stop the other server "
                    f"or choose another port with --port"
                ) from None
            if exc.errno == errno.EACCES:
                raise CommandError(
                    f"not allowed to listen on port {port}; use one above 1024"
                ) from None
            raise CommandError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def static_fingerprint() -> str:
    """A digest of every static source file's path, size and modification time."""
    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in finder.list(ignore_patterns=[]):
            info = os.stat(storage.path(path))
            digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


class Command(BaseCommand):
    help = "Serve backcoach with a production web server (gunicorn), migrating first."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on")
        parser.add_argument("--workers", type=int, default=2, help="worker processes (1-64)")
        parser.add_argument(
            "--threads", type=int, default=4, help="threads per worker process (1-64)"
        )
        parser.add_argument(
            "--no-tasks",
            action="store_true",
            help="do not start the background worker (reminders, audio tracks); run "
            "`backcoach db_worker` yourself then",
        )

    def handle(self, *args, host, port, workers, threads, no_tasks=False, **options):
        if not 1 <= port <= 65535:
            raise CommandError(f"--port {port} is not a port number (1-65535)")
        if not 1 <= workers <= 64 or not 1 <= threads <= 64:
            raise CommandError("--workers and --threads take a number from 1 to 64")
        port_is_free(host, port)
        self.check(display_num_errors=False)
        self.migrate()
        self.load_library()
        self.collect_static()
        clear_expired_sessions_daily()
        task_worker = None if no_tasks else TaskWorker()
        if task_worker is not None:
            task_worker.start()
        if settings.DEBUG:
            self.stderr.write("DEBUG is on: do not let anyone else reach this server.")
        # Forked workers must not share the master's database connections.
        connections.close_all()
        shown = f"[{host}]" if ":" in host else host
        self.stdout.write(f"backcoach is serving on http://{shown}:{port}/ (Ctrl+C stops it)")
        self.stdout.flush()
        serving = os.getpid()
        try:
            run_gunicorn(host=host, port=port, workers=workers, threads=threads)
        except SystemExit as stop:
            # A web worker, forked from here, leaves by this way too; and gunicorn that
            # could not go on has said why.
            if os.getpid() != serving or stop.code not in (None, 0):
                raise
        finally:
            if task_worker is not None:
                task_worker.stop()
        # gunicorn ends (SystemExit 0) once SIGINT (Ctrl+C) or SIGTERM has stopped it.
        self.stdout.write("backcoach stopped.")

    def migrate(self):
        connection = connections["default"]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            self.stdout.write(f"Applying {len(plan)} database migration(s)…")
            call_command("migrate", interactive=False, verbosity=0)

    def load_library(self):
        """Bring the technique library up to date with its content files, if they changed."""
        try:
            result = services.library_load(library=content.load_library())
        except content.ContentError as exc:
            raise CommandError(f"content error: {exc}") from None
        except services.LibraryEdited:
            self.stderr.write(
                "The library was edited in the admin; the content files were not loaded "
                "over those edits (`backcoach library status` tells more)."
            )
            return
        if result.changed:
            self.stdout.write(result.message)

    def collect_static(self):
        marker = settings.STATIC_ROOT / ".fingerprint"
        fingerprint = static_fingerprint()
        if marker.exists() and marker.read_text() == fingerprint:
            return
        self.stdout.write("Preparing static files…")
        call_command("collectstatic", interactive=False, verbosity=0, clear=True)
        marker.write_text(fingerprint)


SESSION_SWEEP_SECONDS = 24 * 60 * 60


def clear_expired_sessions() -> None:
    """Remove the session rows whose time is up (Django never does by itself)."""
    try:
        call_command("clearsessions")
    finally:
        connection.close()  # this thread's own connection; workers have theirs


def clear_expired_sessions_daily() -> None:
    """Now, and every day after in a thread of the serving process: several servers may
    each do it, which is harmless (a DELETE of expired rows)."""
    clear_expired_sessions()

    def loop():
        while True:
            time.sleep(SESSION_SWEEP_SECONDS)
            with contextlib.suppress(Exception):  # a busy database: try again tomorrow
                clear_expired_sessions()

    threading.Thread(target=loop, name="clear-sessions", daemon=True).start()


class TaskWorker:
    """The background worker (django-tasks-db's `db_worker`) as a child process of
    `serve`: started with it, started again if it dies, stopped when `serve` stops (also
    when `serve` is killed outright, through the kernel's parent-death signal).

    Only `serve` stops it. It runs in a session of its own, so that Ctrl+C, which the
    terminal sends to its whole foreground group, reaches `serve` alone (a worker still
    starting up would die of it with a traceback); and gunicorn's web workers, forked from
    `serve` with a copy of this object and its exit handler, leave it alone."""

    RESTART_AFTER = 5  # seconds

    def __init__(self):
        self.process: subprocess.Popen | None = None
        self.stopping = False
        self.owner = os.getpid()

    def start(self) -> None:
        self.spawn()
        atexit.register(self.stop)
        threading.Thread(target=self.watch, name="task-worker", daemon=True).start()

    def spawn(self) -> None:
        command = [sys.executable, "-m", "django", "db_worker", "--no-reload", "--verbosity", "0"]
        self.process = subprocess.Popen(  # noqa: S603
            command, preexec_fn=die_with_parent, start_new_session=True
        )

    def watch(self) -> None:
        while not self.stopping:
            code = self.process.wait()
            # Waited for before a word is said: a service manager stopping the service
            # signals every process of it at once, and the worker may be the first to go.
            time.sleep(self.RESTART_AFTER)
            if self.stopping:
                return
            print(
                f"backcoach: the background worker stopped (exit {code}); starting it again",
                file=sys.stderr,
            )
            self.spawn()

    def stop(self) -> None:
        if os.getpid() != self.owner or self.stopping:
            return  # a forked web worker's copy, or stopped already
        self.stopping = True
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def die_with_parent() -> None:
    """In the child, before it runs: ask Linux to send SIGTERM when the parent dies."""
    with contextlib.suppress(Exception):  # not Linux: atexit still stops it
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def run_gunicorn(*, host: str, port: int, workers: int, threads: int) -> None:
    # Not a cycle: importing wsgi builds the app, whose WhiteNoise lists the static files
    # once, so it must come after collect_static has made them.
    from backcoach.wsgi import application

    class Server(BaseApplication):
        def load_config(self):
            options = {
                "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                "worker_class": "gthread",
                "preload_app": True,
                "accesslog": None,
                "errorlog": "-",
                "loglevel": "warning",
                "graceful_timeout": 10,
                "limit_request_line": settings.REQUEST_LINE_MAX_BYTES,
                "control_socket_disable": True,
                "proc_name": "backcoach",
                # Forwarded headers (X-Forwarded-Proto and the like) are believed only from
                # the proxies the settings name, and from nobody without a proxy.
                "forwarded_allow_ips": ",".join(settings.PROXY_ADDRESSES)
                if settings.BEHIND_PROXY
                else "",
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return application

    sys.argv = sys.argv[:1]  # gunicorn must not parse our own options
    Server().run()
