from django.urls import path

from madang.labs import views

app_name = "labs"
urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("new/<int:proposal_id>/", views.lab_new, name="new"),
    path("<slug:slug>/", views.lab_detail, name="detail"),
    path("<slug:slug>/<str:action>/", views.lab_action, name="action"),
]
