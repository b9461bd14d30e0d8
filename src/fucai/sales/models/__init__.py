from fucai.sales.models.calendar import SalesSuspension
from fucai.sales.models.game import Game, InstantBrand
from fucai.sales.models.imports import SalesImport
from fucai.sales.models.mof import MofReport
from fucai.sales.models.targets import SalesTarget, SalesTargetSet, TargetLevel

__all__ = [
    "Game",
    "InstantBrand",
    "MofReport",
    "SalesImport",
    "SalesSuspension",
    "SalesTarget",
    "SalesTargetSet",
    "TargetLevel",
]
