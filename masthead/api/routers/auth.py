"""Signing an app in and out: password, e-mailed code, or an anonymous device token."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Router, Status
from ninja.decorators import decorate_view

from masthead.accounts import signin_gate
from masthead.api import throttle
from masthead.api.caching import personalised
from masthead.api.devices import admit_new_device
from masthead.api.email_confirmation import confirm_by_code, refuse_unconfirmed
from masthead.api.errors import ApiError, ErrorOut
from masthead.api.login_codes import normalise_email, request_login_code, verify_login_code
from masthead.api.models import ApiToken
from masthead.api.reader import adopt_device_reads
from masthead.api.schemas import (
    CodeRequestIn,
    CodeVerifyIn,
    DeviceIn,
    MessageOut,
    PasswordLoginIn,
    TokenOut,
)
from masthead.api.security import app_token
from masthead.api.tokens import IssuedToken, issue_device_token, issue_user_token, revoke_token

router = Router(tags=["auth"])

ERRORS = {401: ErrorOut, 413: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def _too_many(refused: signin_gate.SignInRefused) -> ApiError:
    return ApiError(
        429, "rate_limited", "Too many attempts. Try again later.", retry_after=refused.retry_after
    )


def device_json(record: ApiToken, *, current: ApiToken | None) -> dict[str, object]:
    return {
        "id": record.pk,
        "device_name": record.device_name,
        "created_at": record.created_at,
        "last_used_at": record.last_used_at,
        "current": current is not None and record.pk == current.pk,
    }


def token_json(issued: IssuedToken) -> dict[str, object]:
    return {
        "token": issued.token,
        "token_type": "bearer",
        "anonymous": issued.record.user_id is None,
        "device": device_json(issued.record, current=issued.record),
    }


@router.post(
    "/auth/token",
    response={201: TokenOut, 403: ErrorOut, **ERRORS},
    auth=None,
    summary="Sign in with e-mail and password",
)
@decorate_view(personalised)
def obtain_token(request: HttpRequest, credentials: PasswordLoginIn) -> Status:
    email = normalise_email(credentials.email)
    # The sign-in gate counts this try inside authenticate(), with every other door's.
    user = authenticate(request, email=email, password=credentials.password)
    refused = signin_gate.refusal_of(request)
    if refused is not None:
        raise _too_many(refused)
    if user is None or not user.is_active:
        raise ApiError(401, "invalid_credentials", "The e-mail address or password is not right.")
    # After the password: only the account's owner learns that the address awaits confirmation.
    refuse_unconfirmed(user=user)
    adopt_device_reads(request=request, user_id=user.pk)
    return Status(201, token_json(issue_user_token(user=user, device_name=credentials.device_name)))


@router.post(
    "/auth/code/request", response={202: MessageOut, **ERRORS}, auth=None, summary="E-mail a sign-in code"
)
@decorate_view(personalised)
def request_code(request: HttpRequest, payload: CodeRequestIn) -> Status:
    email = normalise_email(payload.email)
    throttle.check("code_request_ip", throttle.client_address(request))
    throttle.check("code_request_email", email)
    request_login_code(email=email)
    # The same answer whether or not the address has an account.
    return Status(202, {"message": "If this address has an account, a sign-in code is on its way."})


@router.post(
    "/auth/code/verify", response={201: TokenOut, **ERRORS}, auth=None, summary="Exchange an e-mailed code"
)
@decorate_view(personalised)
def verify_code(request: HttpRequest, payload: CodeVerifyIn) -> Status:
    # A wrong code is a failed sign-in of that account, counted with the passwords of every door.
    try:
        reservation = signin_gate.reserve_for(
            request, kind=signin_gate.FAILED_SIGN_IN, account=normalise_email(payload.email)
        )
    except signin_gate.SignInRefused as refused:
        raise _too_many(refused) from refused
    user = verify_login_code(email=payload.email, code=payload.code)
    if user is None:
        raise ApiError(401, "invalid_code", "This code is wrong, used or expired. Ask for a new one.")
    reservation.release()
    confirm_by_code(user=user, email=normalise_email(payload.email))
    adopt_device_reads(request=request, user_id=user.pk)
    return Status(201, token_json(issue_user_token(user=user, device_name=payload.device_name)))


@router.post(
    "/auth/device",
    response={201: TokenOut, 503: ErrorOut, **ERRORS},
    auth=None,
    summary="Anonymous device token",
)
@decorate_view(personalised)
def obtain_device_token(request: HttpRequest, payload: DeviceIn) -> Status:
    throttle.check("device_ip", throttle.client_address(request))
    admit_new_device(request=request)
    return Status(201, token_json(issue_device_token(device_name=payload.device_name)))


@router.delete(
    "/auth/token", response={204: None, 401: ErrorOut}, auth=app_token, summary="Sign this app out"
)
@decorate_view(personalised)
def delete_token(request: HttpRequest) -> Status:
    revoke_token(record=request.auth)
    return Status(204, None)
