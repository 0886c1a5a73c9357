"""Demo hierarchy: Lai Châu with Tam Đường (51 units) and Than Uyên; Hà Tĩnh with its bloc committee."""
from __future__ import annotations

import datetime as dt

from units.models import IssuingBody, Unit, UnitKind
from units.services import unit_create, unit_kinds_load

# Commune/town committees of Tam Đường: (code suffix, name, short name in text).
TAM_DUONG_COMMUNES = [
    ("binh-lu", "Đảng ủy xã Bình Lư", "xã Bình Lư"),
    ("ban-bo", "Đảng ủy xã Bản Bo", "xã Bản Bo"),
    ("ban-giang", "Đảng ủy xã Bản Giang", "xã Bản Giang"),
    ("ban-hon", "Đảng ủy xã Bản Hon", "xã Bản Hon"),
    ("ho-thau", "Đảng ủy xã Hồ Thầu", "xã Hồ Thầu"),
    ("giang-ma", "Đảng ủy xã Giang Ma", "xã Giang Ma"),
    ("khun-ha", "Đảng ủy xã Khun Há", "xã Khun Há"),
    ("ta-leng", "Đảng ủy xã Tả Lèng", "xã Tả Lèng"),
    ("na-tam", "Đảng ủy xã Nà Tăm", "xã Nà Tăm"),
    ("son-binh", "Đảng ủy xã Sơn Bình", "xã Sơn Bình"),
    ("nung-nang", "Đảng ủy xã Nùng Nàng", "xã Nùng Nàng"),
    ("then-sin", "Đảng ủy xã Thèn Sin", "xã Thèn Sin"),
    ("thi-tran", "Đảng ủy thị trấn Tam Đường", "thị trấn Tam Đường"),
]

