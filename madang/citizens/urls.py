from django.urls import path

from madang.citizens import views

app_name = "citizens"
urlpatterns = [
    path("join/", views.join, name="join"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("me/", views.profile, name="profile"),
    path("me/resend/", views.resend, name="resend"),
    path("me/data.<str:fmt>", views.export, name="export"),
    path("me/delete/", views.delete, name="delete"),
]
