"""Forms of plans: they only validate input; the services do the writing."""
from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import VnDateField
from reports.plans.models import Plan, Section


class _IssueForm(forms.Form):
    """What issuing a plan and relaying one share: the issuing body, kind, number, date and who reports."""

    body = forms.ModelChoiceField(label=_("Cơ quan ban hành"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("Loại văn bản"), choices=Plan.Kind.choices)
    number = forms.IntegerField(label=_("Số"), min_value=1, max_value=99999,
                                error_messages={"min_value": _("Số văn bản phải là số nguyên dương.")})
    issued_on = VnDateField(label=_("Ngày ban hành"))
    scope = forms.ChoiceField(label=_("Đơn vị phải báo cáo"), choices=Plan.Scope.choices,
                              widget=forms.RadioSelect, initial=Plan.Scope.DIRECT)
    include_own = forms.BooleanField(label=_("Cấp mình cũng nhập số liệu (hội nghị do cấp mình tổ chức)"),
                                     required=False, initial=True)

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        self.helper = FormHelper()

    @staticmethod
    def header_row() -> Row:
        return Row(Column("body", css_class="col-md-6"), Column("kind", css_class="col-md-3"),
                   Column("number", css_class="col-md-3"))

    @staticmethod
    def scope_row() -> Row:
        return Row(Column("scope", css_class="col-md-6"), Column("include_own", css_class="col-md-6"))


class PlanForm(_IssueForm):
    """Issue a plan (Kế hoạch, Công văn, Hướng dẫn) to the units below."""

    title = forms.CharField(label=_("Trích yếu"), max_length=500,
                            widget=forms.Textarea(attrs={"rows": 2}),
                            help_text=_("Ví dụ: về tổ chức học tập, quán triệt, tuyên truyền …"))
    topic = forms.CharField(label=_("Chuyên đề"), max_length=500, required=False)
    documents_to_study = forms.CharField(label=_("Các văn bản cần học tập"), required=False,
                                         widget=forms.Textarea(attrs={"rows": 4}),
                                         help_text=_("Mỗi dòng một văn bản."))
    period_start = VnDateField(label=_("Kỳ báo cáo từ ngày"))
    period_end = VnDateField(label=_("Đến ngày"))
    deadline = VnDateField(label=_("Hạn báo cáo"))
    sections = forms.ModelMultipleChoiceField(label=_("Các mục thu thập"), queryset=Section.objects.all(),
                                              widget=forms.CheckboxSelectMultiple,
                                              error_messages={"required": _("Chọn ít nhất một mục cần thu thập.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            self.header_row(),
            Row(Column("issued_on", css_class="col-md-3"), Column("deadline", css_class="col-md-3"),
                Column("period_start", css_class="col-md-3"), Column("period_end", css_class="col-md-3")),
            "title", "topic", "documents_to_study",
            self.scope_row(),
            "sections",
            Submit("save", _("Ban hành"), css_class="btn-danger"),
        )


class RelayForm(_IssueForm):
    """Relay an upper level's plan to one's own units with one's own number and an earlier deadline."""

    deadline = VnDateField(label=_("Hạn báo cáo của các đơn vị"),
                               help_text=_("Không muộn hơn hạn của cấp trên."))
    title = forms.CharField(label=_("Trích yếu"), max_length=500, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}),
                            help_text=_("Để trống: dùng trích yếu của văn bản cấp trên."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = Plan.Kind.LETTER
        self.helper.layout = Layout(
            self.header_row(),
            Row(Column("issued_on", css_class="col-md-6"), Column("deadline", css_class="col-md-6")),
            "title",
            self.scope_row(),
            Submit("save", _("Triển khai"), css_class="btn-danger"),
        )
