from django.urls import path

from madang.events import views

app_name = "events"
urlpatterns = [
    path("", views.events_list, name="list"),
    path("new/", views.event_new, name="new"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/manage/", views.manage, name="manage"),
    path("<slug:slug>/me/", views.me, name="me"),
    path("<slug:slug>/s/<int:session_id>/", views.session_detail, name="session"),
    path("<slug:slug>/openspace/", views.openspace, name="openspace"),
    path("<slug:slug>/topics/<int:topic_id>/interest/", views.interest, name="interest"),
    path("<slug:slug>/projector/", views.projector, name="projector"),
    path("<slug:slug>/do/<str:name>/", views.action, name="action"),
    path("<slug:slug>/boards/", views.boards, name="boards"),
    path("<slug:slug>/boards/search/", views.board_search, name="board_search"),
    path("<slug:slug>/boards/<int:board_id>/", views.board_detail, name="board"),
    path("<slug:slug>/boards/<int:board_id>/photo/<int:item_id>/", views.board_photo, name="board_photo"),
    path("<slug:slug>/boards/<int:board_id>/do/<str:name>/", views.board_action, name="board_action"),
    path("<slug:slug>/judging/", views.judging_list, name="judgings"),
    path("<slug:slug>/judging/<int:judging_id>/", views.judging_detail, name="judging"),
    path("<slug:slug>/judging/<int:judging_id>/do/<str:name>/", views.judging_action, name="judging_action"),
    path("<slug:slug>/outcomes/", views.outcomes, name="outcomes"),
    path("<slug:slug>/report/", views.report, name="report"),
    path("<slug:slug>/print/badges.pdf", views.print_badges, name="print_badges"),
    path("<slug:slug>/print/tables.pdf", views.print_tables, name="print_tables"),
    path("<slug:slug>/print/check-in.pdf", views.print_check_in, name="print_check_in"),
    path("<slug:slug>/print/itinerary.pdf", views.print_itinerary, name="print_itinerary"),
]
