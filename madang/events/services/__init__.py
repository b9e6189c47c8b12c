"""Writes for events, one module per section of a hackathon.

    programme     the event, its state, days, sessions, rooms and tables (the bottom: the others
                  import it, it imports none of them)
    registration  quotas, the waiting list, substitutes, check-in, no-shows
    profiles      registrations as the solvers see them (attributes, diversity, same agency)
    groups        discussion groups
    cafe          World Cafe rotations, rounds and re-plans
    open_space    the Open Space marketplace and schedule
    boards        method boards and the day-two gallery
    judging       criteria, jury scores, votes, results, awards
    outcomes      agreed tasks, sent to every participating agency

The three planners run as background jobs (`madang.events.jobs`): the services start them
(`start_*`, checked against the rules) and hold the work they do (`compute_*`, called by the job
with the ids it was given). Every published plan writes a ledger entry in the same transaction.
Reads, including the ones these writes decide on, are in `madang.events.selectors`; nothing there
imports from here.

This module names every service, so `from madang.events import services` keeps working; code in
the app imports from the section's module where that reads better.
"""

from madang.events.services.boards import (
    MAX_CAPTION,
    MAX_DOTS,
    MAX_ITEM_TEXT,
    MAX_PHOTO_BYTES,
    add_photo,
    add_supplement,
    close_board,
    create_board,
    move_dot,
    place_dot,
    post_item,
    remove_dot,
    remove_item,
)
from madang.events.services.cafe import (
    CAFE_ATTRIBUTES,
    MAX_ROUNDS,
    compute_replan,
    compute_rotation,
    configure_rotation,
    publish_rotation,
    start_replan,
    start_rotation,
    start_round,
)
from madang.events.services.groups import (
    MAX_GROUPS,
    GroupRules,
    compute_groups,
    configure_grouping,
    group_problems,
    group_rules,
    move_group_member,
    publish_groups,
    start_grouping,
)
from madang.events.services.judging import (
    CriterionIn,
    assign_jurors,
    cast_vote,
    check_can_score,
    create_judging,
    give_award,
    publish_results,
    score_candidate,
    withdraw_vote,
)
from madang.events.services.open_space import (
    check_in_to_topic,
    compute_schedule,
    move_topic,
    post_topic,
    publish_schedule,
    set_unavailability,
    start_schedule,
    toggle_interest,
    withdraw_topic,
)
from madang.events.services.outcomes import agree_task, create_task, send_task
from madang.events.services.profiles import ATTRIBUTE_KEYS, attribute_value, diversity, same_agency_pairs
from madang.events.services.programme import (
    ALLOWED_STATES,
    Progress,
    add_day,
    add_room,
    add_session,
    add_tables,
    create_event,
    new_check_in_code,
    set_event_state,
    set_table_host,
)
from madang.events.services.registration import (
    cancel_registration,
    check_in,
    check_in_with_code,
    record_no_shows,
    register,
    substitute,
    update_profile,
)

__all__ = [
    "ALLOWED_STATES",
    "ATTRIBUTE_KEYS",
    "CAFE_ATTRIBUTES",
    "MAX_CAPTION",
    "MAX_DOTS",
    "MAX_GROUPS",
    "MAX_ITEM_TEXT",
    "MAX_PHOTO_BYTES",
    "MAX_ROUNDS",
    "CriterionIn",
    "GroupRules",
    "Progress",
    "add_day",
    "add_photo",
    "add_room",
    "add_session",
    "add_supplement",
    "add_tables",
    "agree_task",
    "assign_jurors",
    "attribute_value",
    "cancel_registration",
    "cast_vote",
    "check_can_score",
    "check_in",
    "check_in_to_topic",
    "check_in_with_code",
    "close_board",
    "compute_groups",
    "compute_replan",
    "compute_rotation",
    "compute_schedule",
    "configure_grouping",
    "configure_rotation",
    "create_board",
    "create_event",
    "create_judging",
    "create_task",
    "diversity",
    "give_award",
    "group_problems",
    "group_rules",
    "move_dot",
    "move_group_member",
    "move_topic",
    "new_check_in_code",
    "place_dot",
    "post_item",
    "post_topic",
    "publish_groups",
    "publish_results",
    "publish_rotation",
    "publish_schedule",
    "record_no_shows",
    "register",
    "remove_dot",
    "remove_item",
    "same_agency_pairs",
    "score_candidate",
    "send_task",
    "set_event_state",
    "set_table_host",
    "set_unavailability",
    "start_grouping",
    "start_replan",
    "start_rotation",
    "start_round",
    "start_schedule",
    "substitute",
    "toggle_interest",
    "update_profile",
    "withdraw_topic",
    "withdraw_vote",
]
