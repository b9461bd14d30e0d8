"""The sales tests' store fixtures (the fund raised is computed from a small sales store)."""

from fucai.sales.tests.conftest import store, write_csv  # noqa: F401
