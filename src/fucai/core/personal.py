"""Personal data (个人信息): one field type, one mask, one key.

A `PersonalField` holds a person's phone, ID number or other detail encrypted at rest (Fernet,
keys from `FUCAI_FIELD_KEY`: the first key encrypts, every key decrypts). Its companion
`BlindIndexField` holds a keyed HMAC of the normalised value, so that equality lookups (an
importer matching owners by ID number, uniqueness) work without ever comparing or decrypting
stored values: use `equal_to()`. `mask()` is the only way a value is shown to someone who may not
see it in full; its kind decides what stays visible (phone 3+4, ID number 4+4, name the surname).
Key rotation: docs/personal-data.md.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django import forms
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.db.models.lookups import Exact

MASK_CHAR = "*"
KEY_VARIABLE = "FUCAI_FIELD_KEY"


def _compact(value: str) -> str:
    text = unicodedata.normalize("NFKC", value or "")
    return "".join(ch for ch in text if not ch.isspace() and ch != "-").upper()


@dataclass(frozen=True)
class Kind:
    """What a personal value is: it decides what its mask keeps and how it is normalised."""

    name: str
    keep_start: int
    keep_end: int
    normalise: Callable[[str], str] = _compact
    is_name: bool = False  # a short name keeps its first character: 张灵 → 张*


PHONE = Kind("phone", 3, 4)
ID_NUMBER = Kind("id", 4, 4)
_strip = lambda v: unicodedata.normalize("NFKC", v or "").strip()  # noqa: E731
NAME = Kind("name", 1, 0, _strip, is_name=True)
# a name on a published notice (公示): surname and last character, 张*灵 (张灵 → 张*)
NOTICE_NAME = Kind("notice_name", 1, 1, _strip, is_name=True)
# an address keeps its first six characters (the county and town), a free text nothing
ADDRESS = Kind("address", 6, 0, _strip)
TEXT = Kind("text", 0, 0, _strip)
KINDS = {k.name: k for k in (PHONE, ID_NUMBER, NAME, NOTICE_NAME, ADDRESS, TEXT)}


# the formats of a phone (a mobile, or a landline with its area code) and of an ID number (17
# digits and a digit or X); the GB 11643 check character itself is not verified (a wrong one is
# a typing error the officer sees on the paper; refusing it would refuse real records)
PHONE_FORMAT = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
ID_NUMBER_FORMAT = re.compile(r"^\d{17}[\dX]$")


def phone_problem(text: str) -> str | None:
    """Why `text` (spaces removed) is not a phone number (None: it is one, or it is empty)."""
    from django.utils.translation import gettext as _

    if not text or PHONE_FORMAT.match(text):
        return None
    return _("Not a phone number: “%(v)s” (a mobile number has 11 digits).") % {"v": text}


def id_number_problem(text: str) -> str | None:
    """Why `text` (spaces removed, upper case) is not an ID number (None: it is, or empty)."""
    from django.utils.translation import gettext as _

    if not text or ID_NUMBER_FORMAT.match(text):
        return None
    return _("An ID number has 18 characters: 17 digits and a digit or X.")


def kind_of(kind: Kind | str) -> Kind:
    return kind if isinstance(kind, Kind) else KINDS[kind]


def mask(value: str | None, kind: Kind | str) -> str:
    """The value as anyone but an authorised viewer sees it: 138****5678, 3607**********1234, 张**,
    on a public notice 张*灵; a free text `***` whatever its length. Masking a masked value changes
    nothing."""
    kind = kind_of(kind)
    if not value:
        return ""
    value = str(value)
    start, end = kind.keep_start, kind.keep_end
    if not start and not end:
        return MASK_CHAR * 3
    if len(value) <= start + end:
        return value[:1] + MASK_CHAR if kind.is_name else MASK_CHAR * len(value)
    return value[:start] + MASK_CHAR * (len(value) - start - end) + value[len(value) - end :]


def is_masked(text: str | None) -> bool:
    """Whether a value given by a user contains the mask character (and so is no real value)."""
    return MASK_CHAR in (text or "")


# -- keys ----------------------------------------------------------------------------------------


def _keys() -> tuple[str, ...]:
    return tuple(settings.FIELD_KEYS)


@functools.lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in keys])


@functools.lru_cache(maxsize=16)
def _index_key(key: str) -> bytes:
    """The blind-index key derived from a field key (HKDF-SHA256), never the field key itself."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"fucai blind index v1"
    ).derive(base64.urlsafe_b64decode(key.encode()))


def encrypt(value: str) -> str:
    """The value encrypted with the first key; "" stays "" (a blank is no personal data)."""
    if not value:
        return ""
    return _fernet(_keys()).encrypt(str(value).encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet(_keys()).decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            f"A stored personal value cannot be decrypted with any key in {KEY_VARIABLE}; "
            "was a key dropped before `fucai personal-data reencrypt` ran?"
        ) from None


