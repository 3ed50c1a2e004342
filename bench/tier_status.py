"""Benchmark: tier status and the progress pages over a 10,000-employee organisation.

Run by hand, never in the test suite:

    .venv/bin/python bench/tier_status.py                 # builds a temp database, then measures
    .venv/bin/python bench/tier_status.py --db /tmp/b.db  # keeps (or reuses) that database file
    createdb tier_bench && .venv/bin/python bench/tier_status.py \
        --postgres postgres://localhost/tier_bench        # the same against PostgreSQL

It builds an organisation (10,000 employees, 150,000 attendance rows, 60,000 sign-offs, 30,000
module completions, certifications, pay periods and buddy pairings) with bulk_create in a
SQLite file of its own (never db.sqlite3), or a PostgreSQL database of its own, then prints:

- the seconds to evaluate every active employee's tier on one date through the selector and the
  engine (`tier_status_list`), the seconds merely to fetch the same rows with values_list (the
  floor), their ratio and the number of queries (targets: at most 3x the floor, at most 10);
- the time of each page of the progress, team, coverage and expiry features through Django's test
  client against that database (warm: median of several runs), with its number of queries
  (target: 300 ms).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

EMPLOYEES = 10_000
ATTENDANCE = 150_000
SIGNOFFS = 60_000
COMPLETIONS = 30_000
ATTENDEES_PER_SESSION = 10
SITES = ("Leeds", "Glasgow", "Kraków", "Cardiff", "Belfast")
DEPARTMENTS_PER_SIDE = 20
SKILLS_PER_DEPARTMENT = 4
RECERT_MONTHS = (None, 12, 24, 12)
UNIVERSAL_SKILLS = (("TONE", "Tone on the phone", None), ("DEESC", "De-escalation", 24))
UNIVERSAL_SKILLS += (("VULN", "Vulnerable customers", 12), ("GDPR", "Data protection", 12))
MODULES = ("WF-101", "WF-201", "WF-301", "WF-401", "WF-501", "WF-601")
PAY_EPOCH = datetime.date(2024, 1, 1)
BATCH = 2000
MANAGER_LOGIN = "bench-manager"
EMPLOYEE_LOGIN = "bench-employee"
PASSWORD = "bench-password-2026"


def setup_django(db_path: Path | None, url: str | None = None) -> None:
    """Django against the SQLite file `db_path`, or the PostgreSQL database at `url`."""
    if url is None:
        if db_path.resolve() == (ROOT / "db.sqlite3").resolve():
            sys.exit("The benchmark never touches db.sqlite3: give it a path of its own.")
        url = f"sqlite:///{db_path}"
    elif "bench" not in url.rsplit("/", 1)[-1]:
        sys.exit("--postgres: the database's name must contain 'bench' (it is filled with data).")
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build_org(today: datetime.date, seed: int = 2026) -> None:
    """Writes the organisation with bulk_create (no history: the benchmark only reads)."""
    from django.contrib.auth.models import Group, User
    from django.db import transaction

    from buddies.models import BuddyPairing
    from certificates.models import Certification, PayPeriod, Tier, TierSkillRequirement
    from skills.models import Department, Employee, Signoff, Skill
    from training.models import Attendance, ModuleCompletion, TrainingSession, WorkflowModule

    rng = random.Random(seed)

    def day_between(first: datetime.date, last: datetime.date) -> datetime.date:
        return first + datetime.timedelta(days=rng.randint(0, max((last - first).days, 0)))

    with transaction.atomic():
        departments = [
            Department(
                code=f"{'CC' if side == 'front' else 'BO'}-{n:02d}",
                name=f"{'Contact centre' if side == 'front' else 'Back office'} team {n}",
                side=side,
                site=SITES[n % len(SITES)],
            )
            for side in ("front", "back")
            for n in range(1, DEPARTMENTS_PER_SIDE + 1)
        ]
        departments = Department.objects.bulk_create(departments)

        skills = [
            Skill(
                code=f"{d.code}-S{k + 1}",
                name=f"{d.name}, skill {k + 1}",
                department=d,
                recert_months=RECERT_MONTHS[k % len(RECERT_MONTHS)],
            )
            for d in departments
            for k in range(SKILLS_PER_DEPARTMENT)
        ]
        skills += [Skill(code=c, name=n, recert_months=m) for c, n, m in UNIVERSAL_SKILLS]
        skills = Skill.objects.bulk_create(skills)
        skills_of: dict[int, list[Skill]] = {}
        for s in skills:
            skills_of.setdefault(s.department_id, []).append(s)
        universal = {s.code: s for s in skills if s.department_id is None}

        shifts = ["day"] * 6 + ["evening"] * 3 + ["night"]
        people = []
        for n in range(EMPLOYEES):
            hired = today - datetime.timedelta(days=rng.randint(20, 3650))
            left = None
            if rng.random() < 0.05:
                left = min(today, hired + datetime.timedelta(days=rng.randint(60, 1500)))
            people.append(
                Employee(
                    employee_number=f"E{100000 + n}",
                    first_name=rng.choice(("Ada", "Bao", "Chiara", "Dmitri", "Eilidh", "Femi")),
                    last_name=f"Person{n}",
                    email=f"e{100000 + n}@example.com",
                    department=rng.choice(departments),
                    shift=rng.choice(shifts),
                    hire_date=hired,
                    termination_date=left,
                )
            )
        people = Employee.objects.bulk_create(people, batch_size=BATCH)
        by_dept: dict[int, list[Employee]] = {}
        for p in people:
            by_dept.setdefault(p.department_id, []).append(p)

        def active(p: Employee, day: datetime.date) -> bool:
            return p.hire_date <= day and (p.termination_date is None or p.termination_date > day)

        def last_day(p: Employee) -> datetime.date:
            if p.termination_date is None:
                return today
            return p.termination_date - datetime.timedelta(days=1)

        def someone_active(pool: list[Employee], day: datetime.date, exclude=()) -> Employee:
            for _ in range(200):
                p = rng.choice(pool)
                if active(p, day) and p not in exclude:
                    return p
            return next(p for p in people if active(p, day) and p not in exclude)

        modules = WorkflowModule.objects.bulk_create(
            WorkflowModule(
                code=code,
                title=f"Where work comes from and goes, part {i + 1}",
                version="1.0",
                owner=people[i],
                last_reviewed_on=today - datetime.timedelta(days=100),
                pass_mark=80,
                is_new_hire=code == "WF-101",
            )
            for i, code in enumerate(MODULES)
        )
        module = {m.code: m for m in modules}
        tiers = Tier.objects.bulk_create(
            [
                Tier(rank=1, name="Tier I", differential_per_hour=Decimal("0.50"),
                     min_cross_training_hours=Decimal(6), min_tenure_days=90),
                Tier(rank=2, name="Tier II", differential_per_hour=Decimal("1.25"),
                     min_cross_training_hours=Decimal(20), min_other_side_skills=1,
                     min_tenure_days=365),
                Tier(rank=3, name="Tier III", differential_per_hour=Decimal("2.10"),
                     min_cross_training_hours=Decimal(45), min_other_side_skills=3,
                     min_tenure_days=730),
            ]
        )  # fmt: skip
        for tier, code in zip(tiers, ("WF-101", "WF-201", "WF-301"), strict=True):
            tier.required_modules.set([module[code]])
        TierSkillRequirement.objects.bulk_create(
            [
                TierSkillRequirement(tier=tiers[0], skill=universal["TONE"], min_level=2),
                TierSkillRequirement(tier=tiers[1], skill=universal["DEESC"], min_level=3),
                TierSkillRequirement(tier=tiers[2], skill=universal["DEESC"], min_level=3),
                TierSkillRequirement(tier=tiers[2], skill=universal["VULN"], min_level=3),
            ]
        )

        sessions, attendances = [], []
        durations = [Decimal(x) for x in ("1", "2", "2.5", "3", "4")]
        n_sessions = ATTENDANCE // ATTENDEES_PER_SESSION
        for n in range(n_sessions):
            date = today - datetime.timedelta(days=rng.randint(0, 1095))
            host = rng.choice(departments)
            trainer = someone_active(by_dept[host.id], date)
            sessions.append(
                TrainingSession(
                    session_ref=f"BS-{n:06d}",
                    date=date,
                    host_department=host,
                    kind=rng.choice(("classroom", "shadowing", "floor_support", "escalation")),
                    trainer=trainer,
                    duration_hours=rng.choice(durations),
                )
            )
        sessions = TrainingSession.objects.bulk_create(sessions, batch_size=BATCH)
        for session in sessions:
            chosen = {session.trainer}
            for _ in range(ATTENDEES_PER_SESSION):
                pool = by_dept[session.host_department_id] if rng.random() < 0.3 else people
                person = someone_active(pool, session.date, exclude=chosen)
                chosen.add(person)
                hours = session.duration_hours
                if rng.random() < 0.2 and hours > 1:
                    hours -= Decimal("0.5")
                attendances.append(Attendance(session=session, employee=person, hours=hours))
        Attendance.objects.bulk_create(attendances, batch_size=BATCH)

        signoffs, seen = [], set()
        other_side = {
            side: [s for s in skills if s.department and s.department.side != side]
            for side in ("front", "back")
        }
        dept_side = {d.id: d.side for d in departments}
        while len(signoffs) < SIGNOFFS:
            person = rng.choice(people)
            roll = rng.random()
            if roll < 0.35:
                skill = rng.choice(skills_of[person.department_id])
            elif roll < 0.6:
                skill = rng.choice(other_side[dept_side[person.department_id]])
            else:
                skill = universal[rng.choice(("TONE", "TONE", "DEESC", "DEESC", "VULN", "GDPR"))]
            when = day_between(person.hire_date, last_day(person))
            level = rng.choice((1, 2, 2, 3, 3, 3, 4))
            if (person.id, skill.id, when, level) in seen:
                continue
            seen.add((person.id, skill.id, when, level))
            signoff = Signoff(
                employee=person,
                skill=skill,
                level=level,
                assessed_on=when,
                assessor=someone_active(people, when, exclude={person}),
                evidence="Observed on live work.",
            )
            if rng.random() < 0.02:
                signoff.revoked_on = min(today, when + datetime.timedelta(days=10))
                signoff.revoke_reason = "Recorded against the wrong person."
            signoffs.append(signoff)
        Signoff.objects.bulk_create(signoffs, batch_size=BATCH)

        completions, seen = [], set()
        weights = (0.9, 0.6, 0.35, 0.25, 0.2, 0.15)
        while len(completions) < COMPLETIONS:
            person = rng.choice(people)
            code = rng.choices(MODULES, weights=weights)[0]
            when = day_between(person.hire_date, last_day(person))
            if (person.id, code, when) in seen:
                continue
            seen.add((person.id, code, when))
            completions.append(
                ModuleCompletion(
                    employee=person,
                    module=module[code],
                    completed_on=when,
                    score=rng.randint(55, 100),
                    version="1.0",
                )
            )
        ModuleCompletion.objects.bulk_create(completions, batch_size=BATCH)

        certifications = []
        for person in people:
            if rng.random() < 0.35 and last_day(person) >= person.hire_date:
                when = day_between(max(person.hire_date, today - datetime.timedelta(730)),
                                   last_day(person))  # fmt: skip
                certifications.append(
                    Certification(
                        employee=person,
                        tier=rng.choices(tiers, weights=(5, 3, 1))[0],
                        certified_on=when,
                        certified_by=someone_active(people, when, exclude={person}),
                        override_reason="Benchmark data.",
                    )
                )
        Certification.objects.bulk_create(certifications, batch_size=BATCH)

        periods, start = [], PAY_EPOCH
        while start <= today + datetime.timedelta(days=90):
            periods.append(PayPeriod(start=start, end=start + datetime.timedelta(days=13)))
            start += datetime.timedelta(days=14)
        PayPeriod.objects.bulk_create(periods)

        fronts = [p for p in people if dept_side[p.department_id] == "front" and active(p, today)]
        backs = [p for p in people if dept_side[p.department_id] == "back" and active(p, today)]
        pairings = []
        for seeker in rng.sample(fronts, min(3000, len(fronts))):
            buddy = rng.choice(backs)
            start = max(seeker.hire_date, buddy.hire_date, today - datetime.timedelta(90))
            pairings.append(BuddyPairing(seeker=seeker, buddy=buddy, started_on=start))
        BuddyPairing.objects.bulk_create(pairings, batch_size=BATCH)

        manager = User.objects.create_user(MANAGER_LOGIN, password=PASSWORD)
        manager.groups.add(Group.objects.get(name="manager"))
        employee_user = User.objects.create_user(EMPLOYEE_LOGIN, password=PASSWORD)
        employee_user.groups.add(Group.objects.get(name="employee"))
        certified = {c.employee_id for c in certifications}
        linked = next(p for p in people if active(p, today) and p.id in certified)
        Employee.objects.filter(pk=linked.pk).update(user=employee_user)


def timed(fn, runs: int) -> tuple[float, object]:
    """The median wall-clock seconds of `runs` calls after a warm-up call, and the last result."""
    seconds, _cpu, result = timed_both(fn, runs)
    return seconds, result


def timed_both(fn, runs: int) -> tuple[float, float, object]:
    """Median wall-clock and CPU seconds of `runs` calls after a warm-up call, and the result.

    SQLite runs inside this process, so CPU time covers the queries too; on a shared machine it
    is the steadier figure, while wall-clock time is what a user waits.
    """
    result = fn()
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu), result


def count_queries(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def floor_fetch(day: datetime.date) -> int:
    """The rows tier_status_list reads, fetched with values_list and nothing else."""
    from certificates.models import Tier, TierSkillRequirement
    from certificates.selectors import employees_active_on
    from skills.models import Signoff, Skill
    from training.models import Attendance, ModuleCompletion

    employees = employees_active_on(day)
    ids = employees.values("id")
    attendance = Attendance.objects.filter(employee_id__in=ids, session__date__lte=day)
    signoffs = Signoff.objects.filter(employee_id__in=ids, assessed_on__lte=day)
    completions = ModuleCompletion.objects.filter(employee_id__in=ids, completed_on__lte=day)
    rows = [
        Tier.objects.values_list("rank", "name", "differential_per_hour",
                                 "min_cross_training_hours", "min_other_side_skills",
                                 "min_tenure_days"),
        Tier.required_modules.through.objects.values_list("tier_id", "workflowmodule__code"),
        TierSkillRequirement.objects.values_list("tier_id", "skill__code", "min_level"),
        Skill.objects.values_list("code", "department__side"),
        attendance.order_by().values_list(
            "employee_id", "session__date", "session__host_department__code", "hours"),
        signoffs.order_by().values_list(
            "employee_id", "skill__code", "level", "assessed_on", "revoked_on",
            "skill__recert_months"),
        completions.order_by().values_list(
            "employee_id", "module__code", "completed_on", "score", "module__pass_mark"),
        employees.order_by("employee_number").values_list(
            "id", "employee_number", "department__code", "department__side", "hire_date",
            "termination_date"),
    ]  # fmt: skip
    return sum(len(list(qs)) for qs in rows)


def measure_engine(day: datetime.date, runs: int) -> None:
    from certificates.selectors import tier_status_list

    engine_s, engine_cpu, statuses = timed_both(lambda: tier_status_list(day), runs)
    floor_s, floor_cpu, fetched = timed_both(lambda: floor_fetch(day), runs)
    queries = count_queries(lambda: tier_status_list(day))
    print(f"Tier status of {len(statuses):,} active employees on {day} ({fetched:,} rows read)")
    ratio, ratio_cpu = engine_s / floor_s, engine_cpu / floor_cpu
    print(f"  selector + engine: {engine_s:6.3f} s wall {engine_cpu:6.3f} s cpu, {queries} queries")
    print(f"  values_list floor: {floor_s:6.3f} s wall {floor_cpu:6.3f} s cpu")
    print(f"  ratio            : {ratio:6.2f} x wall {ratio_cpu:6.2f} x cpu (target: at most 3x)")


def page_urls() -> list[tuple[str, str, str]]:
    """(label, login, url) of every page to time."""
    from django.urls import NoReverseMatch, reverse

    from skills.models import Department, Employee

    someone = Employee.objects.filter(user__isnull=True, termination_date__isnull=True).first()
    dept = Department.objects.order_by("code").first()
    wanted = [
        ("My progress (employee)", EMPLOYEE_LOGIN, "certificates:my-progress", {}, ""),
        ("Employee progress (manager)", MANAGER_LOGIN, "certificates:employee-progress",
         {"employee_number": someone.employee_number}, ""),
        ("Team table, first page", MANAGER_LOGIN, "certificates:team", {}, ""),
        ("Team table, sorted by eligible tier", MANAGER_LOGIN, "certificates:team", {},
         "?sort=-eligible_tier"),
        ("Team table, ready to certify", MANAGER_LOGIN, "certificates:team", {}, "?ready=on"),
        ("Team table, certification lapsing", MANAGER_LOGIN, "certificates:team", {},
         "?lapsing=on"),
        ("Team table, one department", MANAGER_LOGIN, "certificates:team", {},
         f"?department={dept.pk}"),
        ("Team export .xlsx, ready to certify", MANAGER_LOGIN, "certificates:team-export", {},
         "?ready=on"),
        ("Coverage heat map", MANAGER_LOGIN, "skills:coverage", {}, ""),
        ("Who can help a department", MANAGER_LOGIN, "skills:coverage-help",
         {"code": dept.code}, ""),
        ("Expiring sign-offs (60 days)", MANAGER_LOGIN, "skills:expiring", {}, ""),
        ("Expiring sign-offs by trainer", MANAGER_LOGIN, "skills:expiring", {},
         "?group=trainer"),
        ("Home page (employee)", EMPLOYEE_LOGIN, "core:home", {}, ""),
        ("Home page (manager)", MANAGER_LOGIN, "core:home", {}, ""),
    ]  # fmt: skip
    urls = []
    for label, login, name, kwargs, query in wanted:
        try:
            urls.append((label, login, reverse(name, kwargs=kwargs or None) + query))
        except NoReverseMatch:
            print(f"  (skipped {label}: {name} does not exist)")
    return urls


def record_session(serial: int) -> None:
    """A trainer's everyday write: a session with ten attendees and two sign-offs, as the form
    records it (training.services.session_record)."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from skills.models import Department, Employee, Skill
    from training.services import AttendeeRow, SignoffRow, session_record

    today = timezone.localdate()
    host = Department.objects.filter(side="back").order_by("code")[serial % DEPARTMENTS_PER_SIDE]
    active = Employee.objects.filter(hire_date__lte=today).filter(termination_date__isnull=True)
    skill = Skill.objects.filter(department=host).order_by("code").first()  # never expires
    # The form's rule: an assessor holds the trainer role or level 4 on the skill.
    trainer = (
        active.filter(signoffs__skill=skill, signoffs__level=4, signoffs__revoked_on=None)
        .order_by("employee_number")
        .first()
    )
    people = list(
        active.exclude(pk=trainer.pk).order_by("employee_number")[serial * 10 : serial * 10 + 10]
    )
    session_record(
        user=User.objects.get(username=MANAGER_LOGIN),
        date=today,
        host_department=host,
        kind="shadowing",
        trainer_number=trainer.employee_number,
        duration_hours=Decimal("2"),
        skills=[skill],
        attendees=[AttendeeRow(n, p.employee_number) for n, p in enumerate(people)],
        signoffs=[SignoffRow(n, p.employee_number, skill, 3) for n, p in enumerate(people[:2])],
    )


