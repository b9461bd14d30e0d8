"""Forms of the welfare pages: fund rates, activities and posts (fund.py); grant steps,
applications, notices, objections and projects (grants.py). They only read input: the models'
checks and fucai.welfare.workflow decide."""

from fucai.welfare.forms.fund import ActivityForm, FundRateForm, PostServicesForm
from fucai.welfare.forms.grants import (
    ApplicationForm,
    NoticeForm,
    ObjectionForm,
    ProjectForm,
    ProjectMoveForm,
    ResolveForm,
    StepForm,
    Styled,
)

__all__ = [
    "ActivityForm",
    "ApplicationForm",
    "FundRateForm",
    "NoticeForm",
    "ObjectionForm",
    "PostServicesForm",
    "ProjectForm",
    "ProjectMoveForm",
    "ResolveForm",
    "StepForm",
    "Styled",
]