def _hmac(key: str, value: str, kind: Kind) -> str:
    message = f"{kind.name}:{kind.normalise(value)}".encode()
    return hmac.new(_index_key(key), message, hashlib.sha256).hexdigest()


def blind_index(value: str, kind: Kind | str) -> str:
    """The index of a value under the first key ("" for a blank value)."""
    kind = kind_of(kind)
    if not kind.normalise(value or ""):
        return ""
    return _hmac(_keys()[0], value, kind)


def blind_indexes(value: str, kind: Kind | str) -> list[str]:
    """The value's index under every key: rows not yet re-encrypted after a rotation still match."""
    kind = kind_of(kind)
    if not kind.normalise(value or ""):
        return []
    return [_hmac(key, value, kind) for key in _keys()]


# -- fields --------------------------------------------------------------------------------------


class PersonalField(models.TextField):
    """A personal detail stored encrypted; `kind` names its mask. Loaded values are clear text in
    Python; the database holds only Fernet tokens. Never filter on it: use `equal_to()`."""

    description = "Personal data, encrypted at rest"

    def __init__(self, *args, kind: str = PHONE.name, **kwargs):
        self.kind = kind_of(kind)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind.name
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def to_python(self, value):
        return "" if value is None else str(value).strip()

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value

    def formfield(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput)
        return super().formfield(**kwargs)

    def get_lookup(self, lookup_name):
        # Tokens are not comparable: a filter on the value itself would silently match nothing.
        if lookup_name not in ("exact", "isnull"):
            return None
        return super().get_lookup(lookup_name)


@PersonalField.register_lookup
class _BlankOnlyExact(Exact):
    """`field=""` (is it blank?) works; `field="138…"` raises: use equal_to()."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(
                f"{self.lhs.target.model.__name__}.{self.lhs.target.name} is encrypted; "
                "filter with fucai.core.personal.equal_to()."
            )
        return super().get_prep_lookup()


class BlindIndexField(models.CharField):
    """The keyed HMAC-SHA256 of the normalised value of the `source` PersonalField, kept up to date
    on every save (also in bulk_create); used for equality lookups and uniqueness."""

    description = "Blind index of a personal field"

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key in ("max_length", "blank", "editable", "db_index"):
            kwargs.pop(key, None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        source = model_instance._meta.get_field(self.source)
        value = blind_index(getattr(model_instance, source.attname), source.kind)
        setattr(model_instance, self.attname, value)
        return value


def index_field(model: type[models.Model], name: str) -> BlindIndexField:
    """The blind-index companion of the personal field `name` of `model`."""
    for field in model._meta.concrete_fields:
        if isinstance(field, BlindIndexField) and field.source == name:
            return field
    raise LookupError(f"{model.__name__}.{name} has no blind index")


def equal_to(model: type[models.Model], name: str, values: str | Iterable[str]) -> Q:
    """A filter for rows whose personal field `name` equals one of `values` (after normalising),
    through its blind index: `Owner.objects.filter(equal_to(Owner, "id_number", "3607…"))`."""
    field = model._meta.get_field(name)
    values = [values] if isinstance(values, str) else list(values)
    indexes = [i for v in values for i in blind_indexes(v, field.kind)]
    return Q(**{f"{index_field(model, name).name}__in": indexes})


def personal_fields(model: type[models.Model]) -> dict[str, Kind]:
    """The model's personal fields and their kinds."""
    return {f.name: f.kind for f in model._meta.concrete_fields if isinstance(f, PersonalField)}


def same_value(a: str, b: str, kind: Kind | str) -> bool:
    """Whether two clear values are the same person's detail (after normalising)."""
    kind = kind_of(kind)
    return kind.normalise(a or "") == kind.normalise(b or "")


def reencrypt(model: type[models.Model], batch: int = 500) -> int:
    """Rewrite every row's personal fields with the first key and refresh their blind indexes
    (the step between adding a new key in front and dropping the old one). Returns rows done."""
    fields = personal_fields(model)
    if not fields:
        return 0
    indexes = [index_field(model, name) for name in fields if _has_index(model, name)]
    done = 0
    rows = list(model._base_manager.order_by("pk").only("pk", *fields))
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        for row in chunk:
            for index in indexes:
                index.pre_save(row, False)
        model._base_manager.bulk_update(chunk, [*fields, *(i.name for i in indexes)])
        done += len(chunk)
    return done


def _has_index(model: type[models.Model], name: str) -> bool:
    try:
        index_field(model, name)
    except LookupError:
        return False
    return True
