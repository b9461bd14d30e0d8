"""What the accounts URLs answer each role (the permission matrix, fucai.core.testing.matrix)."""

from __future__ import annotations

from fucai.core.testing.matrix import Expect

ACCESS = {
    "fucai_accounts_api_me": Expect(api=True),
}
