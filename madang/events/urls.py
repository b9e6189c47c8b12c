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
]
