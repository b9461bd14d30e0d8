from fucai.core.models.audit import ObjectChange

__all__ = ["ObjectChange"]
