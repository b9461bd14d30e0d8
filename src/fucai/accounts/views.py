"""Pages of the accounts app: user administrators manage the accounts of their agency (list,
export, create, edit, roles, deactivate, temporary password, unlock), and everyone changes their
own password.

Every account is looked up in `User.objects.restrict(request.user)`: an account outside the
administrator's reach is a 404, like one that does not exist. What an administrator may change is
decided by fucai.accounts.grants; the audit trail is written by signals."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_tables2 import RequestConfig

from fucai.accounts import throttle
from fucai.accounts.filtersets import UserFilterSet
from fucai.accounts.forms import (
    LoginForm,
    RoleAssignmentForm,
    UserForm,
    managed_cities,
    temporary_password,
)
from fucai.accounts.grants import check_assignment, check_manages_user, check_not_self
from fucai.accounts.models import RoleAssignment, User
from fucai.accounts.tables import UserTable
from fucai.core.excel import add_notes_sheet, table_workbook, xlsx_response
from fucai.core.grant import MANAGE_USERS, forget_grant

PER_PAGE = 50
ASSIGNMENT_RELATED = ("city", "county", "market_manager", "station_owner")


def _check_administrator(request: HttpRequest) -> None:
    if not request.user.grant.can(MANAGE_USERS):
        raise PermissionDenied(_("Only user administrators may manage accounts."))


def _users(request: HttpRequest):
    assignments = RoleAssignment.objects.select_related(*ASSIGNMENT_RELATED)
    return (
        User.objects.restrict(request.user)
        .select_related("city")
        .prefetch_related(Prefetch("role_assignments", queryset=assignments))
    )


def _user(request: HttpRequest, pk: int) -> User:
    _check_administrator(request)
    return get_object_or_404(_users(request), pk=pk)


@login_required
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    _check_administrator(request)
    cities = managed_cities(request.user)
    filterset = UserFilterSet(
        request.GET or None, queryset=_users(request), request=request, cities=cities
    )
    users = filterset.qs
    if request.GET.get("format") == "xlsx":
        return xlsx_response(_users_workbook(users.order_by("username"), request.user), _("users"))
    table = UserTable(users)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(request, "accounts/user_list.html", {"filter": filterset, "table": table})


def _users_workbook(users, exporter):
    columns = [
        _("User name"),
        _("Full name"),
        _("E-mail"),
        _("Agency"),
        _("Roles"),
        _("Status"),
        _("Last login"),
        _("Joined"),
    ]
    rows = [
        [
            u.username,
            u.get_full_name(),
            u.email,
            u.city.name if u.city_id else _("Provincial centre"),
            "、".join(str(a) for a in u.role_assignments.all()),
            pgettext("account", "Active") if u.is_active else pgettext("account", "Deactivated"),
            _local(u.last_login),
            _local(u.date_joined),
        ]
        for u in users
    ]
    wb = table_workbook(columns, rows, title=_("Users"))
    add_notes_sheet(
        wb,
        _("Notes"),
        [
            (_("Exported by"), exporter.username),
            (_("Exported at"), _local(timezone.now())),
        ],
    )
    return wb


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _temporary_password_page(request: HttpRequest, user: User, password: str) -> HttpResponse:
    """The temporary password, shown once (the views are never_cache: nothing keeps it)."""
    context = {"account": user, "password": password}
    return render(request, "accounts/temporary_password.html", context)


def _give_temporary_password(user: User) -> str:
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    return password


@login_required
@never_cache
def user_create(request: HttpRequest) -> HttpResponse:
    _check_administrator(request)
    form = UserForm(request.POST or None, granter=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save(commit=False)
        password = _give_temporary_password(user)
        user.save()
        messages.success(request, _("Account %(name)s created.") % {"name": user.username})
        return _temporary_password_page(request, user, password)
    status = 400 if form.is_bound else 200
    return render(request, "accounts/user_create.html", {"form": form}, status=status)


def _manage_refusal(request: HttpRequest, user: User) -> str:
    """Why the administrator may not change this account ("" if they may)."""
    try:
        check_manages_user(request.user, user)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def _detail(request, user: User, *, form=None, role_form=None, status: int = 200):
    refusal = _manage_refusal(request, user)
    is_self = user.pk == request.user.pk
    if not refusal:
        form = form or UserForm(instance=user, granter=request.user)
        if not is_self:
            role_form = role_form or RoleAssignmentForm(granter=request.user, user=user)
    context = {
        "account": user,
        "assignments": user.role_assignments.all(),
        "refusal": refusal,
        "is_self": is_self,
        "form": form,
        "role_form": role_form,
        "locked_until": throttle.locked_until(user.username, None),
    }
    return render(request, "accounts/user_detail.html", context, status=status)


@login_required
@require_GET
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _user(request, pk))


def _user_to_change(request: HttpRequest, pk: int) -> User:
    user = _user(request, pk)
    refusal = _manage_refusal(request, user)
    if refusal:
        raise PermissionDenied(refusal)
    return user


def _refused(request: HttpRequest, user: User, error: ValidationError) -> HttpResponse:
    for message in error.messages:
        messages.error(request, message)
    return redirect("accounts:user_detail", pk=user.pk)


@login_required
@require_POST
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user_to_change(request, pk)
    form = UserForm(request.POST, instance=user, granter=request.user)
    if not form.is_valid():
        return _detail(request, _user(request, pk), form=form, status=400)
    form.save()
    messages.success(request, _("Account %(name)s saved.") % {"name": user.username})
    return redirect("accounts:user_detail", pk=user.pk)


@login_required
@require_POST
def role_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user_to_change(request, pk)
    form = RoleAssignmentForm(request.POST, granter=request.user, user=user)
    if not form.is_valid():
        return _detail(request, user, role_form=form, status=400)
    assignment = form.save()
    forget_grant(user)
    messages.success(request, _("Role %(role)s given.") % {"role": assignment})
    return redirect("accounts:user_detail", pk=user.pk)


@login_required
@require_POST
def role_remove(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    user = _user_to_change(request, pk)
    assignment = get_object_or_404(user.role_assignments.all(), pk=assignment_pk)
    try:
        check_assignment(request.user, assignment)  # take away only what one could give
    except ValidationError as error:
        return _refused(request, user, error)
    assignment.delete()
    messages.success(request, _("Role %(role)s taken away.") % {"role": assignment})
    return redirect("accounts:user_detail", pk=user.pk)


@login_required
@require_POST
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user_to_change(request, pk)
    active = request.POST.get("active") == "1"
    if not active:
        try:
            check_not_self(request.user, user, _("You cannot deactivate your own account."))
        except ValidationError as error:
            return _refused(request, user, error)
    user.is_active = active
    user.save(update_fields=["is_active"])
    text = _("Account %(name)s activated.") if active else _("Account %(name)s deactivated.")
    messages.success(request, text % {"name": user.username})
    return redirect("accounts:user_detail", pk=user.pk)


@login_required
@require_POST
@never_cache
def user_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user_to_change(request, pk)
    try:
        check_not_self(request.user, user, _("Change your own password on the password page."))
    except ValidationError as error:
        return _refused(request, user, error)
    password = _give_temporary_password(user)
    user.save(update_fields=["password", "must_change_password"])
    return _temporary_password_page(request, user, password)


@login_required
@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user_to_change(request, pk)
    throttle.unlock(user)
    messages.success(request, _("Account %(name)s unlocked.") % {"name": user.username})
    return redirect("accounts:user_detail", pk=user.pk)


class LoginView(auth_views.LoginView):
    """Django's login page with the throttled form."""

    authentication_form = LoginForm


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password (Django's validators apply); clears a temporary password."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):
        form.user.must_change_password = False
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response
