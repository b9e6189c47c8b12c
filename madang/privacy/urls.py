from django.urls import path

from madang.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.notice, name="notice"),
    path("review/", views.review, name="review"),
    path("review/records.csv", views.review_export, name="review_export"),
]
