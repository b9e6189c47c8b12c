from django.urls import path

from madang.site import views

app_name = "site"
urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("me/", views.my_work, name="my_work"),
    path("me/count/", views.work_count, name="work_count"),
    path("health/", views.health, name="health"),
    path("health/live/", views.live, name="live"),
    path("health/ready/", views.ready, name="ready"),
]
