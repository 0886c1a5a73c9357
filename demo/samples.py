"""Sample documents built from the seeds, with no database: seed 004 (the golden district report)
and seed 003 (the province plan). Used by the tests, the benchmark and as a layout reference.

The Biểu of the seed 004 sample is filled from the demo figures (``demo.figures``), whose
totals are the seed's (79 hội nghị, 294 buổi, 2.419/2.468, 700/735).
"""
from __future__ import annotations

from core.formatting import rate_value
from demo.figures import unit_figures
from demo.hierarchy import TAM_DUONG_AGENCIES, TAM_DUONG_COMMUNES
from reports.documents.pdf.document import Block, Closing, Column, Header, PrintDocument, Table, TableRow

H1, H2, H3, H4, P, LI = "heading1", "heading2", "heading3", "heading4", "paragraph", "item"

FN4 = (
    "Nội dung quán triệt 08 văn bản gồm: **Chỉ thị số 21-CT/TW** của Ban Bí thư về tiếp tục đổi mới, phát triển "
    "và nâng cao chất lượng giáo dục nghề nghiệp đến năm 2030, tầm nhìn đến năm 2045; **Kế hoạch số 184-KH/TU** "
    "ngày 27/6/2023 của Ban Thường vụ Tỉnh ủy về thực hiện Chỉ thị 21-CT/TW. **Chỉ thị số 23-CT/TW** của Ban Bí "
    "thư về tăng cường sự lãnh đạo của Đảng đối với công tác bảo đảm trật tự, an toàn giao thông trong tình hình "
    "mới. **Chỉ thị số 18-CT/TU** của Ban Thường vụ Tỉnh ủy về tăng cường sự lãnh đạo của các cấp ủy đảng đối với "
    "việc tiếp nhận, quản lý, xử lý và giải quyết nguồn tin về tội phạm. **Chỉ thị số 19-CT/TU** của Ban Thường vụ "
    "Tỉnh ủy về tăng cường sự lãnh đạo của các cấp ủy đảng đối với công tác phòng chống tham nhũng, tiêu cực. "
    "**Chỉ thị số 20-CT/TU** của Ban Thường vụ Tỉnh ủy về tăng cường công tác lãnh đạo, chỉ đạo thực hiện “Đề án "
    "phát triển ứng dụng dữ liệu về dân cư, định danh và xác thực điện tử, phục vụ chuyển đổi số quốc gia giai "
    "đoạn 2022- 2025, tầm nhìn đến năm 2030” trên địa bàn tỉnh Lai Châu. **Chương trình hành động số 34-CTr/TU** "
    "của Tỉnh ủy về thực hiện Nghị quyết số 27-NQ/TW về tiếp tục xây dựng và hoàn thiện Nhà nước pháp quyền xã "
    "hội chủ nghĩa Việt Nam trong giai đoạn mới; Kế hoạch thực hiện Nghị quyết số 27-NQ/TW của Huyện ủy."
)
FN7 = (
    "**Quy định số 113-QĐ/TW**, ngày 10/7/2023 của Ban Bí thư. **Quy định số 114-QĐ/TW**, ngày 11/7/2023 của Bộ "
    "Chính trị. **Quy định số 117-QĐ/TW**, ngày 18/8/2023 của Bộ Chính trị. **Chỉ thị số 23-CT/TW**, ngày "
    "25/5/2023 của Ban Bí thư. **Chỉ thị số 18-CT/TU**, ngày 23/5/2023 của BTV Tỉnh ủy. **Chỉ thị số 19-CT/TU**, "
    "ngày 23/5/2023 của BTV Tỉnh ủy. **Kết luận số 54-KL/TW**, ngày 09/5/2023 của Ban Bí thư. **Chương trình hành "
    "động số 34-CTr/TU**, ngày 17/4/2023 của BCH Đảng bộ tỉnh. **Kế hoạch số 186-KH/TU**, ngày 17/7/2023 của BTV "
    "Tỉnh ủy."
)

