from __future__ import annotations

app_name = "welfare"

urlpatterns: list = []
