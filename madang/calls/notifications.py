"""How the notifications that calls sends read (see madang/inbox/registry.py)."""

from django.utils.translation import gettext_lazy as _

from madang.inbox import registry
from madang.inbox.models import NotificationKind


def register() -> None:
    registry.register(NotificationKind.SUBMITTED, _("Your proposal “%(title)s” was submitted."), owner="calls")
    registry.register(NotificationKind.COMMENT, _("New comment on “%(title)s”."), owner="calls")
    registry.register(
        NotificationKind.MODERATED, _("Your contribution on “%(title)s” was hidden: %(detail)s"), owner="calls"
    )
    registry.register(
        NotificationKind.COAUTHOR,
        _("You were invited to co-author “%(title)s”: accept or decline in your invitations."),
        owner="calls",
    )