SEED_004_BODY: list[tuple[str, str, str]] = [
    # (kind, number, text)
    (P, "", "Thực hiện Hướng dẫn số 132-HD/BTGTU, ngày 14/9/2023 của Ban Tuyên giáo Tỉnh ủy về tổ chức học tập, "
            "quán triệt, tuyên truyền, triển khai thực hiện các quy định, chỉ thị, kết luận của Bộ Chính trị, Ban "
            "Bí thư và các văn bản mới của Trung ương, của Tỉnh ủy; Ban Tuyên giáo Huyện ủy báo cáo kết quả như sau:"),
    (H1, "I.", "CÔNG TÁC THAM MƯU, TRIỂN KHAI THỰC HIỆN"),
    (P, "", "Căn cứ các văn bản chỉ đạo của Tỉnh ủy về quán triệt, triển khai các chỉ thị, kết luận, quy định của "
            "Đảng; Ban Tuyên giáo Huyện ủy đã chủ động tham mưu Ban Thường vụ Huyện ủy xây dựng kế hoạch chỉ đạo, "
            "hướng dẫn các chi, đảng bộ cơ sở tổ chức học tập, quán triệt^[Kế hoạch số 209-KH/HU, ngày 29/8/2023 "
            "của Ban Thường vụ Huyện ủy về tổ chức học tập, quán triệt, tuyên truyền, triển khai thực hiện các chỉ "
            "thị, quy định của Trung ương; Chương trình hành động, kế hoạch thực hiện của Tỉnh ủy, Huyện ủy.]."),
    (P, "", "Thực hiện Hướng dẫn số 132-HD/BTGTU, Ban Tuyên giáo Huyện ủy tiếp tục ban hành công văn hướng dẫn học "
            "tập^[Công văn số 120-CV/BTGHU, ngày 20/9/2023 của Ban Tuyên giáo Huyện ủy về tổ chức học tập, quán "
            "triệt một số quy định, kết luận của Trung ương, CHTĐ, kế hoạch thực hiện nghị quyết của Tỉnh ủy, "
            "Huyện ủy.]. Chủ trì, phối hợp tổ chức các hội nghị học tập, quán triệt theo hình thức trực tuyến, "
            "trực tiếp^[Công văn số 1037-CV/HU, ngày 18/9/2023 về mời dự Hội nghị nghiên cứu, học tập, quán triệt "
            "các quy định, chỉ thị, kết luận của Trung ương và các văn bản của Tỉnh ủy. Công văn số 1058-CV/HU, "
            "ngày 09/10/2023 về mời dự Hội nghị trực tuyến toàn quốc nghiên cứu, triển khai Kết luận số 57-KL/TW "
            "của Bộ Chính trị về công tác thông tin đối ngoại. Công văn số 119-CV/BTGHU ngày 18/9/2023 về mời dự "
            "Hội nghị báo cáo viên tháng 9/2023.] tới cán bộ, đảng viên; thường xuyên theo dõi, đôn đốc, giám sát "
            "việc tổ chức quán triệt, tuyên truyền và tổng hợp báo cáo kết quả đảm bảo thời gian, chất lượng."),
    (H1, "II.", "KẾT QUẢ THỰC HIỆN"),
    (H2, "1.", "Công tác học tập, quán triệt"),
    (H4, "a)", "Cấp huyện: 05 hội nghị/2.040 lượt người tham dự"),
    (LI, "", "Huyện trực tiếp tổ chức: 03 hội nghị, cụ thể như sau:"),
    (P, "", "(1) Hội nghị báo cáo viên cấp huyện^[" + FN4 + "] tháng 7 (ngày 28/7/2023) bằng hình thức trực tiếp "
            "kết hợp trực tuyến tới 13 xã, thị trấn với 520 đại biểu."),
    (P, "", "Báo cáo viên: đồng chí Trưởng Ban, Phó ban Tuyên giáo Huyện ủy, Trưởng Công an huyện."),
    (P, "", "(2) Hội nghị báo cáo viên cấp huyện^[**Kết luận số 57-KL/TW** của Bộ Chính trị về tiếp tục nâng cao "
            "chất lượng, hiệu quả công tác thông tin đối ngoại trong tình hình mới. **Chương trình hành động số "
            "30-CTr/TU** của Tỉnh ủy về thực hiện Nghị quyết số 28-NQ/TW “về tiếp tục đổi mới phương thức lãnh "
            "đạo, cầm quyền của Đảng đối với hệ thống chính trị trong giai đoạn mới”. **Kế hoạch số 195-KH/HU**, "
            "ngày 27/6/2023 của Huyện ủy thực hiện Nghị quyết số 28-NQ/TW] tháng 8 (*sáng ngày 30/8/2023*) bằng "
            "hình thức trực tiếp kết hợp với trực tuyến với 498 đại biểu tham dự."),
    (P, "", "Báo cáo viên: đồng chí Trưởng Ban, Phó ban Tuyên giáo Huyện ủy"),
    (P, "", "(3) Hội nghị báo cáo viên cấp huyện tháng 9^[Nội dung quán triệt 05 văn bản gồm: Chỉ thị số "
            "24-CT/TW, ngày 13/7/2023 của Bộ Chính trị. Quy định số 116-QĐ/TW, ngày 28/7/2023 của Ban Chấp hành "
            "Trung ương Đảng. Kế hoạch số 182-KH/TU, ngày 26/6/2023 của Tỉnh ủy. Nghị quyết số 04-NQ/HU, ngày "
            "30/6/2023 của BCH Đảng bộ huyện. Kế hoạch số 200-KH/HU, ngày 14/7/2023 của Huyện ủy (*Riêng Chỉ thị "
            "số 24-CT/TW, Quy định số 116-QĐ/TW không trực tuyến tới cơ sở*).] (*chiều ngày 21/9/2023*) bằng hình "
            "thức trực tiếp kết hợp với trực tuyến với 459 đại biểu tham dự."),
    (P, "", "Báo cáo viên: đồng chí Bí thư Huyện ủy, Trưởng Ban Tổ chức Huyện ủy, Phó Chủ tịch UBND huyện."),
    (LI, "", "Huyện kết nối 02 hội nghị học tập trực tuyến do Trung ương, tỉnh tổ chức:"),
    (P, "", "(1) Trực tuyến từ tỉnh tới huyện, các xã, thị trấn (*sáng ngày 21/9/2023*)^[" + FN7 + "] với 498 "
            "người tham gia."),
    (P, "", "(2) Trực tuyến từ Trung ương tới huyện (*11/10/2023*) quán triệt Kết luận số 57-KL/TW của Bộ Chính "
            "trị với 65 người tham dự."),
    (H4, "b)", "Cấp cơ sở"),
    (LI, "", "Đảng ủy các xã, thị trấn: ngoài kết nối các hội nghị học tập trực tuyến; các Đảng ủy tiếp tục tổ chức "
             "các hội nghị tập trung bằng các hình thức phù hợp như phân loại theo đối tượng để tổ chức hội nghị "
             "(*quán triệt cho cán bộ chủ chốt tại hội nghị ban chấp hành; hội nghị cán bộ, công chức, viên chức; "
             "hội nghị đảng viên nông thôn*); giao cho chi bộ cơ quan (y tế, trường học, công an) tổ chức hội nghị "
             "tập trung, sinh hoạt chi bộ để phổ biến, quán triệt tới cán bộ, đảng viên, công chức, viên chức, "
             "người lao động; phân công đồng chí trong Đảng ủy phổ biến lồng ghép tại các buổi sinh hoạt chi bộ "
             "khối nông thôn."),
    (LI, "", "Các chi bộ trực thuộc Huyện ủy; Đảng ủy Công an, Quân sự, Trung tâm Y huyện phổ biến tới cán bộ, "
             "đảng viên, công chức, viên chức, người lao động trong các buổi sinh hoạt chi bộ tháng 8,9,10/2023."),
    (P, "", "Một số cán bộ, đảng viên, công chức, viên chức, người lao động không tham gia học tại các hội nghị tập "
            "trung, buổi sinh hoạt chi bộ, cơ quan đã được chi bộ gửi tài liệu tự nghiên cứu."),
    (P, "", "Kết quả chung: Đến ngày 25/10/2023, các chi, đảng bộ trên địa bàn huyện đã hoàn thành theo kế hoạch "
            "việc quán triệt, phổ biến các chỉ thị, nghị quyết tới cán bộ, đảng viên. Toàn huyện tổ chức 79 hội "
            "nghị, 294 buổi sinh hoạt chi bộ cho 3.119 người, trong đó: Đảng viên 2.419/2.468 người, đạt 98,0%; "
            "Cán bộ, công chức, viên chức, người lao động chưa là đảng viên 700/735 người, đạt 95,2%."),
    (H2, "2.", "Công tác tuyên truyền"),
    (LI, "", "Ban Tuyên giáo Huyện ủy chủ động biên soạn ngắn gọn một số chỉ thị, quy định, kết luận^[Quy định số "
             "114-QĐ/TW, ngày 11/7/2023 của Bộ Chính trị; Chỉ thị số 23-CT/TW, ngày 25/5/2023 của Ban Bí thư; "
             "Quy định số 117-QĐ/TW, ngày 18/8/2023 của Bộ Chính trị; Kết luận số 61-KL/TW, ngày 17/8/2023 của "
             "Ban Bí thư. Nghị quyết số 04-NQ/HU, ngày 30/6/2023 của BCH Đảng bộ huyện về phát triển cây Sâm. "
             "Các kế hoạch thực hiện của Huyện ủy (Kế hoạch số 180-KH/HU thực hiện Chỉ thị số 17-CT/TW; Kế hoạch "
             "số 197-KH/HU, về thực hiện Nghị quyết số 19-NQ/TW...)],...đưa vào tài liệu tuyên truyền tháng "
             "8,9,10/2023, định hướng đội ngũ báo cáo viên cấp huyện, các cơ quan thông tin, tuyên truyền huyện "
             "triển khai tuyên truyền tới cơ sở bằng các hình thức phù hợp, qua đó giúp đoàn viên, hội viên, quần "
             "chúng Nhân dân nắm bắt được những chủ trương của Đảng, tạo sự đồng thuận, thống nhất trong triển "
             "khai thực hiện."),
    (LI, "", "Đảng ủy các xã, thị trấn chỉ đạo Ủy ban mặt trận Tổ quốc và các đoàn thể, đội ngũ báo cáo viên xã "
             "tuyên truyền trong các buổi họp bản, sinh hoạt chi hội, chi đoàn; bộ phận Văn hóa - Thông tin xã "
             "tuyên truyền trên loa phát thanh xã^[Tập trung tuyên truyền Kết luận số 61-KL/TW về quản lý, bảo vệ "
             "và phát triển rừng. Kế hoạch của Huyện ủy thực hiện Chỉ thị số 17-CT/TW, ngày 21/10/2022 về tăng "
             "cường bảo đảm an ninh, an toàn thực phẩm trong tình hình mới,...]. Kết quả được 143 buổi/9.010 lượt "
             "người."),
    (LI, "", "Trung tâm Văn hóa, Thể thao và Truyền thông huyện đưa tin phản ánh hội nghị học tập, quán triệt do "
             "huyện tổ chức; đăng tải lên trang thông tin điện tử huyện các nghị quyết, kế hoạch thực hiện của "
             "Huyện ủy; tuyên truyền trên hệ thống truyền thanh, truyền hình các nội dung liên quan về các văn "
             "bản mới của Trung ương, tỉnh, huyện. Kết quả: 15 tin bài, thời lượng 30 phút."),
    (H1, "III.", "ĐÁNH GIÁ CHUNG"),
    (H2, "1.", "Ưu điểm"),
    (P, "", "Bám sát vào sự chỉ đạo, hướng dẫn của huyện, các chi, đảng bộ cơ sở đã lãnh đạo, chỉ đạo triển khai "
            "tổ chức học tập, quán triệt, tuyên truyền với nội dung, hình thức phù hợp, cơ bản đảm bảo mục đích, "
            "yêu cầu. Tỷ lệ cán bộ, đảng viên được quán triệt nâng lên (*đạt trung bình 96,5%*). Một số Đảng ủy "
            "đã quan tâm phân loại đối tượng để tổ chức hội nghị quán triệt^[Đảng ủy xã Bình Lư tổ chức 01 hội "
            "nghị tập trung cho cán bộ, công chức, viên chức; 01 hội nghị tập trung cho đảng viên nông thôn. Đảng "
            "ủy Nà Tăm, Sơn Bình chỉ đạo bí thư các chi bộ trưởng học tổ chức hội nghị tập trung để phổ biến, "
            "quán triệt cho cán bộ, giáo viên.], qua đó nâng cao chất lượng, hiệu quả công tác học tập, quán "
            "triệt chỉ thị, nghị quyết của Đảng"),
    (H2, "2.", "Hạn chế và nguyên nhân"),
    (H3, "2.1.", "Hạn chế"),
    (LI, "", "Ủy ban Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội huyện chưa quan tâm đổi mới cách thức chỉ "
             "đạo, triển khai tuyên truyền các nghị quyết, chỉ thị, kết luận của Đảng tới đoàn viên, hội viên ở "
             "cơ sở."),
    (LI, "", "Tỷ lệ cán bộ, đảng viên, công chức, viên chức, người lao động được phổ biến, quán triệt, học tập ở "
             "một số đơn vị thấp hơn mức trung bình của huyện, đặc biệt xã Khun Há (*có 66,3% cán bộ, công chức, "
             "viên chức chưa là đảng viên được học tập, quán triệt*)."),
    (LI, "", "Chế độ chấp hành báo cáo của một số chi bộ chưa nghiêm làm ảnh hưởng đến tiến độ, kết quả chung của "
             "huyện (*Chi bộ Phòng Nội vụ, Phòng Lao động, Thương bình & XH, Ban Quản lý Rừng phòng hộ, Hạt Kiểm "
             "lâm, Trung tâm phát triển quỹ đất, Trường PTDT Nội trú huyện*)."),
    (H3, "2.2.", "Nguyên nhân"),
    (P, "", "Cấp ủy, người đứng đầu một số chi, đảng bộ chưa thực hiện đầy đủ vai trò, trách nhiệm, chưa quan tâm "
            "kiểm tra, giám sát, đôn đốc việc thực hiện."),
    (P, "", "Một số cán bộ được giao nhiệm vụ chưa chủ động tham mưu cho cấp ủy trong công tác triển khai thực "
            "hiện; năng lực, trình độ chuyên môn có phần hạn chế; thiếu tinh thần trách nhiệm trong việc tổng "
            "hợp, báo cáo kết quả quán triệt, phổ biến, tuyên truyền về huyện."),
]

