from django.urls import path

from madang.insight import views

app_name = "insight"
urlpatterns = [
    path("<slug:slug>/", views.index, name="index"),
    path("<slug:slug>/opinion/", views.opinion, name="opinion"),
    path("<slug:slug>/opinion/vote/", views.opinion_vote, name="opinion_vote"),
    path("<slug:slug>/opinion/statements/", views.opinion_add, name="opinion_add"),
    path("<slug:slug>/opinion/moderate/", views.opinion_moderate, name="opinion_moderate"),
    path("<slug:slug>/opinion/compute/", views.opinion_compute, name="opinion_compute"),
    path("<slug:slug>/survey/", views.survey, name="survey"),
    path("<slug:slug>/survey/vote/", views.survey_vote, name="survey_vote"),
    path("<slug:slug>/survey/ideas/", views.survey_add, name="survey_add"),
    path("<slug:slug>/survey/moderate/", views.survey_moderate, name="survey_moderate"),
    path("<slug:slug>/survey/results/", views.survey_results, name="results"),
    path("<slug:slug>/survey/refit/", views.survey_refit, name="survey_refit"),
    path("<slug:slug>/duplicates/", views.duplicates, name="duplicates"),
    path("<slug:slug>/duplicates/compute/", views.duplicates_compute, name="duplicates_compute"),
    path("<slug:slug>/duplicates/merge/", views.duplicates_merge, name="duplicates_merge"),
    path("<slug:slug>/topics/", views.topics, name="topics"),
    path("<slug:slug>/topics/compute/", views.topics_compute, name="topics_compute"),
]
