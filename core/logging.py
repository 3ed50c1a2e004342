"""Logging helpers referenced from settings.LOGGING."""

import logging


class OneLineRefusals(logging.Filter):
    """A refused request (403, 404) is logged as its one line ("Forbidden (…): /path"), not
    with the traceback of the PermissionDenied or Http404 that answered it: those are the
    product working, not errors. Server errors keep their traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in (403, 404):
            record.exc_info = None
            record.exc_text = None
        return True
