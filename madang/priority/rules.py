"""Who may do what in the first-to-file check across agencies.

The peers (which agencies we trust, with which keys) are the site's configuration: site
administrators keep them. A suggestion's matches and their rulings belong to its office (the
suggestion system's own rule). The export is public: it holds what the public ledger already
shows, plus fingerprints that say nothing without the exchange key (docs/suggestions.md).
"""

from typing import Any

from madang.people import rules as people_rules
from madang.suggestions import rules as suggestions_rules
from madang.suggestions.models import Suggestion


def can_manage_peers(user: Any) -> bool:
    return people_rules.is_site_admin(user)


def can_see_matches(user: Any, suggestion: Suggestion) -> bool:
    return suggestions_rules.is_office(user, suggestion.office)


def can_rule(user: Any, suggestion: Suggestion) -> bool:
    return suggestions_rules.can_handle(user, suggestion)
