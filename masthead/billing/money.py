"""Money as integer minor units plus an ISO currency code, formatted for readers.

Never floating point: amounts stay integers until the last step, where `Decimal` places the point.
"""

from __future__ import annotations

from decimal import Decimal

# ISO 4217 exponents that differ from 2 (the currencies a publisher might plausibly charge in).
_ZERO_DECIMAL = frozenset({"JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF", "PYG", "HUF"})
_THREE_DECIMAL = frozenset({"BHD", "JOD", "KWD", "OMR", "TND"})
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CAD": "CA$", "AUD": "A$", "CHF": "CHF "}


def currency_exponent(currency: str) -> int:
    code = currency.upper()
    if code in _ZERO_DECIMAL:
        return 0
    if code in _THREE_DECIMAL:
        return 3
    return 2


def to_decimal(amount_minor: int, currency: str) -> Decimal:
    if not isinstance(amount_minor, int) or isinstance(amount_minor, bool):
        raise TypeError("money is an integer number of minor units")
    return Decimal(amount_minor).scaleb(-currency_exponent(currency))


def format_money(amount_minor: int, currency: str, *, trim: bool = False) -> str:
    """`format_money(900, "USD")` → "$9.00"; with `trim=True` whole amounts lose the cents ("$9")."""
    code = currency.upper()
    exponent = currency_exponent(code)
    value = to_decimal(amount_minor, code)
    if trim and value == value.to_integral_value():
        exponent = 0
    sign = "-" if value < 0 else ""
    number = f"{abs(value):,.{exponent}f}"
    symbol = _SYMBOLS.get(code)
    if symbol is None:
        return f"{sign}{number} {code}"
    return f"{sign}{symbol}{number}"
