"""The load: each role's pages and writes, in a realistic mix (run by bench/load/run.py).

Trainers record sessions (five attendees and one sign-off each, a fresh form token and a
unique note per session) and look at their lists; managers open the team table and
coverage; employees open My progress; payroll downloads the pay-differential export (a
background job for 10,000 people: the start, its status polled once a second as the job's page
does, then the file). Every
session sent is written to LOAD_SENT with its note and the answer's status, so the run can
check afterwards that each is in the database exactly once.
"""

from __future__ import annotations

import json
import os
import random
import re
import threading
import time
import uuid

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read())  # noqa: SIM115
SENT = os.environ["LOAD_SENT"]
_lock = threading.Lock()
_logins: dict[str, int] = {}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def next_login(role: str) -> str:
    with _lock:
        index = _logins.get(role, 0)
        _logins[role] = index + 1
    logins = PLAN["logins"][role]
    return logins[index % len(logins)]


class Role(HttpUser):
    abstract = True
    role = ""
    wait_time = between(0.5, 2.0)

    def on_start(self):
        page = self.client.get("/accounts/login/", name="login form")
        token = TOKEN.search(page.text).group(1)
        self.username = next_login(self.role)
        with self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PLAN["password"], "csrfmiddlewaretoken": token},
            name="sign in",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"sign-in as {self.username} answered {answer.status_code}")


class Trainer(Role):
    role = "trainer"
    weight = 3

    @task(3)
    def record_session(self):
        form = self.client.get("/training/sessions/new/", name="session form")
        csrf = TOKEN.search(form.text).group(1)
        submission = re.search(r'name="submission" value="([0-9a-f-]+)"', form.text).group(1)
        trainer = PLAN["trainers"][self.username]
        attendees = random.sample(PLAN["attendees"], 5)
        note = f"load {uuid.uuid4()}"
        data = {
            "csrfmiddlewaretoken": csrf,
            "submission": submission,
            "action": "save",
            "date": PLAN["today"],
            "host_department": str(trainer["department"]),
            "kind": "classroom",
            "trainer_number": trainer["number"],
            "duration_hours": "1.5",
            "skills": [str(trainer["skill"])],
            "notes": note,
            "session_ref": "",
            "attendees-TOTAL_FORMS": "5",
            "attendees-INITIAL_FORMS": "0",
            "attendees-MIN_NUM_FORMS": "0",
            "attendees-MAX_NUM_FORMS": "500",
            "signoffs-TOTAL_FORMS": "1",
            "signoffs-INITIAL_FORMS": "0",
            "signoffs-MIN_NUM_FORMS": "0",
            "signoffs-MAX_NUM_FORMS": "500",
            "signoffs-0-employee": attendees[0],
            "signoffs-0-skill": str(trainer["skill"]),
            "signoffs-0-level": "2",
            "signoffs-0-evidence": "Observed under load",
        }
        for index, number in enumerate(attendees):
            data[f"attendees-{index}-employee"] = number
            data[f"attendees-{index}-hours"] = ""
        with self.client.post(
            "/training/sessions/new/",
            data,
            name="record a session",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            recorded = answer.status_code == 302
            if answer.status_code >= 500:
                answer.failure(f"{answer.status_code}")
            elif not recorded:
                answer.success()  # refused in the form's words (e.g. a sign-off already there)
        with _lock, open(SENT, "a") as sent:
            sent.write(json.dumps({"note": note, "status": answer.status_code}) + "\n")

    @task(1)
    def sessions(self):
        self.client.get("/training/sessions/", name="sessions list")

    @task(1)
    def home(self):
        self.client.get("/", name="home")


class Manager(Role):
    role = "manager"
    weight = 2

    @task(3)
    def team(self):
        self.client.get("/tiers/team/", name="team table")

    @task(1)
    def team_sorted(self):
        self.client.get("/tiers/team/?sort=-eligible_rank", name="team table by tier")

    @task(2)
    def coverage(self):
        self.client.get("/skills/coverage/", name="coverage")

    @task(1)
    def home(self):
        self.client.get("/", name="home")


class Employee(Role):
    role = "employee"
    weight = 4

    @task(3)
    def progress(self):
        self.client.get("/tiers/me/", name="my progress")

    @task(1)
    def home(self):
        self.client.get("/", name="home")


class Payroll(Role):
    role = "payroll"
    weight = 1

    @task(2)
    def payroll_page(self):
        self.client.get("/tiers/payroll/", name="payroll page")

    @task(1)
    def export(self):
        started = self.client.get(
            f"/tiers/payroll/export/?period={PLAN['period']}&format=xlsx",
            name="payroll export",
            allow_redirects=False,
        )
        if started.status_code != 302:
            return  # a small roster's file comes in the answer itself
        status_url = started.headers["Location"].rstrip("/") + "/status/"
        for _ in range(120):
            with self.client.get(status_url, name="job status", catch_response=True) as polled:
                state = polled.json() if polled.status_code == 200 else {}
                if state.get("status") == "failed":
                    polled.failure(state.get("error") or "the job failed")
                    return
            if state.get("download"):
                self.client.get(state["download"], name="job download")
                return
            time.sleep(1)
