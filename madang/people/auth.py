"""Who a page request comes from, typed for the services' `actor=`.

`request.user` is `User | AnonymousUser` to the type checker even behind `login_required`;
`signed_in(request)` is the one way a view gets its signed-in `User`. (The API's counterpart,
`api_user`, is in `api_auth.py`.)
"""

from django.http import HttpRequest

from madang.core.errors import NotFound
from madang.people.models import User


def signed_in(request: HttpRequest) -> User:
    """The person behind a `login_required` view.

    Anonymous here means a view that forgot `login_required` (or checks `is_authenticated`
    itself and got it wrong): it answers 404, as the `access_*` selectors do, rather than
    letting an anonymous visitor reach a service as its `actor`.
    """
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise NotFound()
    return user
