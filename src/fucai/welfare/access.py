"""What the welfare module's URLs answer each role (the permission matrix,
fucai.core.testing.matrix): projects, grants and beneficiaries need welfare affairs
(`welfare_affairs`: 403 without it, for the network's editors too); a grant outside the role's
welfare reach is a 404 (reach WELFARE: 九江's welfare officer sees 九江's only)."""

from __future__ import annotations

from fucai.core.testing.matrix import Expect

ACCESS: dict[str, Expect | list[Expect]] = {}
