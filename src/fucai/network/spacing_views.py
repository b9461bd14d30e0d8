"""The spacing rules and point layers (布点间距规则), as the provincial centre edits them: the rules
in force (a city's override beside the province-wide rule it replaces), a form for a new or
changed rule, and a point layer's file (CSV or GeoJSON) replacing that layer's points, the page
saying how many it replaced. Only holders of edit_spacing_rules (the province) reach it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fucai.core.grant import EDIT_SPACING_RULES, grant_for
from fucai.network.forms.leads import LayerImportForm, SpacingRuleForm
from fucai.network.leads import import_layer
from fucai.network.models import PointLayer, SpacingRule


def _may_edit(request: HttpRequest) -> None:
    if not grant_for(request.user).capability(EDIT_SPACING_RULES).everything:
        raise PermissionDenied(_("Only the provincial centre edits the spacing rules."))


def _page(request, rule_form, layer_form, rule=None, status=200) -> HttpResponse:
    rules = SpacingRule.objects.select_related("city", "layer").order_by("name", "city__code")
    layers = PointLayer.objects.annotate(point_count=Count("points")).order_by("name")
    context = {
        "rules": rules,
        "layers": layers,
        "rule_form": rule_form,
        "layer_form": layer_form,
        "rule": rule,
    }
    return render(request, "network/spacing_rules.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def spacing_rules(request: HttpRequest) -> HttpResponse:
    """The rules and layers; a POST records a new rule."""
    _may_edit(request)
    form = SpacingRuleForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return _page(request, form, LayerImportForm(), status=400)
        rule = form.save()
        messages.success(request, _("Rule “%(name)s” saved.") % {"name": rule.name})
        return redirect("network:spacing_rules")
    return _page(request, form, LayerImportForm())


@login_required
@require_http_methods(["GET", "POST"])
def spacing_rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """One rule changed (or switched off with `active`)."""
    _may_edit(request)
    rule = get_object_or_404(SpacingRule, pk=pk)
    form = SpacingRuleForm(request.POST or None, instance=rule)
    if request.method == "POST":
        if not form.is_valid():
            return _page(request, form, LayerImportForm(), rule=rule, status=400)
        form.save()
        messages.success(request, _("Rule “%(name)s” saved.") % {"name": rule.name})
        return redirect("network:spacing_rules")
    return _page(request, form, LayerImportForm(), rule=rule)


@login_required
@require_POST
def spacing_layer_import(request: HttpRequest) -> HttpResponse:
    """A layer's file replaces that layer's points (a new name makes a new layer)."""
    _may_edit(request)
    form = LayerImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, SpacingRuleForm(), form, status=400)
    name = form.cleaned_data["name"]
    before = PointLayer.objects.filter(name=name.strip()).annotate(n=Count("points")).first()
    upload = form.cleaned_data["file"]
    try:
        layer = import_layer(
            upload.read(), upload.name, name, synthetic=form.cleaned_data["synthetic"]
        )
    except ValidationError as error:
        form.add_error("file", error)
        return _page(request, SpacingRuleForm(), form, status=400)
    counts = {"name": layer.name, "n": layer.points.count(), "old": before.n if before else 0}
    messages.success(
        request,
        _("Layer “%(name)s”: %(n)s points imported, replacing %(old)s.") % counts,
    )
    return redirect("network:spacing_rules")