def measure_pages(runs: int) -> None:
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.db import connection, reset_queries, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    clients = {}
    for login in (MANAGER_LOGIN, EMPLOYEE_LOGIN):
        client = Client()
        client.force_login(User.objects.get(username=login))
        clients[login] = client

    from django.utils import timezone

    from certificates.home import warm_caches

    cache.clear()
    started = time.perf_counter()
    people = warm_caches(timezone.localdate())
    print(
        f"warm_caches (run ahead of the day's first request): {people:,} people ranked in "
        f"{time.perf_counter() - started:.2f} s"
    )
    print(f"Pages through the test client (median of {runs} warm runs; target 300 ms)")
    print("  day first: the day's first request when warm_caches has not run (cache empty)")
    print(
        "  after write: the first request after a trainer records a session of ten attendees "
        "(median of as many writes)"
    )
    print(
        f"  {'page':<38} {'wall':>7}  {'cpu':>7}  queries  {'after write':>11}  "
        f"{'day first':>9}  url"
    )
    for serial, (label, login, url) in enumerate(page_urls()):
        client = clients[login]

        def get(client=client, url=url):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            return response

        cache.clear()
        started = time.perf_counter()
        get()
        first = time.perf_counter() - started
        wall, cpu, _ = timed_both(get, runs)
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            get()
        queries = len(ctx.captured_queries)
        # Each write and the request after it are rolled back: the database stays as built.
        after_writes = []
        for attempt in range(runs):
            with transaction.atomic():
                record_session(serial * runs + attempt)
                started = time.perf_counter()
                get()
                after_writes.append(time.perf_counter() - started)
                transaction.set_rollback(True)
        after_write = statistics.median(after_writes)
        print(
            f"  {label:<38} {wall * 1000:4.0f} ms  {cpu * 1000:4.0f} ms  {queries:7d}  "
            f"{after_write * 1000:8.0f} ms  {first * 1000:6.0f} ms  {url}"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="SQLite file to build (or reuse if it exists)")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="a PostgreSQL database of the benchmark's own instead (its name contains 'bench'; "
        "built if it has no employees, else reused)",
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs per figure (median)")
    parser.add_argument("--skip-pages", action="store_true", help="only the engine figures")
    parser.add_argument("--skip-engine", action="store_true", help="only the page figures")
    args = parser.parse_args(argv)

    keep = args.db is not None or args.postgres is not None
    db_path = args.db or Path(tempfile.mkdtemp(prefix="tier-bench-")) / "bench.sqlite3"
    if args.postgres:
        db_path = None
    setup_django(db_path, args.postgres)

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from skills.models import Employee

    today = timezone.localdate()
    where = args.postgres or db_path
    call_command("migrate", verbosity=0)
    if Employee.objects.exists():
        print(f"Reusing {where} ({connection.vendor})")
    else:
        started = time.perf_counter()
        build_org(today)
        print(f"Built the organisation in {time.perf_counter() - started:.1f} s: {where}")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    call_command("createcachetable", verbosity=0)
    try:
        if not args.skip_engine:
            measure_engine(today, args.runs)
        if not args.skip_pages:
            measure_pages(args.runs)
    finally:
        if not keep and db_path is not None:
            db_path.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
