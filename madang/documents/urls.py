from django.urls import path

from madang.documents import opendata, views

app_name = "documents"
urlpatterns = [
    path("events/<slug:slug>/", views.event_documents, name="event"),
    path("events/<slug:slug>/letters/", views.event_letters, name="event_letters"),
    path("events/<slug:slug>/report.<str:fmt>", views.event_report, name="event_report"),
    path("events/<slug:slug>/<str:which>.<str:fmt>", views.award_paper, name="award_paper"),
    path("calls/<slug:slug>/", views.call_documents, name="call"),
    path("calls/<slug:slug>/make/<str:what>/", views.call_batch, name="call_batch"),
    path("calls/<slug:slug>/report.<str:fmt>", views.call_report, name="call_report"),
    path("calls/<slug:slug>/review-summary.<str:fmt>", views.review_summary, name="review_summary"),
    path("labs/<slug:slug>/report.<str:fmt>", views.lab_report, name="lab_report"),
    path("suggestions/<int:pk>/<str:key>.<str:fmt>", views.suggestion_notice, name="suggestion_notice"),
    path("suggestions/report/<slug:org>/<int:year>.<str:fmt>", views.suggestion_report, name="suggestion_report"),
    path("batches/<int:pk>/zip", views.batch_zip, name="batch_zip"),
    path("files/<int:pk>/", views.file_download, name="file"),
    path("open/", opendata.index, name="open"),
    path("open/dictionary.<str:fmt>", opendata.dictionary, name="open_dictionary"),
    path("open/calls/<slug:slug>.<str:fmt>", opendata.call_data, name="open_call"),
    path("open/<int:year>.<str:fmt>", opendata.year_data, name="open_year"),
]