SEED_004_SUBTITLE = "Kèm theo Báo cáo số 164-BC/BTGHU, ngày 30/10/2023 của Ban Tuyên giáo Huyện ủy Tam Đường"

STUDY_COLUMNS = (
    Column("stt", "STT", "stt", width=0.45),
    Column("name", "Tên chi, đảng bộ", "text", width=3.2),
    Column("conference.count", "Số hội nghị", group="Hội nghị học tập, quán triệt"),
    Column("conference.attendance", "Lượt người", group="Hội nghị học tập, quán triệt"),
    Column("cell_meeting.count", "Số buổi", group="Sinh hoạt chi bộ"),
    Column("cell_meeting.attendance", "Lượt người", group="Sinh hoạt chi bộ"),
    Column("members.studied", "Đã học tập", group="Đảng viên"),
    Column("members.required", "Phải học tập", group="Đảng viên"),
    Column("members.rate", "Tỷ lệ (%)", "rate", group="Đảng viên"),
    Column("nonmembers.studied", "Đã học tập", group="Người chưa là đảng viên"),
    Column("nonmembers.required", "Phải học tập", group="Người chưa là đảng viên"),
    Column("nonmembers.rate", "Tỷ lệ (%)", "rate", group="Người chưa là đảng viên"),
)
PROPAGANDA_COLUMNS = (
    Column("stt", "STT", "stt", width=0.45),
    Column("name", "Tên chi, đảng bộ", "text", width=3.2),
    Column("propaganda.mass_meeting.sessions", "Số buổi", group="Họp bản, sinh hoạt chi hội, chi đoàn"),
    Column("propaganda.mass_meeting.reach", "Lượt người", group="Họp bản, sinh hoạt chi hội, chi đoàn"),
    Column("propaganda.loudspeaker.sessions", "Số buổi", group="Loa phát thanh xã, bản"),
    Column("propaganda.radio_tv.items", "Tin, bài", group="Truyền thanh, truyền hình"),
    Column("propaganda.radio_tv.minutes", "Thời lượng (phút)", group="Truyền thanh, truyền hình"),
    Column("propaganda.website.items", "Tin, bài", group="Trang thông tin điện tử"),
)


