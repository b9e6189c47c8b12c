from django.urls import path

from madang.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.index, name="index"),
    path("vkey", views.vkey, name="vkey"),
    path("entry/<int:index>/", views.entry_detail, name="entry"),
    path("receipt/<int:index>/", views.receipt, name="receipt"),
    path("log/<path:path>", views.log_file, name="log_file"),
]
