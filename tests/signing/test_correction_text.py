"""The correction notice shows what the leader typed, character for character (no markup read)."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from reports.documents.pdf.document import Run, plain_text
from reports.signing.rendering import correction_document


def _entry():
    body = SimpleNamespace(own_line="HUYỆN ỦY TAM ĐƯỜNG", code_suffix="BTGHU", place_name="Tam Đường",
                           superior_line="ĐẢNG BỘ TỈNH LAI CHÂU", board_line="BAN TUYÊN GIÁO",
                           citation_name="Ban Tuyên giáo Huyện ủy", recipient_list=["- Như trên;", "- Lưu."],
                           signer_title="PHÓ TRƯỞNG BAN", signer_authority="K/T TRƯỞNG BAN", name="Ban Tuyên giáo")
    return SimpleNamespace(issuing_body=body, get_kind_display=lambda: "Báo cáo", issued_on=dt.date(2023, 10, 30),
                           reference="164-BC/BTGHU", summary="kết quả học tập")


def test_typed_correction_lines_are_text_not_markup():
    typed = "Dòng 3 sửa *1.234* thành 1.243 ^[ghi chú] \\ [a]"
    document = correction_document(entry=_entry(), on=dt.date(2023, 11, 2), text=f"{typed}\n\n  Dòng hai  ",
                                   signer_name="Phạm Thị Hải Đường")
    texts = [plain_text(b.content) for b in document.blocks]
    assert texts[1] == typed and texts[2] == "Dòng hai"
    assert all(isinstance(r, Run) and not r.bold and not r.italic for b in document.blocks for r in b.content)
    assert texts[0].startswith("Ngày 30/10/2023, Ban Tuyên giáo Huyện ủy ban hành Báo cáo số 164-BC/BTGHU")
    assert document.closing.recipients == ("Như trên;", "Lưu.")