def figures_table(label: str, title: str, subtitle: str, columns, units: list[tuple[str, dict]], *,
                  note: str = "", levels: list[int] | None = None) -> Table:
    """A Biểu from per-unit figure dicts (``units`` in hierarchy order: (name, {indicator: value}))."""
    rows = []
    totals: dict[str, int] = {}
    for n, (name, values) in enumerate(units, start=1):
        cells = []
        for col in columns:
            if col.kind == "stt":
                cells.append(n)
            elif col.kind == "text":
                cells.append(name)
            elif col.kind == "rate":
                base = col.key.rsplit(".", 1)[0]
                num = values.get(f"{base}.studied")
                den = values.get(f"{base}.required")
                cells.append(rate_value(num, den))
            else:
                value = values.get(col.key)
                cells.append(value)
                if value is not None:
                    totals[col.key] = totals.get(col.key, 0) + value
        rows.append(TableRow(tuple(cells), level=(levels[n - 1] if levels else 0)))
    total_cells = []
    for col in columns:
        if col.kind == "stt":
            total_cells.append("")
        elif col.kind == "text":
            total_cells.append("Tổng cộng")
        elif col.kind == "rate":
            base = col.key.rsplit(".", 1)[0]
            total_cells.append(rate_value(totals.get(f"{base}.studied"), totals.get(f"{base}.required")))
        else:
            total_cells.append(totals.get(col.key))
    return Table(label=label, title=title, subtitle=subtitle, columns=tuple(columns), rows=tuple(rows),
                 total=TableRow(tuple(total_cells), bold=True), note=note)


