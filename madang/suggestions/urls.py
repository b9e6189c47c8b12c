from django.urls import path

from madang.suggestions import views

app_name = "suggestions"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("implementation/", views.implementation, name="implementation"),
    path("mine/", views.mine, name="mine"),
    path("offices/open/", views.open_office, name="open_office"),
    path("file/<int:office_id>/", views.file, name="file"),
    path("refile/<int:proposal_id>/", views.refile, name="refile"),
    path("receive/<int:proposal_id>/", views.receive, name="receive"),
    path("report/<slug:org>/<int:year>/", views.report, name="report"),
    path("report/<slug:org>/<int:year>/credits.<str:fmt>", views.credits, name="credits"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<str:name>/", views.action, name="action"),
]
