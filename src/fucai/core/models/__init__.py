from fucai.core.models.attachment import Attachment
from fucai.core.models.audit import ObjectChange

__all__ = ["Attachment", "ObjectChange"]