def seed_004_units() -> list[tuple[str, dict]]:
    """The district's own row then its 51 units, with the demo figures (no database)."""
    figures = unit_figures()
    units = [("Cấp huyện (Huyện ủy, Ban Tuyên giáo Huyện ủy)", {"conference.count": 5, "conference.attendance": 2040})]
    for suffix, name, _short in TAM_DUONG_COMMUNES:
        units.append((name, figures[suffix]))
    for suffix, name, _kind in TAM_DUONG_AGENCIES:
        units.append((name, figures[suffix]))
    return units


def seed_004_document(*, with_tables: bool = True) -> PrintDocument:
    """Seed 004 (Báo cáo số 164-BC/BTGHU of the Tam Đường propaganda board) as a print document."""
    blocks = tuple(Block.of(kind, text, number) for kind, number, text in SEED_004_BODY)
    tables: tuple[Table, ...] = ()
    if with_tables:
        units = seed_004_units()
        note = "Số liệu tính đến 16 giờ 30 ngày 25/10/2023."
        tables = (
            figures_table("Biểu số 01", "Kết quả học tập, quán triệt các văn bản của Đảng theo Hướng dẫn số "
                          "132-HD/BTGTU", SEED_004_SUBTITLE, STUDY_COLUMNS, units, note=note),
            figures_table("Biểu số 02", "Kết quả tuyên truyền các văn bản của Đảng", SEED_004_SUBTITLE,
                          PROPAGANDA_COLUMNS, units, note=note),
        )
    return PrintDocument(
        header=Header(superior_line="ĐẢNG BỘ TỈNH LAI CHÂU", own_line="HUYỆN ỦY TAM ĐƯỜNG",
                      board_line="BAN TUYÊN GIÁO", number_line="Số 164-BC/BTGHU",
                      place_date_line="Tam Đường, ngày 30 tháng 10 năm 2023"),
        doc_type="BÁO CÁO",
        summary="kết quả học tập, quán triệt, tuyên truyền các văn bản của Đảng\n"
                "theo Hướng dẫn số 132-HD/BTGTU và các văn bản mới ban hành",
        blocks=blocks,
        closing=Closing(recipients=("Ban Tuyên giáo Tỉnh ủy,", "TT. Huyện ủy (b/c),", "Các chi, đảng bộ cơ sở,",
                                    "Lưu."),
                        signer_title="TRƯỞNG BAN", signer_name="Phạm Thị Hải Đường"),
        tables=tables,
        kind="report",
        title="Báo cáo số 164-BC/BTGHU",
        author="Ban Tuyên giáo Huyện ủy Tam Đường",
    )


