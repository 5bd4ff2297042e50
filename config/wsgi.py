import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
application = get_wsgi_application()

# A Redis meter store that could forget reads (no AOF, an evicting policy) refuses to start in
# production, before the first reader is served (masthead.access.meter_durability).
from masthead.access.meter_durability import check_meter_store  # noqa: E402

check_meter_store()
