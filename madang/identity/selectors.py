from madang.core.errors import NotFound
from madang.identity.models import IdentityProvider


def access_provider(slug: str) -> IdentityProvider:
    """An active provider by its short name; 404 for an unknown or switched-off one alike."""
    provider = IdentityProvider.objects.select_related("organisation").filter(slug=slug[:40], is_active=True).first()
    if provider is None:
        raise NotFound()
    return provider
