"""Followup's columns in a call's export (calls/exports.py): where each proposal went and how it goes."""

from django.utils.translation import gettext as _

from madang.calls import exports
from madang.followup.selectors import follow_states


def headers() -> list[str]:
    return [_("Department"), _("Answer"), _("Execution"), _("Progress (%)"), _("Overdue")]


def cells(proposal_ids: list[int]) -> dict[int, list[object]]:
    return {
        pk: [st.department, st.answer_label, st.execution_label, st.percent, _("yes") if st.overdue else ""]
        for pk, st in follow_states(proposal_ids).items()
    }


def register() -> None:
    """Called from FollowupConfig.ready()."""
    exports.register_columns("followup.status", exports.Columns(headers=headers, cells=cells))
