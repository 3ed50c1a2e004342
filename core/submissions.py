"""Single-use submission tokens: a create form's work is done once per token."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.db import IntegrityError, transaction

from core.models import Submission

T = TypeVar("T")


class AlreadySubmitted(Exception):
    """This form was submitted before; `result` is what that submission recorded."""

    def __init__(self, result: str):
        super().__init__(result)
        self.result = result


class SubmissionField(forms.UUIDField):
    """The hidden token of a create form: a fresh one each time the form is shown."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("initial", uuid.uuid4)
        super().__init__(**kwargs)


def once(
    token: uuid.UUID | None,
    *,
    user,
    kind: str,
    write: Callable[[], T],
    result_of: Callable[[T], str],
) -> T:
    """`write()` unless this token was already used: then AlreadySubmitted with its result.

    The token's row is inserted first, in the same transaction as the write: a second request
    with the token waits on the first (the primary key) and then finds it taken. A write that
    fails rolls its token back with it, so the corrected form can be sent again. Without a
    token (an old form, a script), the write simply runs.
    """
    if token is None:
        return write()
    with transaction.atomic():
        try:
            with transaction.atomic():
                Submission.objects.create(token=token, user=user, kind=kind)
        except IntegrityError:
            earlier = Submission.objects.filter(token=token).values_list("result", flat=True)
            raise AlreadySubmitted(earlier.first() or "") from None
        value = write()
        Submission.objects.filter(token=token).update(result=result_of(value))
    return value
