"""KMS errors as KMS sends them: HTTP 400, a JSON body with ``__type`` and ``message``."""

from __future__ import annotations

from moto.core.exceptions import JsonRESTError


class KmsException(JsonRESTError):
    """A KMS error whose ``__type`` is the name of the class."""

    code = 400

    def __init__(self, message: str) -> None:
        super().__init__(type(self).__name__, message)


class ValidationException(KmsException):
    pass


class UnsupportedOperationException(KmsException):
    pass


class KMSInvalidStateException(KmsException):
    pass


class DisabledException(KmsException):
    pass


class InvalidKeyUsageException(KmsException):
    pass


class InvalidCiphertextException(KmsException):
    pass


class KMSInvalidSignatureException(KmsException):
    pass


class MalformedPolicyDocumentException(KmsException):
    pass


class LimitExceededException(KmsException):
    pass


class NotAuthorizedException(KmsException):
    pass


class NotFoundException(KmsException):
    pass


class InvalidMarkerException(KmsException):
    pass


class TagException(KmsException):
    pass


class IncorrectKeyMaterialException(KmsException):
    pass


class ExpiredImportTokenException(KmsException):
    pass


class InvalidImportTokenException(KmsException):
    pass


class AccessDeniedException(KmsException):
    pass


class AlreadyExistsException(KmsException):
    pass


class UnrecognizedClientException(KmsException):
    """An access key the account never issued (or whose session ended)."""


class InvalidSignatureException(KmsException):
    """A request signed with another secret than its access key's."""
