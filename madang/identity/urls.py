from django.urls import path

from madang.identity import views

app_name = "identity"
urlpatterns = [
    path("p/<slug:slug>/", views.start, name="start"),
    path("p/<slug:slug>/oidc/callback/", views.oidc_callback, name="oidc_callback"),
    path("p/<slug:slug>/saml/metadata/", views.saml_metadata, name="saml_metadata"),
    path("p/<slug:slug>/saml/acs/", views.saml_acs, name="saml_acs"),
    path("second-factor/", views.second_factor, name="second_factor"),
    path("second-factor/set-up/", views.enrol, name="enrol"),
    path("second-factor/recovery-codes/", views.renew_recovery_codes, name="renew_recovery_codes"),
]
