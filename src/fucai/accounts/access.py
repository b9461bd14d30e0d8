"""What the accounts URLs answer each role (the permission matrix, fucai.core.testing.matrix).

User administration needs `manage_users`; a user administrator reaches the accounts of its own
agency (`USERS`): another city's account is a 404 like one that does not exist."""

from __future__ import annotations

from fucai.core.grant import MANAGE_USERS
from fucai.core.testing.matrix import USERS, Expect

USER = {"pk": "{user}"}


def _admin(**kwargs) -> Expect:
    return Expect(needs=MANAGE_USERS, reach=USERS, **kwargs)


ACCESS = {
    "fucai_accounts_api_me": Expect(api=True),
    "accounts:user_list": _admin(),
    "accounts:user_create": _admin(),
    "accounts:user_detail": _admin(path=USER),
    "accounts:user_edit": _admin(path=USER, method="POST", data={}, ok=400),
    "accounts:role_add": _admin(path=USER, method="POST", data={}, ok=400),
    "accounts:role_remove": _admin(
        path={**USER, "assignment_pk": "{assignment}"}, method="POST", data={}, ok=302
    ),
    "accounts:user_set_active": _admin(path=USER, method="POST", data={}, ok=302),
    "accounts:user_reset_password": _admin(path=USER, method="POST", data={}, ok=200),
    "accounts:user_unlock": _admin(path=USER, method="POST", data={}, ok=302),
    # every signed-in person changes their own password
    "accounts:password_change": Expect(),
}
