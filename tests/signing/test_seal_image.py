"""The red seal as the body's uploaded image: checked with Pillow, effective-dated, used at issuance
(the drawn seal stays the fallback), and the signatures still verify."""
from __future__ import annotations

import datetime as dt
import io
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageDraw
from pypdf import PdfReader

from reports.signing import selectors, services
from reports.signing.models import SealImage
from tests.signing.helpers import issue_tiny, tiny_pdf, token_sign
from units.models import IssuingBody

pytestmark = pytest.mark.django_db

RED = (200, 16, 24, 255)


def seal_png(size: int = 400, *, transparent: bool = True, fill_centre: bool = True) -> bytes:
    """A round red seal on a transparent background, as an officer would scan and cut it out."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0) if transparent else (255, 255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, size - 8, size - 8), outline=RED, width=size // 20)
    draw.ellipse((size // 5, size // 5, size - size // 5, size - size // 5), outline=RED, width=size // 60)
    if fill_centre:
        draw.regular_polygon((size / 2, size / 2, size / 6), n_sides=5, fill=RED)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def body(demo):
    return IssuingBody.objects.get(code="tam-duong-btg")


def _images_in(obj, seen=None) -> list[tuple[int, int]]:
    """(width, height) of every image XObject reachable from a form XObject's resources."""
    seen = seen if seen is not None else set()
    found = []
    obj = obj.get_object()
    if id(obj) in seen:
        return found
    seen.add(id(obj))
    if obj.get("/Subtype") == "/Image":
        return [(int(obj["/Width"]), int(obj["/Height"]))]
    for xobject in (obj.get("/Resources", {}).get_object().get("/XObject", {}) or {}).values():
        found += _images_in(xobject, seen)
    return found


def seal_images_on_last_page(pdf: bytes) -> list[tuple[int, int]]:
    page = PdfReader(io.BytesIO(pdf)).pages[-1]
    found = []
    for annot in page.get("/Annots", []) or []:
        annot = annot.get_object()
        if annot.get("/T") == "ChuKyCoQuan" and "/AP" in annot:
            found += _images_in(annot["/AP"]["/N"])
    return found


def red_pixels(pdf: bytes, box, tmp_path) -> int:
    """Render the last page at 70 dpi with pdftoppm and count red pixels inside `box` (PDF points)."""
    path = tmp_path / "issued.pdf"
    path.write_bytes(pdf)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", str(pages), "-l", str(pages), str(path),
                    str(tmp_path / "page")], check=True)
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("RGB")
    scale = 70 / 72
    height_pt = image.height / scale
    x1, y1, x2, y2 = box
    crop = image.crop((int(x1 * scale), int((height_pt - y2) * scale), int(x2 * scale), int((height_pt - y1) * scale)))
    raw = crop.tobytes()
    return sum(1 for i in range(0, len(raw), 3) if raw[i] > 150 and raw[i + 1] < 90 and raw[i + 2] < 90)


def test_issuance_carries_the_uploaded_seal_and_still_verifies(body, user_named, tmp_path):
    leader = user_named("tam-duong.leader")
    drawn = issue_tiny(body, leader, dt.date(2023, 3, 1))  # before any seal image: the drawn seal
    assert drawn.seal_image is None and seal_images_on_last_page(bytes(drawn.pdf)) == []

    seal = services.seal_image_add(issuing_body=body, valid_from=dt.date(2023, 6, 1), data=seal_png(),
                                   user=user_named("tam-duong.admin"))
    assert (seal.width, seal.height) == (400, 400)
    document = issue_tiny(body, leader, dt.date(2023, 10, 30))
    assert document.seal_image == seal
    pdf = bytes(document.pdf)
    assert seal_images_on_last_page(pdf) == [(400, 400)]  # the uploaded image, in the seal's appearance
    seal_box = document.draft.seal_box
    (tmp_path / "image").mkdir()
    (tmp_path / "drawn").mkdir()
    with_image = red_pixels(pdf, seal_box, tmp_path / "image")
    assert with_image > 2 * red_pixels(bytes(drawn.pdf), seal_box, tmp_path / "drawn")  # filled star, thick ring
    verification = selectors.verify_upload(data=pdf)
    assert verification.ok, verification.message
    assert [s.field_name for s in verification.result.signatures] == ["ChuKyNguoiKy", "ChuKyCoQuan"]


