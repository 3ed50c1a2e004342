"""Response headers every page gets: what the browser may use, and that a signed-in person's
pages and downloads are never cached along the way."""

# Features the tracker never uses: a page (or anything injected into it) cannot ask for them.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Personal pages and files: never kept by a proxy or the browser's back button.
            response.headers["Cache-Control"] = "private, no-store"
        return response
