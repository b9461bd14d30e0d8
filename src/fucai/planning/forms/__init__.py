from fucai.planning.forms.scenario import SitingScenarioForm

__all__ = ["SitingScenarioForm"]
