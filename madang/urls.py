from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from madang.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("madang.site.urls")),
    path("people/", include("madang.people.urls")),
    path("identity/", include("madang.identity.urls")),
    path("calls/", include("madang.calls.urls")),
    path("review/", include("madang.review.urls")),
    path("followup/", include("madang.followup.urls")),
    path("inbox/", include("madang.inbox.urls")),
    path("labs/", include("madang.labs.urls")),
    path("citizens/", include("madang.citizens.urls")),
    path("events/", include("madang.events.urls")),
    path("insight/", include("madang.insight.urls")),
    path("suggestions/", include("madang.suggestions.urls")),
    path("priority/", include("madang.priority.urls")),
    path("jobs/", include("madang.jobs.urls")),
    path("documents/", include("madang.documents.urls")),
    path("ledger/", include("madang.ledger.urls")),
    path("privacy/", include("madang.privacy.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
