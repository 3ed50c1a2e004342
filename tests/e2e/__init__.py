"""Browser journeys driven by Playwright against the live test server."""
