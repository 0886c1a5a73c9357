"""Django admin (/quan-tri/) for units, kinds, issuing bodies, staff and users.

A unit admin who is not a superuser (demo users `*.admin`, group "Quản trị đơn vị") sees and edits
only the units, issuing bodies, staff and users of their own subtree: every queryset here goes
through `restrict(user, "admin")`. Changes to a unit's name, kind or parent go through the history
services with an effective date, so the admin never rewrites history.
"""
from __future__ import annotations

import logging

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin

from core.admin_mixins import ReadOnlyAdminMixin, ReadOnlyInline
from core.dates import VnDateField
from core.formatting import format_date_short
from core.scoping import unit_scope_q, user_can
from units import services
from units.access import ROLE_FIELDS, grantable_roles, roles_of
from units.forms import IssuingBodySucceedForm, ReorganiseForm, SplitForm, UnitImportForm
from units.invitations import user_invite
from units.models import AccessChange, IssuingBody, Staff, Unit, UnitChange, UnitKind, UnitVersion
from units.transfer import ImportFileError, import_plan, read_bytes

User = get_user_model()
log = logging.getLogger(__name__)

admin.site.site_header = _("Quản trị hệ thống báo cáo tuyên giáo")
admin.site.site_title = _("Quản trị")
admin.site.index_title = _("Đơn vị, người dùng và dữ liệu")


def _admin_units(user):
    return Unit.objects.restrict(user, "admin")


def _is_unit_admin(request) -> bool:
    """Staff.is_unit_admin (with is_staff) is the role; Django's model permissions are not needed for it."""
    return request.user.is_active and request.user.is_staff and user_can(request.user, "admin")


class UnitAdminRoleMixin:
    """Lets a unit admin (role flag) use this admin page; what they see is narrowed by `get_queryset`."""

    role_can_edit = True

    def has_module_permission(self, request):
        return super().has_module_permission(request) or _is_unit_admin(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or _is_unit_admin(request)

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) or (self.role_can_edit and _is_unit_admin(request))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or (self.role_can_edit and _is_unit_admin(request))


