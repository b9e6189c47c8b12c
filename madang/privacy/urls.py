from django.urls import path

from madang.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.notice, name="notice"),
    path("review/", views.review, name="review"),
    path("review/records.csv", views.review_export, name="review_export"),
    path("held/", views.held, name="held"),
    path("held/<int:pk>/<str:decision>/", views.decide, name="decide"),
]
