from django.urls import path

from madang.people import views

app_name = "people"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("session/", views.session_view, name="session"),
    path("reauth/", views.reauth_view, name="reauth"),
    path("password/", views.password_change_view, name="password_change"),
    path("password/reset/", views.password_reset_view, name="password_reset"),
    path("password/reset/<str:uidb64>/<str:token>/", views.password_reset_confirm_view, name="password_reset_confirm"),
    path("settings/", views.settings_view, name="settings"),
    path("settings/tokens/", views.create_token, name="create_token"),
    path("settings/tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("settings/tokens/<int:token_id>/rotate/", views.rotate_token, name="rotate_token"),
    path("import/", views.import_view, name="import"),
]
