"""The newsroom's other process: a Django shell that makes edits for the live tests.

The tests write one JSON line per edit (`{"edit": name, "args": {...}}`) and read one JSON line
back (`{"ok": result}` or `{"error": text}`). It runs outside the test process and outside every
server worker, on the same database and shared cache, as a management command or a second host
would: nothing it does can reach the servers except through what they share.
"""

from __future__ import annotations

import json
import os
import sys
import traceback


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()
    from tests.live import edits

    out = sys.stdout
    sys.stdout = sys.stderr  # anything the edits print must not break the protocol
    print(json.dumps({"ready": True}), file=out, flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        command = json.loads(line)
        try:
            result = getattr(edits, command["edit"])(**command.get("args", {}))
            reply = {"ok": result}
        except Exception as exc:  # the test shows it; the editor stays up for the next edit
            reply = {"error": f"{exc!r}\n{traceback.format_exc()}"}
        print(json.dumps(reply, default=str), file=out, flush=True)


if __name__ == "__main__":
    main()