SEED_003_BODY: list[tuple[str, str, str]] = [
    (P, "", "Thực hiện Hướng dẫn số 121-HD/BTGTW, ngày 06/11/2023 của Ban Tuyên giáo Trung ương về thực hiện công "
            "tác lý luận chính trị năm 2024, Kế hoạch số 44-KH/TU, ngày 29/10/2021 của Ban Thường vụ Tỉnh ủy về "
            "thực hiện Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị tiếp tục thực hiện Chỉ thị số "
            "05-CT/TW đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh giai đoạn 2021-2025, "
            "Ban Thường vụ Tỉnh ủy ban hành Kế hoạch thực hiện Kết luận số 01-KL/TW năm 2024 như sau:"),
    (H1, "I-", "MỤC ĐÍCH, YÊU CẦU"),
    (LI, "", "Tiếp tục cụ thể hóa các nội dung, nhiệm vụ của Kết luận số 01-KL/TW và Kế hoạch số 44-KH/TU phù hợp "
             "với điều kiện thực tiễn của tỉnh. Xác định rõ nhiệm vụ, giải pháp của các cấp ủy, tổ chức đảng, cơ "
             "quan, đơn vị trong học tập và làm theo Bác, tạo sự thống nhất trong lãnh đạo, chỉ đạo, triển khai "
             "thực hiện năm 2024."),
    (LI, "", "Tiếp tục tập trung làm tốt 3 khâu: Học tập, làm theo Bác và nêu gương của cán bộ, đảng viên, nhất là "
             "người đứng đầu cấp ủy, cơ quan, đơn vị."),
    (LI, "", "Việc lãnh đạo, chỉ đạo, triển khai thực hiện phải bám sát sự chỉ đạo, định hướng của cấp ủy cấp trên; "
             "đồng thời đề cao tinh thần trách nhiệm, chủ động, sáng tạo, linh hoạt của cấp ủy, chính quyền, Mặt "
             "trận Tổ quốc, tổ chức chính trị - xã hội và người đứng đầu, phù hợp với điều kiện thực tiễn, tránh "
             "hình thức."),
    (H1, "II-", "NỘI DUNG"),
    (H2, "1.", "Tổ chức học tập, quán triệt"),
    (LI, "", "Tỉnh ủy tổ chức Hội nghị trực tuyến học tập, quán triệt Chuyên đề năm 2024 “*Học tập và làm theo tư "
             "tưởng, đạo đức, phong cách Hồ Chí Minh về phát huy quyền làm chủ của nhân dân, đẩy mạnh đổi mới sáng "
             "tạo, khơi dậy khát vọng xây dựng cuộc sống ấm no, hạnh phúc, đưa Lai Châu phát triển nhanh và bền "
             "vững*” cho cán bộ chủ chốt các cấp. Toàn tỉnh hoàn thành việc học tập, quán triệt trong Quý I/2024."),
    (H2, "2.", "Xây dựng kế hoạch học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"),
    (H3, "2.1.", "Kế hoạch tập thể"),
    (P, "", "Kế hoạch phải được thông qua trước tập thể lãnh đạo hoặc toàn thể cơ quan, đơn vị; đồng thời gửi lên "
            "cấp ủy cấp trên trực tiếp để theo dõi, đánh giá. Hoàn thành xây dựng kế hoạch trước ngày 15/01/2024."),
    (H3, "2.2.", "Kế hoạch cá nhân"),
    (P, "", "Các chi bộ, cơ quan, đơn vị căn cứ vào quy định của Bộ Chính trị, Ban Bí thư, Ban Chấp hành Trung ương "
            "về trách nhiệm nêu gương^[Quy định số 101-QĐ/TW, ngày 07/6/2012 của Ban Bí thư Trung ương Đảng \"Về "
            "trách nhiệm nêu gương của cán bộ, đảng viên, nhất là cán bộ lãnh đạo chủ chốt các cấp\"; Quy định số "
            "55-QĐ/TW, ngày 19/12/2016 của Bộ Chính trị; Quy định 08-QĐ/TW, ngày 25/10/2018 của Ban Chấp hành "
            "Trung ương.], nội dung Chuyên đề toàn khóa của Trung ương, Chuyên đề năm 2024 của Tỉnh ủy tổ chức cho "
            "cán bộ, đảng viên^[Trừ đảng viên được miễn sinh hoạt; đảng viên thuộc chi bộ thôn, bản, tổ dân phố "
            "không giữ chức vụ bí thư, phó bí thư chi bộ.], công chức, viên chức, người lao động xây dựng kế hoạch "
            "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh năm 2024. Hoàn thành xây dựng kế hoạch "
            "trong tháng 01/2024."),
    (H1, "III-", "TỔ CHỨC THỰC HIỆN"),
    (P, "", "Các ban cán sự đảng, đảng đoàn, Ban Thường vụ Tỉnh đoàn, các huyện ủy, thành ủy, đảng ủy trực thuộc "
            "báo cáo kết quả thực hiện năm 2024 và báo cáo đánh giá 3 năm thực hiện Kết luận số 01-KL/TW gửi Ban "
            "Thường vụ Tỉnh ủy (qua Ban Tuyên giáo Tỉnh ủy) để tổng hợp, báo cáo Trung ương."),
]


