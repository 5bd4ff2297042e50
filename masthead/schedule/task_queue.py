"""Running what waits on the task queue (e-mails, newsletters, sweeps enqueued elsewhere).

The same claim as django-tasks' own `db_worker`: the oldest ready task is locked (skipping rows
another worker holds) and marked running in one exclusive transaction, then run by that worker's
own code, so a task is never run twice however many processes drain the queue.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db.utils import OperationalError
from django.utils.module_loading import import_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception


def database_backends() -> list[str]:
    """The TASKS aliases kept in the database (in tests and `default`, tasks run immediately)."""
    names = []
    for alias, config in getattr(settings, "TASKS", {}).items():
        backend = import_string(config["BACKEND"])
        if isinstance(backend, type) and issubclass(backend, DatabaseBackend):
            names.append(alias)
    return names


def run_waiting_tasks(*, backend_name: str, runner: str, limit: int, stop: Callable[[], bool]) -> int:
    """Run up to `limit` ready tasks, oldest first; return how many ran. Stops early when `stop()`
    says so (between tasks, never inside one)."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=backend_name,
        startup_delay=False,
        max_tasks=None,
        worker_id=runner[:64],
        excluded_queue_names=[],
    )
    ran = 0
    while ran < limit and not stop():
        ready = DBTaskResult.objects.ready().filter(backend_name=backend_name)
        if not ready.exists():
            # A plain read first: an idle tick never takes SQLite's exclusive write lock.
            return ran
        try:
            with exclusive_transaction(ready.db):
                task_result = ready.get_locked()
                if task_result is not None:
                    task_result.claim(worker.worker_id)
        except OperationalError as exc:
            if is_locked_database_exception(exc):
                return ran  # SQLite busy with a long write: try again next tick
            raise
        if task_result is None:
            return ran
        worker.run_task(task_result)
        ran += 1
    return ran


def waiting_count(*, backend_name: str) -> int:
    return DBTaskResult.objects.ready().filter(backend_name=backend_name).count()
