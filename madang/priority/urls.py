from django.urls import path

from madang.priority import views

app_name = "priority"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.json", views.export, name="export"),
    path("matches/<int:pk>/rule/", views.rule, name="rule"),
    path("filings/<int:pk>/receipt.tlog-proof", views.receipt, name="receipt"),
    path("filings/<int:pk>/first-receipt.tlog-proof", views.first_receipt, name="first_receipt"),
]
