"""Run localstripe on 127.0.0.1 without its shared /tmp pickle (tests start this as a subprocess)."""

import sys

import localstripe.resources as resources
from aiohttp import web

resources.Store.dump_to_disk = lambda self: None  # keep parallel test runs apart

# localstripe predates Refund.reason; Stripe accepts it ("duplicate"), so accept and keep it too.
_refund_init = resources.Refund.__init__


def _refund_with_reason(self, reason=None, **kwargs):
    _refund_init(self, **kwargs)
    self.reason = reason


resources.Refund.__init__ = _refund_with_reason

from localstripe.server import app  # noqa: E402

web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
