"""Attachments (fucai.core.attachments): photos and PDFs of any row, checked by size and real type,
photos downscaled without their GPS position, served only to those who see their owner."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from fucai.core.attachments import (
    AttachmentRefused,
    AttachmentsField,
    attachments_of,
    store_attachment,
)
from fucai.core.models import Attachment, ObjectChange
from fucai.core.tests.test_settings import IMPORT_SETTINGS, start

GPS_IFD, ORIENTATION = 0x8825, 0x0112


def jpeg(width: int, height: int, *, orientation: int | None = None, gps: bool = False) -> bytes:
    """A JPEG photo made in memory, with EXIF as a phone writes it if asked."""
    image = Image.new("RGB", (width, height), (200, 16, 46))
    image.paste((255, 255, 255), (0, 0, width // 4, height // 4))  # a white top-left corner
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    if orientation:
        exif[ORIENTATION] = orientation
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (28.0, 41.0, 0.0), 3: "E", 4: (115.0, 53.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture(autouse=True)
def in_english():
    """Messages are asserted in English (the Chinese one has a test of its own)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def same_page(response, url: str) -> str:
    """The page without what differs by request: its CSRF token and its own address."""
    text = response.content.decode().replace(url, "URL")
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", text)


@pytest.fixture
def station(network):
    return network["stations"]["xingguo"]  # 36110214, in 赣州


