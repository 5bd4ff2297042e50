"""Argon2id with OWASP's recommended cost (19 MiB, 2 passes, 1 lane) instead of Django's 100 MiB.

Django's default Argon2 takes ~100 MiB per hash: a gthread worker signing four readers in at once
peaks at ~500 MiB and never gives it all back (measured in docs/performance.md). OWASP's Password
Storage Cheat Sheet lists m=19 MiB, t=2, p=1 as an equivalent-strength Argon2id setting; it costs
~20 ms of CPU. The algorithm name stays "argon2", so hashes made with Django's defaults still
verify and are rewritten with these parameters at the reader's next sign-in (`must_update`).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class NewsroomArgon2Hasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
