"""A task for tests of the background worker: it leaves a file where it is told."""

from pathlib import Path

from django_tasks import task


@task()
def leave_a_mark(path: str) -> None:
    Path(path).write_text("done")
