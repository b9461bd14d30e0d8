from fucai.accounts.models.token import ApiToken
from fucai.accounts.models.user import User

__all__ = ["ApiToken", "User"]
