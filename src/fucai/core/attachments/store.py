"""Checking and storing attachments: the size and the real type of each file (by its content,
never its name or the browser's word), photos re-encoded without their GPS position."""

from __future__ import annotations

import hashlib
import io
import os
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

THUMBNAIL_PX = 320
IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
PDF = ("application/pdf", "pdf")
# ISO base media ("ftyp") brands of HEIC/HEIF photos (iPhones by default): Pillow cannot read them
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif"}
GPS_IFD = 0x8825
ORIENTATION = 0x0112


class AttachmentRefused(ValidationError):
    """A file store_attachment will not keep; its message names the file and says why."""


@dataclass
class Prepared:
    """What will be stored for one uploaded file."""

    name: str
    content_type: str
    extension: str
    data: bytes
    sha256: str
    width: int | None = None
    height: int | None = None
    thumbnail: bytes | None = None


def _name_of(uploaded_file) -> str:
    name = os.path.basename(str(getattr(uploaded_file, "name", "") or "")).strip()
    return (name or _("(unnamed file)"))[:255]


def _read(uploaded_file) -> bytes:
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    if hasattr(uploaded_file, "chunks"):
        return b"".join(uploaded_file.chunks())
    return uploaded_file.read()


def _is_heif(head: bytes) -> bool:
    return head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS


def prepare(uploaded_file) -> Prepared:
    """Check one uploaded file and make what is stored of it; AttachmentRefused if it is too large
    or neither a JPEG, PNG or WebP image nor a PDF."""
    name = _name_of(uploaded_file)
    limit = settings.ATTACHMENT_MAX_MB
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit * 1024 * 1024:
        raise _too_large(name, limit)
    data = _read(uploaded_file)
    if len(data) > limit * 1024 * 1024:
        raise _too_large(name, limit)
    digest = hashlib.sha256(data).hexdigest()
    if not data:
        raise AttachmentRefused(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    if data.startswith(b"%PDF-"):
        return Prepared(name, PDF[0], PDF[1], data, digest)
    if _is_heif(data[:16]):
        raise AttachmentRefused(
            _(
                "“%(name)s” is a HEIC/HEIF photo, which is not supported: send it as JPEG (on an "
                "iPhone: Settings › Camera › Formats › Most Compatible)."
            )
            % {"name": name},
            code="heic",
        )
    return _prepare_image(name, data, digest)


def _too_large(name: str, limit: int) -> AttachmentRefused:
    return AttachmentRefused(
        _("“%(name)s” is larger than %(limit)s MB, the most an attachment may be.")
        % {"name": name, "limit": limit},
        code="too_large",
    )


def _not_supported(name: str) -> AttachmentRefused:
    return AttachmentRefused(
        _("“%(name)s” is not a JPEG, PNG or WebP photo nor a PDF; it cannot be attached.")
        % {"name": name},
        code="type",
    )


def _prepare_image(name: str, data: bytes, digest: str) -> Prepared:
    from PIL import Image, ImageOps

    try:
        image = Image.open(io.BytesIO(data))
        fmt = image.format
        if fmt not in IMAGE_FORMATS or image.width * image.height > Image.MAX_IMAGE_PIXELS:
            raise _not_supported(name)
        image.load()
    except AttachmentRefused:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise _not_supported(name) from None
    content_type, extension = IMAGE_FORMATS[fmt]
    icc = image.info.get("icc_profile")
    exif = image.getexif()
    image = ImageOps.exif_transpose(image)  # the orientation the camera meant, applied
    image = _storable(image, fmt)
    long_side = settings.ATTACHMENT_IMAGE_PX
    image.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
    main = _encode(image, fmt, exif=_without_position(exif), icc=icc)
    thumb = image.copy()
    thumb.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX), Image.Resampling.LANCZOS)
    return Prepared(
        name,
        content_type,
        extension,
        main,
        digest,
        width=image.width,
        height=image.height,
        thumbnail=_encode(thumb, fmt, icc=icc),
    )


