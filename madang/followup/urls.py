from django.urls import path

from madang.followup import views

app_name = "followup"
urlpatterns = [
    path("", views.liaison_inbox, name="inbox"),
    path("p/<int:pk>/", views.proposal_status, name="status"),
    path("r/<int:pk>/", views.routing_detail, name="routing"),
    path("c/<slug:slug>/route/", views.route_many, name="route_many"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<slug:slug>/", views.call_dashboard, name="call_dashboard"),
]
