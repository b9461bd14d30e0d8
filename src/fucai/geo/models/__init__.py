from fucai.geo.models.division import Division

__all__ = ["Division"]
