"""One side of a claim race, run as its own process: `python -m tests.schedule.race_claims START N`.

Waits for the wall-clock moment START, then tries to claim N due jobs in a fixed order and prints
the names it won as JSON. Two of these started together must win disjoint sets covering all N.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import timedelta


def main() -> None:
    import django

    django.setup()
    from django.utils import timezone

    from masthead.schedule.jobs import Job
    from masthead.schedule.lease import claim, ensure_jobs, runner_name
    from masthead.schedule.models import ScheduledJob

    start_at, count = float(sys.argv[1]), int(sys.argv[2])
    jobs = [Job(name=f"race_{i}", label=f"Race {i}", every=timedelta(hours=1), run=str) for i in range(count)]
    ensure_jobs(jobs=jobs, now=timezone.now())
    ScheduledJob.objects.count()  # connected before the start, so both begin on equal terms
    runner = runner_name()
    while time.time() < start_at:
        time.sleep(0.001)
    won = [job.name for job in jobs if claim(job=job, runner=runner, now=timezone.now()) is not None]
    print(json.dumps(won))


if __name__ == "__main__":
    main()