def test_a_new_seal_applies_from_its_date_old_documents_keep_theirs(body, user_named):
    leader = user_named("tam-duong.leader")
    first = services.seal_image_add(issuing_body=body, valid_from=dt.date(2023, 1, 1), data=seal_png(400))
    early = issue_tiny(body, leader, dt.date(2023, 10, 30))
    second = services.seal_image_add(issuing_body=body, valid_from=dt.date(2024, 1, 1),
                                     data=seal_png(300, fill_centre=False))
    late = issue_tiny(body, leader, dt.date(2024, 2, 1))
    early.refresh_from_db()
    assert (early.seal_image, late.seal_image) == (first, second)
    assert seal_images_on_last_page(bytes(early.pdf)) == [(400, 400)]
    assert seal_images_on_last_page(bytes(late.pdf)) == [(300, 300)]
    # a seal dated before a document already issued would contradict that document: refused
    with pytest.raises(ValidationError, match="đã ban hành văn bản ngày 01/02/2024"):
        services.seal_image_add(issuing_body=body, valid_from=dt.date(2024, 1, 15), data=seal_png())
    # the văn thư's token (organisation key on a token): the appearance handed out carries the seal too
    draft_request = services.document_request_create(issuing_body=body, user=leader, kind="BC", summary="Thử",
                                                      rendered=tiny_pdf())
    draft = services.signature_accept(token=draft_request.token, data=token_sign(draft_request), user=leader)
    request = services.issuance_request_create(draft=draft, user=user_named("tam-duong.clerk"), on=dt.date(2024, 3, 1))
    appearance = PdfReader(io.BytesIO(services.appearance_for(request))).pages[0]
    assert [(int(x["/Width"]), int(x["/Height"])) for x in
            (v.get_object() for v in appearance["/Resources"]["/XObject"].values())
            if x.get("/Subtype") == "/Image"] == [(300, 300)]


@pytest.mark.parametrize("data, message", [
    (b"", "Chưa chọn"),
    (b"GIF89a" + b"\x00" * 200, "không phải là ảnh PNG"),
    (b"\x89PNG\r\n\x1a\n" + b"this is not really a png" * 20, "không phải là ảnh PNG"),
    ("truncated", "không phải là ảnh PNG"),
    ("jpeg", "không phải là ảnh PNG"),
    ("opaque", "nền trong suốt"),
    ("tiny", "quá nhỏ"),
    ("wide", "gần vuông"),
    ("huge", "quá lớn"),
])
def test_a_lying_or_unsuitable_upload_is_refused_and_nothing_saved(body, data, message):
    if data == "truncated":
        data = seal_png()[:-200]
    elif data == "jpeg":  # a real JPEG named .png
        out = io.BytesIO()
        Image.new("RGB", (300, 300), RED[:3]).save(out, format="JPEG")
        data = out.getvalue()
    elif data == "opaque":
        data = seal_png(transparent=False)
    elif data == "tiny":
        data = seal_png(60)
    elif data == "wide":
        out = io.BytesIO()
        Image.new("RGBA", (600, 200), (0, 0, 0, 0)).save(out, format="PNG")
        data = out.getvalue()
    elif data == "huge":
        data = b"\x89PNG\r\n\x1a\n" + b"\x00" * (3 * 1024 * 1024)
    with pytest.raises(ValidationError, match=message):
        services.seal_image_add(issuing_body=body, valid_from=dt.date(2023, 1, 1), data=data)
    assert not SealImage.objects.exists()


def test_the_unit_admin_uploads_in_the_admin_within_its_scope(body, login):
    # as in the full demo: Huyện ủy Tam Đường was dissolved in 2025, its board ended; documents dated
    # before that are still issued under it (sign_report --date 2023-10-30), so its seal can be uploaded
    IssuingBody.objects.filter(pk=body.pk).update(valid_to=dt.date(2025, 7, 1))
    client = login("tam-duong.admin")
    url = reverse("admin:signing_sealimage_add")
    form = {"issuing_body": body.pk, "valid_from": "01/01/2023", "note": "Dấu mới"}
    lying = SimpleUploadedFile("dau.png", b"\x89PNG\r\n\x1a\n<svg onload=alert(1)>", content_type="image/png")
    response = client.post(url, {**form, "file": lying})
    assert response.status_code == 200 and "không phải là ảnh PNG" in response.content.decode()
    assert not SealImage.objects.exists()
    good = SimpleUploadedFile("dau.png", seal_png(), content_type="image/png")
    response = client.post(url, {**form, "file": good})
    assert response.status_code == 302, response.content.decode()[:2000]
    seal = SealImage.objects.get()
    assert seal.issuing_body == body and seal.uploaded_by.username == "tam-duong.admin"
    page = client.get(reverse("admin:signing_sealimage_change", args=[seal.pk]))
    assert page.status_code == 200 and b'name="_save"' not in page.content  # shown, never edited
    # the commune's admin below Tam Đường neither sees it nor can choose Tam Đường's body
    below = login("tam-duong-khun-ha.admin")
    assert below.get(reverse("admin:signing_sealimage_change", args=[seal.pk])).status_code == 302
    response = below.post(url, {**form, "valid_from": "02/01/2023",
                                "file": SimpleUploadedFile("dau.png", seal_png(), content_type="image/png")})
    assert response.status_code == 200 and "issuing_body" in response.context["adminform"].form.errors
    assert SealImage.objects.count() == 1
