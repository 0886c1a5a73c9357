"""Adding one visible signature to a PDF as an incremental update (pyHanko), with a given appearance.

The appearance is a one-page PDF (the server draws it, so every signature looks the same whoever
makes it); the agent and the server's HSM path both sign through `sign_pdf`.
"""
from __future__ import annotations

import asyncio
import binascii
import datetime as dt
import io
import uuid
from concurrent.futures import ThreadPoolExecutor

from pyhanko.pdf_utils import content, layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
from pyhanko.stamp import StaticStampStyle


class PdfBytesPage(content.ImportedPdfPage):
    """pyHanko's imported-page content, read from bytes instead of a file."""

    def __init__(self, data: bytes):
        self.data = data
        super().__init__(file_name="", page_ix=0)

    def render(self) -> bytes:
        writer = self._ensure_writer
        xobj = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.data)), page_ix=0)
        resource_name = b"/Import" + binascii.hexlify(uuid.uuid4().bytes)
        self.resources.xobject[resource_name.decode("ascii")] = xobj
        x1, y1, x2, y2 = xobj.get_object()["/BBox"]
        self.box = layout.BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return resource_name + b" Do"


def run_sync(fn, *args, **kwargs):
    """pyHanko's sync API calls asyncio.run(), which fails inside a running event loop: use a thread then."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


def sign_pdf(pdf_or_writer, *, signer, field_name: str, box, page: int = -1, appearance: bytes | None = None,
             reason: str = "", location: str = "", name: str = "", timestamper=None,
             signed_at: dt.datetime | None = None) -> bytes:
    """Sign (PAdES B-B, B-T with a timestamper) as one incremental update; the whole file is covered.

    `pdf_or_writer` is PDF bytes, or an IncrementalPdfFileWriter holding changes that the same
    revision must carry (the number and date filled in at issuance).
    """
    writer = (pdf_or_writer if isinstance(pdf_or_writer, IncrementalPdfFileWriter)
              else IncrementalPdfFileWriter(io.BytesIO(pdf_or_writer), strict=False))
    meta = PdfSignatureMetadata(field_name=field_name, md_algorithm="sha256",
                                subfilter=fields.SigSeedSubFilter.PADES, reason=reason or None,
                                location=location or None, name=name or None)
    style = (StaticStampStyle(background=PdfBytesPage(appearance), border_width=0, background_opacity=1.0)
             if appearance else None)
    pdf_signer = PdfSigner(meta, signer=signer, timestamper=timestamper, stamp_style=style,
                           new_field_spec=fields.SigFieldSpec(sig_field_name=field_name, on_page=page,
                                                              box=tuple(box)))
    return run_sync(pdf_signer.sign_pdf, writer).getvalue()
