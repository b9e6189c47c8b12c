"""Reads for events, one module per section (as `madang.events.services`).

    programme     who may reach an event, its sessions, the list of events, a session's plan
    registration  registrations, counts against the quotas, levels, who is present
    day           the projector, who sits where, one person's itinerary
    open_space    topics, the published schedule, the market as the scheduler sees it
    boards        board items, dots, bylines, the board search
    judging       contests and their results by the published method
    outcomes      tasks, participating agencies, where a sent task stands
    event_report  the event's report

`access_*` answers "not found" both for what is missing and for what the user may not reach.
Nothing here imports the services (the services import these reads).

This module names every read, so `from madang.events import selectors` keeps working.
"""

from madang.events.selectors.boards import (
    BOARD_SEARCH_LIMIT,
    BoardHit,
    ItemView,
    access_board,
    access_item,
    board_items,
    board_supplements,
    byline,
    can_see_item,
    dots_left,
    search_boards,
)
from madang.events.selectors.day import (
    Now,
    ReplanChange,
    RotationCards,
    Seat,
    SeatTable,
    Stop,
    itinerary,
    now_showing,
    rotation_cards,
    seat_of,
    seating,
)
from madang.events.selectors.event_report import Report, grade_band, report
from madang.events.selectors.judging import (
    MyCard,
    ResultDict,
    ResultRow,
    ScoreLine,
    access_candidate,
    access_judging,
    judging_results,
    my_card,
    scoresheet,
)
from madang.events.selectors.open_space import (
    access_topic,
    checked_in_topics,
    market_of,
    published_schedule,
    schedule_of,
    shared_topics,
    shown_topics,
)
from madang.events.selectors.outcomes import (
    Standing,
    access_task,
    participating_agencies,
    receiving_department,
    task_standings,
)
from madang.events.selectors.programme import (
    access_event,
    access_session,
    events_for,
    grouping_of,
    organisations_for,
    plan_of,
    rotation_of,
)
from madang.events.selectors.registration import (
    LEVELS,
    Counts,
    access_registration,
    agency_of,
    counts,
    junior_places,
    level_of,
    present,
    registrations,
)

__all__ = [
    "BOARD_SEARCH_LIMIT",
    "LEVELS",
    "BoardHit",
    "Counts",
    "ItemView",
    "MyCard",
    "Now",
    "ReplanChange",
    "Report",
    "ResultDict",
    "ResultRow",
    "RotationCards",
    "ScoreLine",
    "Seat",
    "SeatTable",
    "Standing",
    "Stop",
    "access_board",
    "access_candidate",
    "access_event",
    "access_item",
    "access_judging",
    "access_registration",
    "access_session",
    "access_task",
    "access_topic",
    "agency_of",
    "board_items",
    "board_supplements",
    "byline",
    "can_see_item",
    "checked_in_topics",
    "counts",
    "dots_left",
    "events_for",
    "grade_band",
    "grouping_of",
    "itinerary",
    "judging_results",
    "junior_places",
    "level_of",
    "market_of",
    "my_card",
    "now_showing",
    "organisations_for",
    "participating_agencies",
    "plan_of",
    "present",
    "published_schedule",
    "receiving_department",
    "registrations",
    "report",
    "rotation_cards",
    "rotation_of",
    "schedule_of",
    "scoresheet",
    "search_boards",
    "seat_of",
    "seating",
    "shared_topics",
    "shown_topics",
    "task_standings",
]