def seed_003_document() -> PrintDocument:
    """Seed 003 (Kế hoạch số 222-KH/TU of the Lai Châu provincial committee), abridged, as a print document."""
    return PrintDocument(
        header=Header(own_line="TỈNH ỦY LAI CHÂU", number_line="Số 222-KH/TU",
                      place_date_line="Lai Châu, ngày 18 tháng 12 năm 2023"),
        doc_type="KẾ HOẠCH",
        summary="thực hiện Kết luận số 01-KL/TW của Bộ Chính trị về tiếp tục thực hiện Chỉ thị số 05-CT/TW về "
                "“Đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh” năm 2024",
        blocks=tuple(Block.of(kind, text, number) for kind, number, text in SEED_003_BODY),
        closing=Closing(
            recipients=("Ban Tuyên giáo Trung ương,", "Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy,",
                        "Các ban đảng, ban cán sự đảng, đảng đoàn, Ban Thường vụ Tỉnh đoàn,",
                        "Các cơ quan tư tưởng, văn hóa tỉnh,",
                        "Sở Giáo dục và Đào tạo, Trường Cao đẳng cộng đồng, Trường Chính trị tỉnh,",
                        "Các huyện ủy, thành ủy, đảng ủy trực thuộc,", "Lưu VPTU."),
            authority="T/M BAN THƯỜNG VỤ", signer_title="PHÓ BÍ THƯ", signer_name="Vũ Mạnh Hà"),
        kind="plan",
        title="Kế hoạch số 222-KH/TU",
        author="Tỉnh ủy Lai Châu",
    )
