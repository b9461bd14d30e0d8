from fucai.evaluation.models.manual import ManualInput, ManualInputSet

__all__ = ["ManualInput", "ManualInputSet"]
