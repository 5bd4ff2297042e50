"""Run localstripe on 127.0.0.1 without its shared /tmp pickle (tests start this as a subprocess)."""

import sys

import localstripe.resources as resources
from aiohttp import web

resources.Store.dump_to_disk = lambda self: None  # keep parallel test runs apart

from localstripe.server import app  # noqa: E402

web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
