"""The demo's editor account.

In demo mode the editor gets a fixed, printed password so anyone trying the demo can log in.
Outside demo mode that password is refused: a site built with `build_demo` and then exposed
must not keep a password that is printed in the README.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model

EDITOR_EMAIL = "editor@example.com"
DEMO_PASSWORD = "masthead-demo"  # noqa: S105 - public by design, accepted only in demo mode


class DemoPasswordRefused(ValueError):
    pass


@dataclass(frozen=True)
class EditorLogin:
    email: str
    password: str | None  # None: an existing password was kept and cannot be shown


def ensure_editor(*, password: str | None = None) -> EditorLogin:
    demo_mode = bool(getattr(settings, "MASTHEAD_DEMO", False))
    if password == DEMO_PASSWORD and not demo_mode:
        raise DemoPasswordRefused(
            f"The demo password {DEMO_PASSWORD!r} is only accepted when MASTHEAD_DEMO is on."
        )
    user_model = get_user_model()
    user = user_model.objects.filter(email=EDITOR_EMAIL).first()
    if user is None:
        user = user_model.objects.create_superuser(email=EDITOR_EMAIL, password=None)
        user.first_name, user.last_name = "Demo", "Editor"
        user.save(update_fields=["first_name", "last_name"])
    elif not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    # Verification is mandatory on the reader side too: the editor can also sign in there.
    EmailAddress.objects.update_or_create(
        user=user, email=EDITOR_EMAIL, defaults={"verified": True, "primary": True}
    )

    if password is None:
        if demo_mode:
            password = DEMO_PASSWORD
        elif user.has_usable_password() and not user.check_password(DEMO_PASSWORD):
            # Keep the password chosen earlier; it was printed then and is not stored in clear.
            return EditorLogin(email=EDITOR_EMAIL, password=None)
        else:
            password = secrets.token_urlsafe(12)

    if not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return EditorLogin(email=EDITOR_EMAIL, password=password)
