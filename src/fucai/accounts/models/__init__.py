from fucai.accounts.models.role import RoleAssignment
from fucai.accounts.models.throttle import LoginThrottle
from fucai.accounts.models.token import ApiToken
from fucai.accounts.models.user import User

__all__ = ["ApiToken", "LoginThrottle", "RoleAssignment", "User"]