# Party cells and committees of district agencies (38).
TAM_DUONG_AGENCIES = [
    ("cong-an", "Đảng ủy Công an huyện", "dang-bo-co-so"),
    ("quan-su", "Đảng ủy Quân sự huyện", "dang-bo-co-so"),
    ("trung-tam-y-te", "Đảng ủy Trung tâm Y tế huyện", "dang-bo-co-so"),
    ("phong-noi-vu", "Chi bộ Phòng Nội vụ", "chi-bo-co-so"),
    ("phong-ldtbxh", "Chi bộ Phòng Lao động – Thương binh và Xã hội", "chi-bo-co-so"),
    ("ban-ql-rung", "Chi bộ Ban Quản lý Rừng phòng hộ", "chi-bo-co-so"),
    ("hat-kiem-lam", "Chi bộ Hạt Kiểm lâm", "chi-bo-co-so"),
    ("quy-dat", "Chi bộ Trung tâm Phát triển quỹ đất", "chi-bo-co-so"),
    ("truong-noi-tru", "Chi bộ Trường PTDT Nội trú huyện", "chi-bo-co-so"),
    ("phong-nn-ptnt", "Chi bộ Phòng Nông nghiệp và Phát triển nông thôn", "chi-bo-co-so"),
    ("van-phong-huyen-uy", "Chi bộ Văn phòng Huyện ủy", "chi-bo-co-so"),
    ("cac-ban-dang", "Chi bộ các Ban xây dựng Đảng", "chi-bo-co-so"),
    ("van-phong-hdnd-ubnd", "Chi bộ Văn phòng HĐND và UBND huyện", "chi-bo-co-so"),
    ("phong-tai-chinh", "Chi bộ Phòng Tài chính – Kế hoạch", "chi-bo-co-so"),
    ("phong-tnmt", "Chi bộ Phòng Tài nguyên và Môi trường", "chi-bo-co-so"),
    ("phong-kinh-te", "Chi bộ Phòng Kinh tế và Hạ tầng", "chi-bo-co-so"),
    ("phong-gddt", "Chi bộ Phòng Giáo dục và Đào tạo", "chi-bo-co-so"),
    ("phong-van-hoa", "Chi bộ Phòng Văn hóa và Thông tin", "chi-bo-co-so"),
    ("phong-tu-phap", "Chi bộ Phòng Tư pháp", "chi-bo-co-so"),
    ("thanh-tra", "Chi bộ Thanh tra huyện", "chi-bo-co-so"),
    ("mttq-doan-the", "Chi bộ Cơ quan Ủy ban MTTQ và các đoàn thể huyện", "chi-bo-co-so"),
    ("trung-tam-vhtt", "Chi bộ Trung tâm Văn hóa, Thể thao và Truyền thông", "chi-bo-co-so"),
    ("trung-tam-chinh-tri", "Chi bộ Trung tâm Chính trị huyện", "chi-bo-co-so"),
    ("gdnn-gdtx", "Chi bộ Trung tâm Giáo dục nghề nghiệp – Giáo dục thường xuyên", "chi-bo-co-so"),
    ("ban-qlda", "Chi bộ Ban Quản lý dự án đầu tư xây dựng huyện", "chi-bo-co-so"),
    ("kho-bac", "Chi bộ Kho bạc Nhà nước huyện", "chi-bo-co-so"),
    ("thue", "Chi bộ Đội Thuế liên huyện", "chi-bo-co-so"),
    ("thong-ke", "Chi bộ Chi cục Thống kê", "chi-bo-co-so"),
    ("agribank", "Chi bộ Ngân hàng Nông nghiệp và Phát triển nông thôn huyện", "chi-bo-co-so"),
    ("nhcsxh", "Chi bộ Ngân hàng Chính sách xã hội huyện", "chi-bo-co-so"),
    ("bhxh", "Chi bộ Bảo hiểm xã hội huyện", "chi-bo-co-so"),
    ("toa-an", "Chi bộ Tòa án nhân dân huyện", "chi-bo-co-so"),
    ("vien-kiem-sat", "Chi bộ Viện Kiểm sát nhân dân huyện", "chi-bo-co-so"),
    ("thi-hanh-an", "Chi bộ Chi cục Thi hành án dân sự", "chi-bo-co-so"),
    ("dien-luc", "Chi bộ Điện lực Tam Đường", "chi-bo-co-so"),
    ("thpt-tam-duong", "Chi bộ Trường THPT Tam Đường", "chi-bo-co-so"),
    ("thpt-binh-lu", "Chi bộ Trường THPT Bình Lư", "chi-bo-co-so"),
    ("phong-y-te", "Chi bộ Phòng Y tế", "chi-bo-co-so"),
]

VILLAGE_CELLS = {
    "khun-ha": ["bản Khun Há", "bản Phiêng Phát", "bản Sì Thâu Chải", "Trường Tiểu học Khun Há", "Trạm Y tế xã"],
    "binh-lu": ["bản Bình Lư", "bản Nà Luông", "bản Séo Lèng", "Trường THCS Bình Lư"],
}

THAN_UYEN_UNITS = [
    ("muong-than", "Đảng ủy xã Mường Than", "xã Mường Than"),
    ("phuc-than", "Đảng ủy xã Phúc Than", "xã Phúc Than"),
    ("thi-tran", "Đảng ủy thị trấn Than Uyên", "thị trấn Than Uyên"),
    ("cong-an", "Đảng ủy Công an huyện Than Uyên", ""),
]

HA_TINH_KHOI_UNITS = [
    "Đảng bộ Sở Tài chính", "Đảng bộ Sở Kế hoạch và Đầu tư", "Đảng bộ Sở Giáo dục và Đào tạo",
    "Đảng bộ Sở Y tế", "Đảng bộ Sở Nông nghiệp và Phát triển nông thôn", "Đảng bộ Sở Xây dựng",
    "Đảng bộ Sở Công Thương", "Đảng bộ Sở Văn hóa, Thể thao và Du lịch", "Đảng bộ Bệnh viện Đa khoa tỉnh",
    "Đảng bộ Công ty Điện lực Hà Tĩnh", "Chi bộ Báo Hà Tĩnh", "Đảng bộ Trường Đại học Hà Tĩnh",
]

