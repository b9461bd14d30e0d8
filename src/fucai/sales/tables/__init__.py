"""Tables of the sales app: the cockpit's ranking, game mix and monthly tables."""

from fucai.sales.tables.cockpit import (
    CockpitTable,
    TableColumn,
    games_table,
    monthly_table,
    ranking_table,
)

__all__ = ["CockpitTable", "TableColumn", "games_table", "monthly_table", "ranking_table"]
