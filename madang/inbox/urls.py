from django.urls import path

from madang.inbox import views

app_name = "inbox"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.mark_all_read, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
]
