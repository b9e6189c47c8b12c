from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from madang.inbox import services
from madang.people.auth import signed_in


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    qs = signed_in(request).notifications.select_related("proposal")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    items = [(n, services.describe(n)) for n in page]
    return render(request, "inbox/list.html", {"page": page, "items": items})


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    services.mark_read(actor=signed_in(request))
    return redirect("inbox:list")
