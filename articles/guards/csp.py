"""Content-Security-Policy on every response.

The pages need no inline script and no <style> element: scripts and styles
are files under static/, so the policy can say 'self' for both and a script
smuggled into an article (escaped everywhere anyway) would not run even if
an escape were missed. The one allowance is inline style *attributes*
(style-src-attr), which the search chart uses for its bar heights: they can
style, never run code. Django 5.2 has no CSP support of its own, hence this
middleware; the policy is the PHNEWS_CONTENT_SECURITY_POLICY setting.
"""

from django.conf import settings

HEADER = "Content-Security-Policy"


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.PHNEWS_CONTENT_SECURITY_POLICY
        # A view that sets its own policy (none does today) keeps it.
        if policy and HEADER not in response:
            response[HEADER] = policy
        return response
