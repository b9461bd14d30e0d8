"""The sales tests' store fixtures, for the effect panel built from the sales analytics."""

from fucai.sales.tests.conftest import store, write_csv  # noqa: F401