def stored_image(field) -> Image.Image:
    with field.storage.open(field.name, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
        return image


def test_a_jpeg_of_4000_by_3000_is_stored_at_1600_px_with_a_320_px_thumbnail(station, ganzhou_user):
    original = jpeg(4000, 3000)
    photo = upload("门头照片.jpg", original)
    attachment = store_attachment(photo, owner=station, user=ganzhou_user)
    attachment.refresh_from_db()
    assert (attachment.width, attachment.height) == (1600, 1200)
    assert attachment.content_type == "image/jpeg"
    assert attachment.original_name == "门头照片.jpg"
    assert attachment.uploaded_by == ganzhou_user
    main, thumb = stored_image(attachment.file), stored_image(attachment.thumbnail)
    assert (main.format, main.size) == ("JPEG", (1600, 1200))
    assert thumb.size == (320, 240)
    assert attachment.size == attachment.file.size < len(original)
    import hashlib

    assert attachment.sha256 == hashlib.sha256(original).hexdigest()
    assert list(attachments_of(station)) == [attachment]


def test_a_photo_taken_on_its_side_is_turned_upright_and_loses_its_gps_position(station):
    # orientation 6: the camera was turned, the pixels must be rotated 90° clockwise to view
    attachment = store_attachment(
        upload("侧拍.jpg", jpeg(2000, 1000, orientation=6, gps=True)), owner=station
    )
    image = stored_image(attachment.file)
    assert image.size == (800, 1600)
    exif = image.getexif()
    assert GPS_IFD not in exif and ORIENTATION not in exif
    assert exif[0x010F] == "TestCam"  # the rest of the EXIF is kept
    # the white corner, top-left before turning, is now top-right
    assert image.getpixel((790, 10))[0] > 240 and image.getpixel((10, 10))[1] < 60


@pytest.mark.parametrize(("fmt", "content_type"), [("PNG", "image/png"), ("WEBP", "image/webp")])
def test_a_small_png_or_webp_keeps_its_size_format_and_transparency(station, fmt, content_type):
    out = io.BytesIO()
    Image.new("RGBA", (300, 200), (0, 128, 0, 128)).save(out, format=fmt)
    attachment = store_attachment(upload("截图.img", out.getvalue(), "image/png"), owner=station)
    assert (attachment.content_type, attachment.width, attachment.height) == (
        content_type,
        300,
        200,
    )
    stored = stored_image(attachment.file)
    assert (stored.format, stored.mode) == (fmt, "RGBA")


def test_a_pdf_is_stored_as_it_came_without_a_thumbnail(station):
    data = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    attachment = store_attachment(upload("租赁合同.pdf", data, "application/pdf"), owner=station)
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(data) and not attachment.thumbnail
    with attachment.file.open("rb") as handle:
        assert handle.read() == data


def test_a_file_pretending_to_be_an_image_is_refused_naming_the_file(station):
    fake = upload("门头.jpg", b"MZ\x90\x00 this is a program, not a photo" * 10)
    with pytest.raises(AttachmentRefused) as refused:
        store_attachment(fake, owner=station)
    assert refused.value.messages == [
        "“门头.jpg” is not a JPEG, PNG or WebP photo nor a PDF; it cannot be attached."
    ]
    assert not Attachment.objects.exists()


def test_a_refusal_reads_in_chinese_naming_the_file(station):
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(AttachmentRefused) as refused:
        store_attachment(upload("门头.jpg", b"GIF89a not really"), owner=station)
    assert refused.value.messages == [
        "“门头.jpg”不是 JPEG、PNG、WebP 格式的照片，也不是 PDF，无法作为附件。"
    ]


def test_a_gif_is_refused_however_it_is_named(station):
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    with pytest.raises(AttachmentRefused, match=r"“动图\.png” is not a JPEG, PNG or WebP"):
        store_attachment(upload("动图.png", out.getvalue(), "image/png"), owner=station)


def test_a_heic_photo_is_refused_saying_to_send_it_as_jpeg(station):
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    with pytest.raises(AttachmentRefused) as refused:
        store_attachment(upload("IMG_0001.HEIC", heic, "image/heic"), owner=station)
    message = refused.value.messages[0]
    assert "“IMG_0001.HEIC” is a HEIC/HEIF photo, which is not supported" in message


@override_settings(ATTACHMENT_MAX_MB=1)
def test_a_file_larger_than_the_limit_is_refused_naming_the_file_and_the_limit(station):
    big = upload("超大.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024), "application/pdf")
    with pytest.raises(AttachmentRefused) as refused:
        store_attachment(big, owner=station)
    assert refused.value.messages == [
        "“超大.pdf” is larger than 1 MB, the most an attachment may be."
    ]


def test_the_form_field_takes_several_photos_and_names_each_refused_one(station):
    field = AttachmentsField(required=False)
    html = field.widget.render("photos", None)
    assert "multiple" in html and 'accept="image/*"' in html and 'capture="environment"' in html
    good = [upload("a.jpg", jpeg(40, 30)), upload("b.jpg", jpeg(30, 40))]
    assert [f.name for f in field.clean(good)] == ["a.jpg", "b.jpg"]
    assert field.clean([]) == []
    with pytest.raises(Exception) as refused:
        field.clean([good[0], upload("坏.jpg", b"not a photo")])
    assert refused.value.messages == [
        "“坏.jpg” is not a JPEG, PNG or WebP photo nor a PDF; it cannot be attached."
    ]


def test_a_form_posted_with_two_photos_gives_both_to_store(station, ganzhou_user):
    from django import forms
    from django.utils.datastructures import MultiValueDict

    class VisitForm(forms.Form):
        photos = AttachmentsField(required=False)

    files = MultiValueDict(
        {"photos": [upload("一.jpg", jpeg(64, 48)), upload("二.jpg", jpeg(48, 64))]}
    )
    form = VisitForm(data={}, files=files)
    assert form.is_valid(), form.errors
    for photo in form.cleaned_data["photos"]:
        store_attachment(photo, owner=station, user=ganzhou_user)
    stored = [(a.original_name, a.width, a.height) for a in attachments_of(station)]
    assert stored == [("一.jpg", 64, 48), ("二.jpg", 48, 64)]


def test_a_jiujiang_user_gets_404_for_a_ganzhou_stations_photo_and_the_ganzhou_user_gets_it(
    client, station, ganzhou_user, jiujiang_user
):
    attachment = store_attachment(upload("门头.jpg", jpeg(800, 600)), owner=station)
    file_url = reverse("core:attachment", kwargs={"pk": attachment.pk})
    thumb_url = reverse("core:attachment_thumb", kwargs={"pk": attachment.pk})
    missing_url = reverse("core:attachment", kwargs={"pk": attachment.pk + 1000})

    client.force_login(jiujiang_user)
    refused, missing = client.get(file_url), client.get(missing_url)
    assert refused.status_code == missing.status_code == 404
    assert same_page(refused, file_url) == same_page(missing, missing_url)
    assert client.get(thumb_url).status_code == 404
    assert list(Attachment.objects.restrict(jiujiang_user)) == []

    client.force_login(ganzhou_user)
    response = client.get(file_url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert Image.open(io.BytesIO(body)).size == (800, 600)
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert "private" in response["Cache-Control"] and "max-age=3600" in response["Cache-Control"]
    thumb = client.get(thumb_url)
    assert Image.open(io.BytesIO(b"".join(thumb.streaming_content))).size == (320, 240)
    assert list(Attachment.objects.restrict(ganzhou_user)) == [attachment]


def test_a_pdf_is_served_as_a_download_never_cached(client, station, ganzhou_user):
    data = b"%PDF-1.4\n%%EOF\n"
    attachment = store_attachment(upload("合同.pdf", data, "application/pdf"), owner=station)
    client.force_login(ganzhou_user)
    response = client.get(reverse("core:attachment", kwargs={"pk": attachment.pk}))
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    thumb = client.get(reverse("core:attachment_thumb", kwargs={"pk": attachment.pk}))
    assert thumb.status_code == 404


def test_the_list_shows_thumbnails_linking_to_the_full_photo(station):
    from django.template.loader import render_to_string

    photo = store_attachment(upload("门头.jpg", jpeg(80, 60)), owner=station)
    pdf = store_attachment(upload("合同.pdf", b"%PDF-1.4\n%%EOF\n"), owner=station)
    html = render_to_string("core/attachments_list.html", {"attachments": attachments_of(station)})
    assert f'href="/files/{photo.pk}/"' in html and f'src="/files/{photo.pk}/thumb/"' in html
    assert f'href="/files/{pdf.pk}/"' in html and "合同.pdf" in html


def test_storing_and_deleting_an_attachment_is_audited_in_its_owners_city(station, ganzhou_user):
    attachment = store_attachment(upload("门头.jpg", jpeg(80, 60)), owner=station)
    about = ObjectChange.objects.filter(
        object_type__model="attachment", object_id=str(attachment.pk)
    )
    created = about.get(action="create")
    assert (created.city_id, created.station_id) == (station.city_id, station.pk)
    assert created.changes["original_name"] == [None, "门头.jpg"]
    assert ObjectChange.objects.restrict(ganzhou_user).filter(pk=created.pk).exists()
    name = attachment.file.name
    storage = attachment.file.storage
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda fn, **kw: fn())
        attachment.delete()
    assert about.filter(action="delete", city=station.city).exists()
    assert not storage.exists(name)


def test_choosing_s3_without_django_storages_is_refused_at_start(tmp_path):
    result = start(
        IMPORT_SETTINGS, tmp_path / "data", FUCAI_ATTACHMENT_STORAGE="s3", FUCAI_S3_BUCKET="fucai"
    )
    assert result.returncode != 0 and "ImproperlyConfigured" in result.stderr
    assert "FUCAI_ATTACHMENT_STORAGE=s3 needs django-storages with boto3" in result.stderr
    assert "`s3` extra" in result.stderr


def test_choosing_s3_without_a_bucket_or_with_half_a_key_is_refused_at_start(tmp_path):
    result = start(IMPORT_SETTINGS, tmp_path / "data", FUCAI_ATTACHMENT_STORAGE="s3")
    assert "FUCAI_ATTACHMENT_STORAGE=s3 needs FUCAI_S3_BUCKET" in result.stderr
    result = start(
        IMPORT_SETTINGS,
        tmp_path / "data",
        FUCAI_ATTACHMENT_STORAGE="s3",
        FUCAI_S3_BUCKET="fucai",
        FUCAI_S3_ACCESS_KEY="AKIDSECRETVALUE",
    )
    assert "FUCAI_S3_ACCESS_KEY and FUCAI_S3_SECRET_KEY go together" in result.stderr
    assert "AKIDSECRETVALUE" not in result.stderr