def _without_position(exif) -> bytes | None:
    """The photo's EXIF without its GPS position and its orientation (applied to the pixels);
    nothing if the camera's EXIF cannot be written back."""
    for tag in (GPS_IFD, ORIENTATION):
        if tag in exif:
            del exif[tag]
    if not len(exif):
        return None
    try:
        return exif.tobytes()
    except Exception:  # a maker's odd tags: the photo is kept without EXIF
        return None


def _storable(image, fmt: str):
    """The image in a mode its format writes (a CMYK or 16-bit photo as RGB)."""
    if image.mode == "P" or (fmt == "JPEG" and image.mode not in ("RGB", "L")):
        transparent = "transparency" in image.info and fmt != "JPEG"
        return image.convert("RGBA" if transparent else "RGB")
    if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        return image.convert("RGBA" if "A" in image.getbands() else "RGB")
    return image


def _encode(image, fmt: str, exif: bytes | None = None, icc=None) -> bytes:
    """The image written anew: no metadata but the EXIF given (without GPS) and the colour
    profile (Pillow would otherwise carry over XMP and text chunks from the original)."""
    image.info = {}
    out = io.BytesIO()
    options = {"exif": exif} if exif else {}
    if icc:
        options["icc_profile"] = icc
    if fmt == "JPEG":
        options.update(quality=85, optimize=True)
    elif fmt == "WEBP":
        options.update(quality=85)
    else:
        options.update(optimize=True)
    image.save(out, format=fmt, **options)
    return out.getvalue()


def store_attachment(uploaded_file, *, owner, user=None):
    """Check `uploaded_file` (size, real type), re-encode it if it is a photo and keep it as an
    attachment of `owner` (any saved row of a model with scope paths) uploaded by `user`.
    Raises AttachmentRefused (a ValidationError naming the file) if it cannot be kept."""
    from django.contrib.contenttypes.models import ContentType

    from fucai.core.models import Attachment

    if owner.pk is None:
        raise ValueError("An attachment's owner must be saved first.")
    prepared = prepare(uploaded_file)
    stem = uuid.uuid4().hex
    attachment = Attachment(
        owner_type=ContentType.objects.get_for_model(owner, for_concrete_model=False),
        owner_id=owner.pk,
        original_name=prepared.name,
        content_type=prepared.content_type,
        size=len(prepared.data),
        width=prepared.width,
        height=prepared.height,
        sha256=prepared.sha256,
        uploaded_by=user if getattr(user, "pk", None) else None,
    )
    attachment.file.save(f"{stem}.{prepared.extension}", ContentFile(prepared.data), save=False)
    if prepared.thumbnail is not None:
        attachment.thumbnail.save(
            f"{stem}-thumb.{prepared.extension}", ContentFile(prepared.thumbnail), save=False
        )
    try:
        attachment.save()
    except BaseException:
        remove_files(attachment.file.name, attachment.thumbnail.name)
        raise
    return attachment


def attachments_of(owner):
    """The attachments of `owner`, oldest first (the caller loaded `owner` through its model's
    `restrict()`, so whoever sees it may see them)."""
    from django.contrib.contenttypes.models import ContentType

    from fucai.core.models import Attachment

    return Attachment.objects.filter(
        owner_type=ContentType.objects.get_for_model(owner, for_concrete_model=False),
        owner_id=owner.pk,
    )


def remove_files(*names: str) -> None:
    """Remove stored files (an attachment deleted, or a save that failed)."""
    from fucai.core.attachments.storage import attachment_storage

    storage = attachment_storage()
    for name in names:
        if name:
            storage.delete(name)


def remove_after_delete(sender, instance, **kwargs) -> None:
    """A deleted attachment's files go once the deletion is committed."""
    names = (instance.file.name, instance.thumbnail.name)
    transaction.on_commit(lambda: remove_files(*names))
