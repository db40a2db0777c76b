"""Forms for alliance pages. They render fields and carry errors; validation that matters and every
write happen in `alliances.services`, shared with the API."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from skillcity.alliances.annexes import ANNEX1_FIELDS
from skillcity.alliances.models import DocumentKind
from skillcity.core.bounds import headcount_field
from skillcity.core.uploads import UploadField
from skillcity.registry.forms import RegistryForm
from skillcity.registry.models import Industry, Organisation, OrganisationCategory, Town
from skillcity.web.forms import required_message


class StyledForm(RegistryForm):
    """Bootstrap classes on every widget, so templates can render fields plainly."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class AllianceForm(StyledForm):
    name = forms.CharField(label=_("联盟名称"), max_length=200)
    industry = forms.ModelChoiceField(
        label=_("所属产业"),
        queryset=Industry.objects.all(),
        help_text=_("企业成员须与联盟属同一产业（同行业、同类型）"),
    )
    description = forms.CharField(
        label=_("联盟简介"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class RegisterMemberForm(StyledForm):
    """A member the registry does not hold yet; its business licence is required (D000 二(六)1)."""

    name = forms.CharField(label=_("单位名称"), max_length=200)
    category = forms.ChoiceField(label=_("单位类别"), choices=OrganisationCategory.choices)
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    town = forms.ChoiceField(label=_("所在镇街"))
    industry = forms.ChoiceField(label=_("所属产业"), required=False)
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=50, required=False)
    contact_person = forms.CharField(label=_("联系人"), max_length=50, required=False)
    office_phone = forms.CharField(label=_("办公电话"), max_length=20, required=False)
    business_licence = UploadField(
        label=_("营业执照或法人登记证"), required=False, help_text=_("系统中已登记的单位无需上传")
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["town"]).choices = [(t.code, t.name) for t in Town.objects.all()]
        cast(forms.ChoiceField, self.fields["industry"]).choices = [
            ("", "—"),
            *[(i.code, i.name) for i in Industry.objects.all()],
        ]

    def payload(self) -> dict[str, Any]:
        data = super().payload()
        data.pop("business_licence", None)
        return data


_ANNEX1_LABELS = {f.name: f.verbose_name for f in Organisation._meta.fields if f.name in ANNEX1_FIELDS}


class Annex1Form(StyledForm):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in ANNEX1_FIELDS:
            if name == "profile":
                field: forms.Field = forms.CharField(
                    label=_ANNEX1_LABELS[name],
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
                )
            elif name in (
                "address",
                "postcode",
                "email",
                "legal_representative",
                "contact_person",
                "office_phone",
                "mobile",
                "fax",
            ):
                field = forms.CharField(
                    label=_ANNEX1_LABELS[name],
                    required=False,
                    widget=forms.TextInput(attrs={"class": "form-control"}),
                )
            else:
                field = headcount_field(
                    _ANNEX1_LABELS[name],
                    required=False,
                    widget=forms.NumberInput(attrs={"class": "form-control", "min": 0}),
                )
            self.fields[name] = field


class DocumentForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("材料类别"),
        choices=[
            (DocumentKind.CHARTER.value, DocumentKind.CHARTER.label),
            (DocumentKind.COOPERATION_AGREEMENT.value, DocumentKind.COOPERATION_AGREEMENT.label),
            (DocumentKind.OTHER.value, DocumentKind.OTHER.label),
        ],
    )
    file = UploadField(label=_("文件"))


class ReasonForm(StyledForm):
    """A reason asked for by a decision (退回理由, 解散原因); its label says which."""

    reason = forms.CharField(label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, label: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if label is not None:
            self.fields["reason"].label = label
            self.fields["reason"].error_messages["required"] = required_message(self.fields["reason"])


class ReportSubmitForm(StyledForm):
    contact_person = forms.CharField(label=_("填报联系人"), max_length=50)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20)
    year_end_summary = forms.CharField(
        label=_("年终工作总结"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )

    def __init__(self, *args: Any, half: int = 1, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if half == 1:
            del self.fields["year_end_summary"]
        else:
            self.fields["year_end_summary"].required = True
            self.fields["year_end_summary"].help_text = _("下半年度报告须附年终工作总结（D000 二(七)）")
