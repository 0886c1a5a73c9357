"""The body's red seal as an uploaded image: checked with Pillow, stored re-encoded.

An upload is taken only when it is really a PNG (content, not name), decodes completely, has sane
dimensions (a round seal: roughly square), and a transparent background (so the seal does not
blank out the signature text under it, as a stamp on paper does not). What is stored is Pillow's
own re-encoding (RGBA PNG, no metadata, at most MAX_SIDE pixels a side), never the uploaded bytes.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MIN_SIDE = 120  # pixels: smaller prints blurred at the seal's size (about 3.5 cm)
MAX_UPLOAD_SIDE = 4000
MAX_SIDE = 800  # stored: 800 px over 3.5 cm is about 580 dpi, more than print needs
MAX_ASPECT = 1.35
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class SealPng:
    data: bytes
    width: int
    height: int


def _not_png() -> ValidationError:
    return ValidationError(_("Tệp không phải là ảnh PNG hợp lệ (nội dung không đúng định dạng PNG, hoặc tệp bị "
                             "hỏng); hãy chọn ảnh dấu định dạng PNG nền trong suốt."))


def seal_png_check(data: bytes) -> SealPng:
    """The uploaded seal, checked and re-encoded; ValidationError (Vietnamese) otherwise."""
    data = bytes(data or b"")
    if not data:
        raise ValidationError(_("Chưa chọn tệp ảnh dấu."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("Ảnh dấu quá lớn (tối đa 2 MB)."))
    if not data.startswith(PNG_MAGIC):
        raise _not_png()
    try:
        with Image.open(io.BytesIO(data)) as probe:  # reads the header only
            if probe.format != "PNG":
                raise _not_png()
            width, height = probe.size
            if max(width, height) > MAX_UPLOAD_SIDE:
                raise ValidationError(_("Ảnh dấu quá lớn: %(w)s × %(h)s điểm ảnh (tối đa %(max)s mỗi chiều).")
                                      % {"w": width, "h": height, "max": MAX_UPLOAD_SIDE})
            probe.verify()  # chunk checksums
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # the whole image decodes (a truncated or padded file does not)
            rgba = image.convert("RGBA")
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise _not_png() from exc
    if min(width, height) < MIN_SIDE:
        raise ValidationError(_("Ảnh dấu quá nhỏ: %(w)s × %(h)s điểm ảnh (tối thiểu %(min)s mỗi chiều).")
                              % {"w": width, "h": height, "min": MIN_SIDE})
    if max(width, height) / min(width, height) > MAX_ASPECT:
        raise ValidationError(_("Ảnh dấu phải gần vuông (dấu tròn): %(w)s × %(h)s điểm ảnh.")
                              % {"w": width, "h": height})
    low, high = rgba.getchannel("A").getextrema()
    if low == 255:
        raise ValidationError(_("Ảnh dấu phải có nền trong suốt (PNG có kênh alpha) để không che chữ ký và chữ bên "
                                "dưới."))
    if high == 0:
        raise ValidationError(_("Ảnh dấu trong suốt hoàn toàn: không có hình dấu."))
    if max(width, height) > MAX_SIDE:
        rgba.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    rgba.save(out, format="PNG", optimize=True)
    return SealPng(data=out.getvalue(), width=rgba.width, height=rgba.height)
