"""Error kinds nested in their base class, as jsonschema-rs's `ValidationErrorKind.Required`."""


class ErrorKind:
    @property
    def name(self):
        return type(self).__name__


class _Missing(ErrorKind):
    def __init__(self, key):
        self._key = key

    @property
    def key(self):
        return self._key


class _Invalid(ErrorKind):
    def __init__(self, reason):
        self.reason = reason


for _name, _kind in (("Missing", _Missing), ("Invalid", _Invalid)):
    _kind.__name__ = _name
    _kind.__qualname__ = f"ErrorKind.{_name}"
    setattr(ErrorKind, _name, _kind)
