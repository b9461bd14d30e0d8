from django.contrib import admin

from fucai.evaluation.models import (
    EvaluationObjection,
    EvaluationResult,
    EvaluationRun,
    EvaluationScheme,
)


@admin.register(EvaluationScheme)
class EvaluationSchemeAdmin(admin.ModelAdmin):
    list_display = ("name", "version", "title", "population", "valid_from", "valid_to")
    readonly_fields = ("document",)


@admin.register(EvaluationRun)
class EvaluationRunAdmin(admin.ModelAdmin):
    list_display = ("pk", "scheme", "period", "as_of", "status", "published")
    readonly_fields = ("inputs", "result", "robustness")


admin.site.register(EvaluationResult)
admin.site.register(EvaluationObjection)