class ScopedAdminMixin(UnitAdminRoleMixin):
    """Narrows the admin's queryset and unit choices to the user's subtree (superusers see all)."""

    unit_prefix = "unit__"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.filter(unit_scope_q(request.user, "admin", prefix=self.unit_prefix))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Unit:
            kwargs["queryset"] = _admin_units(request.user).filter(dissolved_on__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# ----------------------------------------------------------------------------------------------
# units
# ----------------------------------------------------------------------------------------------


class UnitAdminForm(forms.ModelForm):
    """Create or change a unit; a change of name, kind or parent takes effect on `effective`."""

    parent = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False, label=_("Đơn vị cấp trên"))
    effective = VnDateField(
        label=_("Ngày hiệu lực của thay đổi"),
        help_text=_("Ngày thành lập (đơn vị mới) hoặc ngày đổi tên, chuyển cấp trên. Không được sau hôm nay."),
    )
    note = forms.CharField(label=_("Căn cứ, ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = Unit
        fields = ["code", "name", "short_name", "kind"]

    user = None  # set by UnitAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = _admin_units(self.user).filter(dissolved_on__isnull=True)
        self.current_parent = self.instance.get_parent() if self.instance.pk else None
        if self.current_parent is not None:
            choices = Unit.objects.filter(pk__in=choices.values("pk")) | Unit.objects.filter(pk=self.current_parent.pk)
        self.fields["parent"].queryset = choices.order_by("path")
        self.fields["parent"].initial = self.current_parent
        self.fields["parent"].required = not self.user.is_superuser
        self.fields["effective"].initial = timezone.localdate()
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = gettext("Mã không đổi khi đổi tên hay chuyển đơn vị.")

    def clean(self):
        data = super().clean()
        on = data.get("effective")
        if on is None:
            return data
        if on > timezone.localdate():
            self.add_error("effective", gettext("Ngày hiệu lực ở tương lai: chỉ ghi thay đổi đã có hiệu lực."))
        unit = self.instance
        parent = data.get("parent")
        if unit.pk is None:
            return data
        if unit.dissolved_on and self.has_changed():
            raise ValidationError(gettext("Đơn vị đã giải thể, không thể thay đổi."))
        start = unit.versions.filter(valid_to__isnull=True).values_list("valid_from", flat=True).first()
        if start and on < start and self._changes():
            self.add_error("effective", gettext("Ngày hiệu lực trước lần thay đổi gần nhất (%(date)s).")
                           % {"date": format_date_short(start)})
        if parent is not None and parent.path.startswith(unit.path):
            self.add_error("parent", gettext("Không thể chuyển đơn vị vào chính nó hoặc đơn vị trực thuộc nó."))
        if parent is None and self.current_parent is not None:
            self.add_error("parent", gettext("Hãy chọn đơn vị cấp trên."))
        return data

    def _changes(self) -> bool:
        return bool({"name", "short_name", "kind", "parent"} & set(self.changed_data))


@admin.display(description=_("Từ ngày"))
def _from(obj):
    return format_date_short(obj.valid_from)


@admin.display(description=_("Đến trước ngày"))
def _to(obj):
    return format_date_short(obj.valid_to) or "–"


@admin.display(description=_("Ngày hiệu lực"))
def _effective(obj):
    return format_date_short(obj.effective)


class UnitVersionInline(ReadOnlyInline):
    model = UnitVersion
    fk_name = "unit"
    fields = [_from, _to, "name", "short_name", "kind", "parent"]
    readonly_fields = fields
    verbose_name_plural = _("Lịch sử tên gọi và cấp trên")


class UnitChangeInline(ReadOnlyInline):
    model = UnitChange
    fk_name = "unit"
    fields = [_effective, "kind", "note", "created_by", "created_at"]
    readonly_fields = fields
    verbose_name_plural = _("Các thay đổi")


class ParentCachingChangeList(ChangeList):
    """Loads the parents of a page of units in one query (the tree template asks each row for its parent)."""

    def get_results(self, request):
        super().get_results(request)
        units = list(self.result_list)
        parent_paths = {u.parent_path for u in units if u.depth > 1}
        parents = {p.path: p for p in Unit.objects.filter(path__in=parent_paths)}
        for unit in units:
            if unit.depth > 1 and unit.parent_path in parents:
                unit._cached_parent_obj = parents[unit.parent_path]
        self.result_list = units


@admin.register(Unit)
class UnitAdmin(UnitAdminRoleMixin, TreeAdmin):
    form = UnitAdminForm
    list_display = ["name", "code", "kind", "dissolved"]
    list_filter = ["kind", ("dissolved_on", admin.EmptyFieldListFilter)]
    search_fields = ["name", "code", "short_name"]
    list_per_page = 200
    inlines = [UnitVersionInline, UnitChangeInline]
    actions = ["merge_selected", "split_selected", "dissolve_selected"]
    change_list_template = "units/admin_unit_change_list.html"
    fieldsets = [
        (None, {"fields": ["code", "name", "short_name", "kind", "parent"]}),
        (_("Hiệu lực"), {"fields": ["effective", "note"]}),
    ]

    def get_queryset(self, request):
        return _admin_units(request.user).select_related("kind").order_by("path")

    def get_changelist(self, request, **kwargs):
        return ParentCachingChangeList

    @admin.display(description=_("Giải thể, sáp nhập từ"), ordering="dissolved_on")
    def dissolved(self, obj):
        return format_date_short(obj.dissolved_on) or "–"

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def has_delete_permission(self, request, obj=None):
        return False  # a unit is dissolved, never deleted: its history stays

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        on, note, parent = data["effective"], data.get("note", ""), data.get("parent")
        if not change:
            unit = services.unit_create(code=data["code"], name=data["name"], short_name=data["short_name"],
                                        kind=data["kind"], parent=parent, valid_from=on, user=request.user, note=note)
            obj.pk, obj.path, obj.depth = unit.pk, unit.path, unit.depth
            return
        current = Unit.objects.get(pk=obj.pk)
        if {"name", "short_name", "kind"} & set(form.changed_data):
            services.unit_rename(unit=current, name=data["name"], short_name=data["short_name"], kind=data["kind"],
                                 on=on, user=request.user, note=note)
        if "parent" in form.changed_data and parent is not None:
            services.unit_move(unit=current, new_parent=parent, on=on, user=request.user, note=note)

    def save_related(self, request, form, formsets, change):
        for formset in formsets:  # read-only inlines: nothing to save, but the admin's log reads them
            self.save_formset(request, form, formset, change=change)

    @admin.action(description=_("Hợp nhất, sáp nhập các đơn vị đã chọn"))
    def merge_selected(self, request, queryset):
        return self._reorganise(request, queryset, mode="merge")

    @admin.action(description=_("Chia tách đơn vị đã chọn"))
    def split_selected(self, request, queryset):
        return self._split(request, queryset)

    @admin.action(description=_("Giải thể các đơn vị đã chọn"))
    def dissolve_selected(self, request, queryset):
        return self._reorganise(request, queryset, mode="dissolve")

    def _reorganise(self, request, queryset, *, mode: str):
        """Intermediate page of the merge / dissolve actions: an effective date and where things go."""
        units = list(queryset.order_by("path"))
        scope = _admin_units(request.user)
        form = ReorganiseForm(request.POST if "apply" in request.POST else None, units_in_scope=scope, mode=mode)
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            try:
                if mode == "merge":
                    new_unit = None
                    if not data.get("target"):
                        new_unit = services.NewUnit(data["new_code"], data["new_name"], data["new_kind"],
                                                    data.get("new_short_name", ""))
                    target = services.units_merge(
                        sources=units, target=data.get("target"), new_unit=new_unit,
                        new_parent=data.get("new_parent"), on=data["effective"], user=request.user,
                        note=data.get("note", ""), keep_activity=data.get("keep_activity", False))
                    self.message_user(request, gettext("Đã hợp nhất %(n)s đơn vị vào “%(target)s” từ ngày %(date)s.")
                                      % {"n": len(units), "target": target.name,
                                         "date": format_date_short(data["effective"])}, messages.SUCCESS)
                else:
                    with transaction.atomic():
                        for unit in units:
                            services.unit_dissolve(unit=unit, on=data["effective"], user=request.user,
                                                   successor=data.get("target"),
                                                   move_children_to=data.get("target"), note=data.get("note", ""),
                                                   keep_activity=data.get("keep_activity", False))
                    self.message_user(request, gettext("Đã giải thể %(n)s đơn vị từ ngày %(date)s.")
                                      % {"n": len(units), "date": format_date_short(data["effective"])},
                                      messages.SUCCESS)
                return None
            except ValidationError as exc:
                form.add_error(None, exc)
        title = gettext("Hợp nhất, sáp nhập đơn vị") if mode == "merge" else gettext("Giải thể đơn vị")
        explanation = (
            gettext("Các đơn vị đã chọn sẽ giải thể từ ngày hiệu lực, đơn vị tiếp nhận là đơn vị kế thừa; "
                    "các đơn vị trực thuộc của chúng được chuyển về đơn vị tiếp nhận. Lịch sử được giữ nguyên.")
            if mode == "merge" else
            gettext("Đơn vị giải thể vẫn còn trong hệ thống cùng lịch sử của nó. Nếu đơn vị còn đơn vị trực thuộc "
                    "đang hoạt động, hãy chọn đơn vị kế thừa để nhận các đơn vị này.")
        )
        return self._reorganise_page(request, "units/admin_reorganise.html", title=title, units=units, form=form,
                                     action=f"{mode}_selected", explanation=explanation)

    def _split(self, request, queryset):
        """Intermediate page of the split action: the new units, where each subordinate unit goes, a date."""
        units = list(queryset.order_by("path")[:2])
        if len(units) != 1:
            self.message_user(request, gettext("Hãy chọn đúng một đơn vị để chia tách."), messages.ERROR)
            return None
        source = units[0]
        form = SplitForm(request.POST if "apply" in request.POST else None, source=source,
                         units_in_scope=_admin_units(request.user))
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            try:
                parts = services.unit_split(source=source, parts=form.parts(), on=data["effective"],
                                            user=request.user, parent=data["parent"], children=form.children_map(),
                                            note=data.get("note", ""), keep_activity=data.get("keep_activity", False))
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(request, gettext("Đã chia tách “%(unit)s” thành %(n)s đơn vị từ ngày %(date)s.")
                                  % {"unit": source.name, "n": len(parts),
                                     "date": format_date_short(data["effective"])}, messages.SUCCESS)
                return None
        explanation = gettext(
            "Đơn vị được chọn giải thể từ ngày hiệu lực; các đơn vị mới được thành lập cùng ngày dưới cấp trên "
            "đã chọn, mỗi đơn vị trực thuộc đang hoạt động được chuyển về đơn vị mới đã chọn cho nó. Khai báo "
            "ít nhất hai đơn vị mới; dòng để trống được bỏ qua. Lịch sử được giữ nguyên.")
        return self._reorganise_page(request, "units/admin_split.html", title=gettext("Chia tách đơn vị"),
                                     units=units, form=form, action="split_selected", explanation=explanation)

    def get_urls(self):
        return [path("nhap-tep/", self.admin_site.admin_view(self.import_view), name="units_unit_import"),
                *super().get_urls()]

    def import_view(self, request):
        """A reorganisation file, as `import_units` takes it: "Kiểm tra" lists every change and every conflict
        and saves nothing; "Nhập" applies it all or nothing. A unit admin only changes their own subtree."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = UnitImportForm(request.POST or None, request.FILES or None)
        context = {**self.admin_site.each_context(request), "title": gettext("Nhập sắp xếp tổ chức từ tệp"),
                   "form": form, "opts": self.model._meta}
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                word, rows = read_bytes(upload.read(), upload.name)
            except ImportFileError as exc:
                form.add_error("file", str(exc))
                return TemplateResponse(request, "units/admin_import.html", context)
            plan, errors = import_plan(rows, word=word, user=request.user)
            context.update(file_name=upload.name, row_count=len(rows), errors=errors)
            if not errors:
                context["changes"] = plan.describe()
                if "apply" in request.POST and plan.change_count:
                    try:
                        services.units_import(plan=plan, user=request.user)
                    except ValidationError as exc:
                        context["conflicts"] = exc.messages
                    else:
                        self.message_user(request, gettext("Đã nhập %(n)s thay đổi từ tệp %(name)s.")
                                          % {"n": plan.change_count, "name": upload.name}, messages.SUCCESS)
                        return HttpResponseRedirect(reverse("admin:units_unit_changelist"))
                else:
                    context["conflicts"] = services.units_import_try(plan=plan, user=request.user)
                    context["checked"] = True
        return TemplateResponse(request, "units/admin_import.html", context)

    def _reorganise_page(self, request, template, *, title, units, form, action, explanation):
        from django.template.response import TemplateResponse

        context = {**self.admin_site.each_context(request), "title": title, "units": units, "form": form,
                   "action": action, "explanation": explanation, "opts": self.model._meta}
        return TemplateResponse(request, template, context)

    def try_to_move_node(self, as_child, node, pos, request, target):
        """Drag and drop in the tree: a new parent goes through `unit_move` (dated today)."""
        scope = _admin_units(request.user)
        if not scope.filter(pk=node.pk).exists() or not scope.filter(pk=target.pk).exists():
            return HttpResponseBadRequest(gettext("Ngoài phạm vi quản trị."))
        new_parent = target if as_child else target.get_parent()
        old_parent = node.get_parent()
        try:
            if new_parent is None or not scope.filter(pk=new_parent.pk).exists():
                raise ValidationError(gettext("Không thể chuyển ra ngoài phạm vi quản trị."))
            if old_parent is not None and new_parent.pk == old_parent.pk:
                node.move(target, pos=pos)  # only the order among siblings: no history
            else:
                services.unit_move(unit=node, new_parent=new_parent, on=timezone.localdate(), user=request.user)
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
            return HttpResponseBadRequest("; ".join(exc.messages))
        messages.info(request, gettext("Đã chuyển “%(node)s” về “%(parent)s”.") % {"node": node, "parent": new_parent})
        return HttpResponse("OK")


@admin.register(UnitKind)
class UnitKindAdmin(UnitAdminRoleMixin, admin.ModelAdmin):
    role_can_edit = False

    list_display = ["name", "code", "text_prefix", "level", "sort_order"]
    search_fields = ["name", "code"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(IssuingBody)
class IssuingBodyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Issuing bodies, one row per period. Once a plan was issued under a row, what it prints (name,
    header, place, suffix, signer title, recipients) is read-only: a change from a date is the action
    "Đổi tên, ký hiệu … từ một ngày" (`issuing_body_succeed`), so old documents keep what held then."""

    list_display = ["name", "unit", "code_suffix", "signer_title", "signer_name", "is_default", "valid_from",
                    "valid_to"]
    list_filter = ["code_suffix"]
    search_fields = ["name", "code", "unit__name"]
    autocomplete_fields = []
    actions = ["succeed_selected"]
    fieldsets = [
        (None, {"fields": ["code", "unit", "name", "citation_name", "is_default"]}),
        (_("Tiêu đề văn bản"), {"fields": ["superior_line", "own_line", "board_line", "place_name", "code_suffix"]}),
        (_("Người ký và nơi nhận"), {"fields": ["signer_authority", "signer_title", "signer_name", "signer_user",
                                                 "recipients"]}),
        (_("Hiệu lực"), {"fields": ["valid_from", "valid_to", "predecessor"]}),
    ]
    PRINTED = ["code", "unit", "name", "citation_name", "superior_line", "own_line", "board_line", "place_name",
               "code_suffix", "signer_authority", "signer_title", "recipients", "valid_from", "valid_to",
               "predecessor"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and (obj.valid_to is not None or obj.plans.exists()):
            return self.PRINTED
        return ["valid_to", "predecessor"]

    @admin.action(description=_("Đổi tên, tiêu đề, ký hiệu, nơi nhận từ một ngày (giai đoạn mới)"))
    def succeed_selected(self, request, queryset):
        bodies = list(queryset[:2])
        if len(bodies) != 1:
            self.message_user(request, gettext("Hãy chọn đúng một cơ quan ban hành."), messages.ERROR)
            return None
        body = bodies[0]
        form = IssuingBodySucceedForm(request.POST if "apply" in request.POST else None, body=body)
        if form.is_bound and form.is_valid():
            try:
                new = services.issuing_body_succeed(body=body, on=form.cleaned_data["effective"],
                                                    code=form.cleaned_data["code"], user=request.user,
                                                    **form.changes())
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(request, gettext("Từ ngày %(date)s: “%(name)s” (ký hiệu %(suffix)s); các văn bản "
                                                   "đã ban hành giữ nguyên tên và số.")
                                  % {"date": format_date_short(new.valid_from), "name": new.name,
                                     "suffix": new.code_suffix}, messages.SUCCESS)
                return None
        context = {**self.admin_site.each_context(request), "title": gettext("Giai đoạn mới của cơ quan ban hành"),
                   "body": body, "form": form, "opts": self.model._meta}
        return TemplateResponse(request, "units/admin_body_succeed.html", context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "signer_user":
            kwargs["queryset"] = _users_in_scope(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(UnitChange)
class UnitChangeAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Changes are recorded by the services; here they can only be read."""

    list_display = [_effective, "kind", "unit", "note", "created_by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["unit__name", "unit__code", "note"]
    date_hierarchy = "effective"
    readonly_fields = ["kind", "effective", "unit", "related_units", "details", "note", "created_by", "created_at"]


# ----------------------------------------------------------------------------------------------
# staff and users
# ----------------------------------------------------------------------------------------------


def _users_in_scope(user):
    """Users whose unit is in the admin's subtree; superusers are never editable by unit admins."""
    qs = User.objects.all()
    if user.is_superuser:
        return qs
    return qs.filter(is_superuser=False).filter(unit_scope_q(user, "admin", prefix="staff__unit__"))


def _roles_readonly(request) -> list[str]:
    """Role flags the user may not set: a unit admin grants only roles it holds, never leader or văn thư."""
    allowed = grantable_roles(request.user)
    return [name for name in ROLE_FIELDS if name not in allowed]


@admin.register(Staff)
class StaffAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "unit", "title", "is_entry", "is_reviewer", "is_leader", "is_clerk", "is_unit_admin"]
    list_filter = ["is_entry", "is_reviewer", "is_leader", "is_clerk", "is_unit_admin"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *_roles_readonly(request)]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name", "unit__code"]
    list_select_related = ["user", "unit"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = User.objects.filter(is_superuser=False).filter(
                unit_scope_q(request.user, "admin", prefix="staff__unit__") | _no_staff())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _no_staff():
    from django.db.models import Q

    return Q(staff__isnull=True, is_staff=False)


class StaffInline(ScopedAdminMixin, admin.StackedInline):
    model = Staff
    can_delete = False
    unit_prefix = "unit__"
    fields = ["unit", "title", "is_entry", "is_reviewer", "is_leader", "is_clerk", "is_unit_admin"]
    verbose_name_plural = _("Đơn vị công tác và vai trò")

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *_roles_readonly(request)]

    def get_min_num(self, request, obj=None, **kwargs):
        return 0 if request.user.is_superuser else 1


class InviteUserForm(forms.ModelForm):
    """A unit admin's add form: no password; the user sets its own through the mailed invitation."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = gettext("Thư mời đặt mật khẩu được gửi tới địa chỉ này; quản trị viên "
                                                 "không đặt và không biết mật khẩu của người dùng.")

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(UnitAdminRoleMixin, BaseUserAdmin):
    """Users with their unit and roles inline; unit admins manage only the users of their subtree."""

    inlines = [StaffInline]
    list_display = ["username", "first_name", "last_name", "staff_unit", "is_active", "is_staff"]
    list_select_related = ["staff__unit"]

    @admin.display(description=_("Đơn vị"))
    def staff_unit(self, obj):
        staff = getattr(obj, "staff", None)
        return staff.unit.name if staff else "–"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(pk__in=_users_in_scope(request.user).values("pk"))


    add_form_template = "units/admin_user_add_form.html"
    actions = ["invite_selected"]

    def _invites(self, request) -> bool:
        """A unit admin (not a superuser) creates users without a password and invites them by mail."""
        return not request.user.is_superuser

    def get_form(self, request, obj=None, **kwargs):
        if obj is None and self._invites(request):
            kwargs["form"] = InviteUserForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        """A unit admin does not change the e-mail address of a user holding a role it cannot grant
        (leader, văn thư, ...): that user's mail (invitations, notifications) stays where it goes."""
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("password_status")
        staff = getattr(obj, "staff", None) if obj is not None else None
        if not request.user.is_superuser and staff is not None and set(roles_of(staff)) - grantable_roles(request.user):
            fields.append("email")
        return fields

    @admin.display(description=_("Mật khẩu"))
    def password_status(self, obj):
        """What a unit admin sees instead of Django's password widget (whose buttons set passwords)."""
        if obj.has_usable_password():
            return gettext("Đã đặt. Chỉ người dùng tự đổi mật khẩu của mình (mục “Đổi mật khẩu”).")
        return gettext("Chưa đặt: người dùng tự đặt qua thư mời. Nếu thư chưa tới, chọn người dùng trong danh sách "
                       "và dùng thao tác “Gửi lại thư mời đặt mật khẩu”.")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["invites"] = add and self._invites(request)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change and self._invites(request):
            request._invited_user = form.instance

    def add_view(self, request, form_url="", extra_context=None):
        response = super().add_view(request, form_url, extra_context)
        invited = getattr(request, "_invited_user", None)
        if invited is not None:  # the user is saved and committed (the add view's transaction is over)
            self._send_invitation(request, invited)
        return response

    def _send_invitation(self, request, user) -> bool:
        try:
            user_invite(user=user)
        except Exception:  # the mail server refused or is unreachable: the admin can send it again
            log.exception("invitation mail to user %s failed", user.pk)
            self.message_user(request, gettext("Chưa gửi được thư mời đặt mật khẩu tới %(email)s (máy chủ thư "
                                               "không nhận). Hãy gửi lại sau bằng thao tác “Gửi lại thư mời đặt "
                                               "mật khẩu”.") % {"email": user.email}, messages.ERROR)
            return False
        self.message_user(request, gettext("Đã gửi thư mời đặt mật khẩu tới %(email)s.") % {"email": user.email},
                          messages.SUCCESS)
        return True

    @admin.action(description=_("Gửi lại thư mời đặt mật khẩu (người dùng chưa đặt mật khẩu)"))
    def invite_selected(self, request, queryset):
        """Only users who never set a password (and have an address): a link for a user with a password
        would be a password reset by the administrator, which is not its to make."""
        users = list(queryset.exclude(email=""))
        waiting = [user for user in users if not user.has_usable_password()]
        skipped = len(queryset) - len(waiting)
        for user in waiting:
            self._send_invitation(request, user)
        if skipped:
            self.message_user(request, gettext("Bỏ qua %(n)s người dùng đã có mật khẩu hoặc chưa có địa chỉ thư: "
                                               "người đã có mật khẩu tự đổi mật khẩu của mình.") % {"n": skipped},
                              messages.WARNING)

    def get_fieldsets(self, request, obj=None):
        if obj is None and self._invites(request):
            return [(None, {"fields": ["username", "first_name", "last_name", "email"]})]
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        return [
            (None, {"fields": ["username", "password_status"]}),
            (_("Thông tin cá nhân"), {"fields": ["first_name", "last_name", "email"]}),
            (_("Trạng thái"), {"fields": ["is_active"]}),
        ]

    def get_list_filter(self, request):
        return ["is_active", "staff__is_entry", "staff__is_reviewer", "staff__is_leader", "staff__is_clerk",
                "staff__is_unit_admin"]

    def user_change_password(self, request, id, form_url=""):
        """Only a superuser sets another user's password: a unit admin who could would log in as the
        leader and sign. Everyone changes their own on the password page."""
        if not request.user.is_superuser and str(request.user.pk) != str(id):
            raise PermissionDenied(gettext("Quản trị đơn vị không được đặt mật khẩu của người khác."))
        return super().user_change_password(request, id, form_url)


@admin.register(AccessChange)
class AccessChangeAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Role and password changes: who, whose, when, before and after (written only by units/access.py)."""

    list_display = ["at", "kind", "user", "unit", "before", "after", "changed_by"]
    list_filter = ["kind"]
    search_fields = ["user__username", "changed_by__username"]
    list_select_related = ["user", "unit", "changed_by"]
