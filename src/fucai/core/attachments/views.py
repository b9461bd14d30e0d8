"""Serving attachments: /files/<pk>/ and /files/<pk>/thumb/, only to those who see the owner
(loaded through its model's `restrict()`); out of scope and missing are the same 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET

CACHE_SECONDS = 3600  # in the user's own browser only (private)


def visible_attachment(user, pk: int):
    """The attachment `pk` if `user` sees its owner, else Http404."""
    from fucai.core.models import Attachment

    attachment = Attachment.objects.select_related("owner_type").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    model = attachment.owner_type.model_class()
    restrict = getattr(getattr(model, "_default_manager", None), "restrict", None)
    if restrict is None or not restrict(user).filter(pk=attachment.owner_id).exists():
        raise Http404
    return attachment


def _serve(attachment, field, content_type: str) -> FileResponse:
    try:
        handle = field.storage.open(field.name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=not attachment.is_image,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, max_age=CACHE_SECONDS)
    patch_vary_headers(response, ("Cookie",))
    return response


@login_required
@require_GET
def attachment_file(request: HttpRequest, pk: int) -> FileResponse:
    """The file itself: a photo inline, a PDF as a download."""
    attachment = visible_attachment(request.user, pk)
    return _serve(attachment, attachment.file, attachment.content_type)


@login_required
@require_GET
def attachment_thumbnail(request: HttpRequest, pk: int) -> FileResponse:
    """A photo's thumbnail (320 px); a PDF has none (404)."""
    attachment = visible_attachment(request.user, pk)
    if not attachment.thumbnail:
        raise Http404
    return _serve(attachment, attachment.thumbnail, attachment.content_type)
