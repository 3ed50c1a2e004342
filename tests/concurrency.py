"""Running the same request from several database connections at the same moment."""

import threading

from django.core.exceptions import ValidationError
from django.db import connections


def at_once(work, times=2):
    """Runs `work` in `times` threads, each on its own database connection, released together."""
    barrier = threading.Barrier(times)
    outcomes = []

    def run():
        try:
            barrier.wait()
            outcomes.append(("ok", work()))
        except ValidationError as error:
            outcomes.append(("refused", error.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
