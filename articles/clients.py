"""Who is asking: a request's client address, as login throttling, reader rate limits and heavy-search slots count it."""

from django.conf import settings


def client_address(request):
    """The client's address: the proxy's X-Forwarded-For entry only when told to trust it."""
    if settings.PHNEWS_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        # The proxy appends the address it saw; anything before it the client wrote.
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "") or "unknown"
