from django.urls import path

from madang.review import views

app_name = "review"
urlpatterns = [
    path("assignments/<int:pk>/", views.scorecard, name="scorecard"),
    path("c/<slug:slug>/", views.board, name="board"),
    path("p/<int:pk>/decide/", views.decide, name="decide"),
]
