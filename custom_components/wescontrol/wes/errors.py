"""The WES protocol's exceptions: one small tree, never carrying a secret.

Callers catch ``WesError`` for "the WES could not be read or commanded", or one of its
children when the reaction differs (re-authenticate on ``WesAuthError``, hide commands on
``WesForbiddenError``, report "not a WES" on ``WesParseError``).
"""

from __future__ import annotations


class WesError(Exception):
    """Base class of every error raised by the ``wes`` package."""


class WesConnectionError(WesError):
    """The WES could not be reached, or the connection broke during the exchange."""


class WesTimeoutError(WesConnectionError):
    """The WES did not answer within the request timeout."""


class WesAuthError(WesError):
    """The WES refused the credentials (HTTP 401)."""


class WesForbiddenError(WesError):
    """The account is valid but lacks the rights for this request (HTTP 403)."""


class WesResponseError(WesError):
    """The WES answered with an unexpected HTTP status (500, 404, ...)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        """Keep the HTTP status for callers that branch on it."""
        super().__init__(message)
        self.status = status


class WesParseError(WesError):
    """The answer is not a readable WES XML document (HTML page, truncated or malformed XML)."""


class WesResponseTooLargeError(WesParseError):
    """The answer exceeded the body-size cap and was refused without being parsed."""


class WesFtpError(WesError):
    """An FTP exchange with the WES failed (refused, bad login, disk full, ...)."""


class WesFtpAuthError(WesFtpError):
    """The WES refused the FTP login."""
