from django.urls import path

from madang.calls import views, views_edit

app_name = "calls"
urlpatterns = [
    path("", views.call_list, name="list"),
    path("new/", views.call_new, name="new"),
    path("c/<slug:slug>/", views.call_detail, name="detail"),
    path("c/<slug:slug>/propose/", views.propose, name="propose"),
    path("c/<slug:slug>/propose/similar/", views.similar, name="similar"),
    path("c/<slug:slug>/departments/", views.departments, name="departments"),
    path("c/<slug:slug>/moderation/", views.moderation, name="moderation"),
    path("c/<slug:slug>/export.<str:fmt>", views.export, name="export"),
    path("c/<slug:slug>/edit/", views_edit.call_edit, name="edit_call"),
    path("c/<slug:slug>/edit/action/", views_edit.call_action, name="call_action"),
    path("c/<slug:slug>/confidentiality/", views.call_confidentiality, name="confidentiality"),
    path("p/<int:pk>/", views.proposal_detail, name="proposal"),
    path("p/<int:pk>/edit/", views.proposal_edit, name="edit"),
    path("p/<int:pk>/edit/similar/", views.similar_by_proposal, name="similar_edit"),
    path("p/<int:pk>/submit/", views.proposal_submit, name="submit"),
    path("p/<int:pk>/withdraw/", views.proposal_withdraw, name="withdraw"),
    path("p/<int:pk>/support/", views.support, name="support"),
    path("p/<int:pk>/comment/", views.comment, name="comment"),
    path("p/<int:pk>/comments/<int:comment_pk>/", views.comment_thread, name="comment_thread"),
    path("p/<int:pk>/report/", views.report, name="report"),
    path("p/<int:pk>/hide/", views.hide_proposal, name="hide"),
    path("p/<int:pk>/attachments/", views.attachment_add, name="attach"),
    path("p/<int:pk>/coauthors/", views.coauthor_add, name="coauthor"),
    path("p/<int:pk>/coauthors/<int:user_id>/remove/", views.coauthor_remove, name="coauthor_remove"),
    path("p/<int:pk>/internal/", views.mark_internal, name="internal"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<int:pk>/answer/", views.invitation_answer, name="invitation_answer"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("attachments/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("comments/<int:pk>/hide/", views.hide_comment, name="hide_comment"),
]
