from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import Kind


class MailPreferencesForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Nhận thư điện tử khi"), choices=Kind.choices, required=False, widget=forms.CheckboxSelectMultiple,
    )
