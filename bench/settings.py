"""The bench's settings: the chosen real settings module, plus the reference view's URL.

`BENCH_BASE_SETTINGS` names the module to extend (`config.settings.production` by default); only
ROOT_URLCONF changes, so the site under test is configured exactly as it would be deployed.
"""

import importlib
import os

_base = importlib.import_module(os.environ.get("BENCH_BASE_SETTINGS", "config.settings.production"))
globals().update({name: value for name, value in vars(_base).items() if name.isupper()})

ROOT_URLCONF = "bench.urls"