LAI_CHAU_SUPERIOR = "ĐẢNG BỘ TỈNH LAI CHÂU"


def _kinds() -> dict[str, UnitKind]:
    """The unit kinds of fixtures/unit_kinds.json (loaded by a migration too), by code."""
    unit_kinds_load()
    return {k.code: k for k in UnitKind.objects.all()}


def _unit(code, name, kind, parent, short_name="") -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is not None:
        return unit
    parent = Unit.objects.get(pk=parent.pk) if parent is not None else None  # fresh path/numchild
    return unit_create(code=code, name=name, kind=kind, parent=parent, short_name=short_name,
                       valid_from=dt.date(2020, 10, 1))


def _body(code: str, unit: Unit, **fields) -> IssuingBody:
    body, _ = IssuingBody.objects.update_or_create(code=code, defaults={"unit": unit, **fields})
    return body


def seed_hierarchy() -> dict[str, Unit]:
    kinds = _kinds()
    lai_chau = _unit("lai-chau", "Tỉnh ủy Lai Châu", kinds["tinh-uy"], None, "tỉnh Lai Châu")
    tam_duong = _unit("tam-duong", "Huyện ủy Tam Đường", kinds["huyen-uy"], lai_chau, "huyện Tam Đường")
    for suffix, name, short in TAM_DUONG_COMMUNES:
        _unit(f"tam-duong-{suffix}", name, kinds["dang-uy-xa"], tam_duong, short)
    for suffix, name, kind in TAM_DUONG_AGENCIES:
        _unit(f"tam-duong-{suffix}", name, kinds[kind], tam_duong)
    from django.utils.text import slugify

    for commune, cells in VILLAGE_CELLS.items():
        parent = Unit.objects.get(code=f"tam-duong-{commune}")
        for cell in cells:
            _unit(f"tam-duong-{commune}-{slugify(cell.replace('đ', 'd').replace('Đ', 'D'))}",
                  f"Chi bộ {cell}", kinds["chi-bo-truc-thuoc"], parent)
    than_uyen = _unit("than-uyen", "Huyện ủy Than Uyên", kinds["huyen-uy"], lai_chau, "huyện Than Uyên")
    for suffix, name, short in THAN_UYEN_UNITS:
        _unit(f"than-uyen-{suffix}", name, kinds["dang-uy-xa" if short else "dang-bo-co-so"], than_uyen, short)
    ha_tinh = _unit("ha-tinh", "Tỉnh ủy Hà Tĩnh", kinds["tinh-uy"], None, "tỉnh Hà Tĩnh")
    khoi = _unit("ha-tinh-khoi", "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Hà Tĩnh",
                 kinds["dang-uy-khoi"], ha_tinh)
    for n, name in enumerate(HA_TINH_KHOI_UNITS, start=1):
        kind = kinds["dang-bo-co-so" if name.startswith("Đảng bộ") else "chi-bo-co-so"]
        _unit(f"ha-tinh-khoi-{n:02d}", name, kind, khoi)

    _body("lai-chau-tu", lai_chau, name="Tỉnh ủy Lai Châu", citation_name="Tỉnh ủy Lai Châu",
          superior_line="", own_line="TỈNH ỦY LAI CHÂU", board_line="", place_name="Lai Châu", code_suffix="TU",
          signer_authority="T/M BAN THƯỜNG VỤ", signer_title="PHÓ BÍ THƯ", signer_name="Vũ Mạnh Hà",
          recipients="- Ban Tuyên giáo Trung ương,\n- Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy,\n"
                     "- Các huyện ủy, thành ủy, đảng ủy trực thuộc,\n- Lưu VPTU.", is_default=True)
    _body("lai-chau-btg", lai_chau, name="Ban Tuyên giáo Tỉnh ủy Lai Châu", citation_name="Ban Tuyên giáo Tỉnh ủy",
          superior_line="", own_line="TỈNH ỦY LAI CHÂU", board_line="BAN TUYÊN GIÁO", place_name="Lai Châu",
          code_suffix="BTGTU", signer_authority="", signer_title="TRƯỞNG BAN", signer_name="Tráng A Tủa",
          recipients="- Ban Tuyên giáo Trung ương,\n- Thường trực Tỉnh ủy (b/c),\n"
                     "- Các huyện ủy, thành ủy, đảng ủy trực thuộc,\n- Lưu.")
    _body("tam-duong-hu", tam_duong, name="Huyện ủy Tam Đường", citation_name="Ban Thường vụ Huyện ủy",
          superior_line=LAI_CHAU_SUPERIOR, own_line="HUYỆN ỦY TAM ĐƯỜNG", board_line="", place_name="Tam Đường",
          code_suffix="HU", signer_authority="T/M BAN THƯỜNG VỤ", signer_title="PHÓ BÍ THƯ",
          signer_name="Cao Trang Trọng",
          recipients="- Ban Tuyên giáo Tỉnh ủy,\n- Các đ/c Ủy viên BTV Huyện ủy,\n- Các chi, đảng bộ trực thuộc,\n"
                     "- Ban Tuyên giáo Huyện ủy,\n- Lưu.", is_default=True)
    _body("tam-duong-btg", tam_duong, name="Ban Tuyên giáo Huyện ủy Tam Đường", citation_name="Ban Tuyên giáo Huyện ủy",
          superior_line=LAI_CHAU_SUPERIOR, own_line="HUYỆN ỦY TAM ĐƯỜNG", board_line="BAN TUYÊN GIÁO",
          place_name="Tam Đường", code_suffix="BTGHU", signer_authority="", signer_title="TRƯỞNG BAN",
          signer_name="Phạm Thị Hải Đường",
          recipients="- Ban Tuyên giáo Tỉnh ủy,\n- TT. Huyện ủy (b/c),\n- Các chi, đảng bộ cơ sở,\n- Lưu.")
    _body("than-uyen-btg", than_uyen, name="Ban Tuyên giáo Huyện ủy Than Uyên", citation_name="Ban Tuyên giáo Huyện ủy",
          superior_line=LAI_CHAU_SUPERIOR, own_line="HUYỆN ỦY THAN UYÊN", board_line="BAN TUYÊN GIÁO",
          place_name="Than Uyên", code_suffix="BTGHU", signer_authority="", signer_title="TRƯỞNG BAN",
          signer_name="Lò Thị Hương", recipients="- Ban Tuyên giáo Tỉnh ủy,\n- TT. Huyện ủy (b/c),\n- Lưu.",
          is_default=True)
    _body("ha-tinh-tu", ha_tinh, name="Tỉnh ủy Hà Tĩnh", citation_name="Tỉnh ủy Hà Tĩnh", superior_line="",
          own_line="TỈNH ỦY HÀ TĨNH", board_line="", place_name="Hà Tĩnh", code_suffix="TU",
          signer_authority="T/M BAN THƯỜNG VỤ", signer_title="PHÓ BÍ THƯ", signer_name="Trần Thế Dũng",
          recipients="- Lưu VPTU.", is_default=True)
    _body("ha-tinh-khoi-duk", khoi, name="Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Hà Tĩnh",
          citation_name="Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh", superior_line="ĐẢNG BỘ TỈNH HÀ TĨNH",
          own_line="ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH", board_line="", place_name="Hà Tĩnh",
          code_suffix="ĐUK", signer_authority="T/M BAN THƯỜNG VỤ", signer_title="PHÓ BÍ THƯ",
          signer_name="Nguyễn Văn Hùng", recipients="- Ban Tuyên giáo Tỉnh ủy,\n- Lưu.", is_default=True)
    return {u.code: u for u in Unit.objects.all()}
