"""The reader behind the token: `GET /me` and the signed-in devices."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.decorators import decorate_view
from pydantic import Field

from masthead.api.caching import personalised
from masthead.api.devices import revoke_device, signed_in_devices
from masthead.api.errors import ApiError, ErrorOut
from masthead.api.reader import reader_profile
from masthead.api.routers.auth import device_json
from masthead.api.schemas import DeviceOut, MeOut
from masthead.api.security import app_token, require_account

router = Router(tags=["reader"], auth=app_token)


@router.get("/me", response={200: MeOut, 401: ErrorOut, 503: ErrorOut}, summary="Entitlements and meter")
@decorate_view(personalised)
def me(request: HttpRequest) -> dict[str, Any]:
    return reader_profile(request=request, token=request.auth)


@router.get(
    "/me/devices", response={200: list[DeviceOut], 401: ErrorOut, 403: ErrorOut}, summary="Signed-in devices"
)
@decorate_view(personalised)
def devices(request: HttpRequest) -> list[dict[str, Any]]:
    token = require_account(request.auth)
    return [device_json(record, current=token) for record in signed_in_devices(user=token.user)]


@router.delete(
    "/me/devices/{device_id}",
    response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Sign a device out",
)
@decorate_view(personalised)
def delete_device(request: HttpRequest, device_id: Annotated[int, Field(ge=1, le=2**63 - 1)]) -> Status:
    token = require_account(request.auth)
    if not revoke_device(user=token.user, device_id=device_id):
        raise ApiError(404, "not_found", "No such device on this account.")
    return Status(204, None)
