"""Demo users, named `<unit code>.<role>`, all with the demo password."""
from __future__ import annotations

from django.contrib.auth import get_user_model

from units.models import IssuingBody, Staff, Unit

DEMO_PASSWORD = "demo12345!"

ROLE_FLAGS = {
    "entry": {"is_entry": True},
    "reviewer": {"is_reviewer": True, "is_entry": True},
    "leader": {"is_leader": True},
    # A unit admin gives only roles it holds (units/access.py): the demo's hold data entry, so that they
    # can set up their units' entry officers; leaders and văn thư are made by a superuser.
    "admin": {"is_unit_admin": True, "is_entry": True},
    "clerk": {"is_clerk": True},
}

# (unit code, role, full name, title)
DEMO_USERS = [
    ("lai-chau", "entry", "Lò Văn Minh", "Chuyên viên Ban Tuyên giáo Tỉnh ủy"),
    ("lai-chau", "reviewer", "Nguyễn Thị Thu Hà", "Phó Trưởng Ban Tuyên giáo Tỉnh ủy"),
    ("lai-chau", "leader", "Tráng A Tủa", "Trưởng Ban Tuyên giáo Tỉnh ủy"),
    ("lai-chau", "admin", "Đỗ Văn Khánh", "Quản trị hệ thống tỉnh"),
    ("lai-chau", "clerk", "Lò Thị Hương", "Văn thư Ban Tuyên giáo Tỉnh ủy"),
    ("tam-duong", "entry", "Hoàng Văn Tú", "Chuyên viên Ban Tuyên giáo Huyện ủy"),
    ("tam-duong", "reviewer", "Lê Thị Mai", "Phó Trưởng Ban Tuyên giáo Huyện ủy"),
    ("tam-duong", "leader", "Phạm Thị Hải Đường", "Trưởng Ban Tuyên giáo Huyện ủy"),
    ("tam-duong", "admin", "Vàng A Sử", "Quản trị hệ thống huyện"),
    ("tam-duong", "clerk", "Đèo Thị Thu", "Văn thư Ban Tuyên giáo Huyện ủy"),
    ("tam-duong-khun-ha", "entry", "Tẩn Văn Sơn", "Cán bộ tuyên giáo Đảng ủy xã Khun Há"),
    ("tam-duong-khun-ha", "reviewer", "Lý Thị Dung", "Phó Bí thư Đảng ủy xã Khun Há"),
    ("tam-duong-khun-ha", "leader", "Chảo Văn Lở", "Bí thư Đảng ủy xã Khun Há"),
    ("tam-duong-khun-ha", "admin", "Phàn Văn Hải", "Văn phòng Đảng ủy xã Khun Há"),
    ("tam-duong-binh-lu", "entry", "Lù Thị Nga", "Cán bộ tuyên giáo Đảng ủy xã Bình Lư"),
    ("tam-duong-phong-noi-vu", "entry", "Nguyễn Văn An", "Bí thư Chi bộ Phòng Nội vụ"),
    ("ha-tinh-khoi", "entry", "Trần Thị Lan", "Chuyên viên Ban Tuyên giáo Đảng ủy Khối"),
    ("ha-tinh-khoi", "reviewer", "Phan Văn Quang", "Trưởng Ban Tuyên giáo Đảng ủy Khối"),
    ("ha-tinh-khoi", "leader", "Nguyễn Văn Hùng", "Phó Bí thư Đảng ủy Khối"),
    ("ha-tinh-khoi", "clerk", "Đặng Thị Hoa", "Văn thư Đảng ủy Khối"),
    ("ha-tinh", "reviewer", "Võ Thị Hạnh", "Phó Trưởng Ban Tuyên giáo Tỉnh ủy Hà Tĩnh"),
]


def seed_users() -> list[tuple[str, str, str]]:
    """Create or refresh the demo users; returns (username, full name, what they do) for printing."""
    User = get_user_model()
    logins = []
    admin, _ = User.objects.get_or_create(username="admin", defaults={"is_staff": True, "is_superuser": True})
    admin.is_staff = admin.is_superuser = True
    admin.first_name = "Quản trị"
    admin.last_name = "viên"
    admin.set_password(DEMO_PASSWORD)
    admin.save()
    logins.append(("admin", "Quản trị viên", "quản trị toàn hệ thống"))
    units = {u.code: u for u in Unit.objects.filter(code__in={code for code, *_ in DEMO_USERS})}
    for code, role, full_name, title in DEMO_USERS:
        username = f"{code}.{role}"
        user, _ = User.objects.get_or_create(username=username)
        # Django prints "first last"; Vietnamese names read family → given, and sort by the given name.
        *family_and_middle, given = full_name.split(" ")
        user.first_name, user.last_name = " ".join(family_and_middle), given
        user.is_staff = role == "admin"
        user.email = f"{username}@example.org"  # mails go to the console in the demo
        user.set_password(DEMO_PASSWORD)
        user.save()
        flags = {"is_entry": False, "is_reviewer": False, "is_leader": False, "is_unit_admin": False,
                 "is_clerk": False}
        flags.update(ROLE_FLAGS[role])
        Staff.objects.update_or_create(user=user, defaults={"unit": units[code], "title": title, **flags})
        logins.append((username, full_name, f"{title} ({role})"))
    # The board's reports are signed by the head of the board, as in seed 004.
    IssuingBody.objects.filter(code="tam-duong-btg").update(signer_user=User.objects.get(username="tam-duong.leader"))
    IssuingBody.objects.filter(code="lai-chau-btg").update(signer_user=User.objects.get(username="lai-chau.leader"))
    IssuingBody.objects.filter(code="ha-tinh-khoi-duk").update(
        signer_user=User.objects.get(username="ha-tinh-khoi.leader"))
    _grant_admin_permissions()
    return logins


def _grant_admin_permissions() -> None:
    """Unit admins manage units, issuing bodies and staff in the Django admin."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name="Quản trị đơn vị")
    perms = Permission.objects.filter(content_type__app_label="units")
    group.permissions.set(perms)
    User = get_user_model()
    for user in User.objects.filter(username__endswith=".admin"):
        user.groups.add(group)
