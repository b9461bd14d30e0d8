from fucai.planning.models.demand import DemandLayer

__all__ = ["DemandLayer"]
