from django.urls import path

from madang.citizens import views

app_name = "citizens"
urlpatterns = [
    path("", views.home, name="home"),
    path("join/", views.join, name="join"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("me/", views.profile, name="profile"),
    path("me/resend/", views.resend, name="resend"),
    path("me/data.<str:fmt>", views.export, name="export"),
    path("me/delete/", views.delete, name="delete"),
    path("pools/", views.pool_list, name="pools"),
    path("pools/new/", views.pool_new, name="pool_new"),
    path("pools/<int:pk>/", views.pool_detail, name="pool"),
    path("pools/<int:pk>/organise/", views.pool_organise, name="pool_organise"),
    path("pools/<int:pk>/progress/", views.pool_progress, name="pool_progress"),
    path("pools/<int:pk>/transparency/", views.transparency, name="transparency"),
    path("pools/<int:pk>/lottery-<int:lottery_id>.json", views.lottery_json, name="lottery_json"),
    path("pools/<int:pk>/<str:action>/", views.pool_action, name="pool_action"),
    path("invitations/<int:pk>/answer/", views.invitation_answer, name="invitation_answer"),
]
