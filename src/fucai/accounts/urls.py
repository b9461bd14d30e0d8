from __future__ import annotations

from django.urls import path

from fucai.accounts import views

app_name = "accounts"
urlpatterns = [
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/roles/", views.role_add, name="role_add"),
    path(
        "users/<int:pk>/roles/<int:assignment_pk>/remove/",
        views.role_remove,
        name="role_remove",
    ),
    path("users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("users/<int:pk>/password/", views.user_reset_password, name="user_reset_password"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="user_unlock"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
]
