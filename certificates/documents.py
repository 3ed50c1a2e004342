"""Certificates as documents: the data printed on each, the PDF, the zip, and what the public
verification page may say about one.

The renderer (`certificates.pdf`) takes plain data; this module reads it from the database,
in a fixed number of queries however many certificates are asked for.
"""

from __future__ import annotations

import datetime
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from certificates import codes
from certificates.eligibility import evaluate_tiers, format_hours
from certificates.models import Certification, Tier, TierSkillRequirement
from certificates.pdf import CertificateData, render
from certificates.services import eligibility_inputs
from skills.models import Employee, Skill
from training.models import WorkflowModule


def certificate_settings() -> dict:
    return settings.TRACKER["CERTIFICATES"]


def verify_url(code: str) -> str:
    """The public address of a certificate's verification page, as printed and in the QR."""
    return settings.SITE_URL + reverse("verify:code", kwargs={"code": code})


def certificate_queryset() -> QuerySet[Certification]:
    return Certification.objects.select_related("employee", "certified_by", "tier")


@dataclass(frozen=True)
class TierAsRecorded:
    """A tier as it stood when a certification was recorded: its name, rank and requirements."""

    name: str
    rank: int
    skills: tuple[str, ...]
    modules: tuple[str, ...]
    other: tuple[str, ...]


def other_lines(hours, other_side_skills, tenure_days) -> tuple[str, ...]:
    """The tier's requirements other than skills and modules, in words."""
    lines = []
    if hours:
        lines.append(f"{format_hours(hours)} cross-training hours")
    if other_side_skills:
        plural = "s" if other_side_skills != 1 else ""
        lines.append(f"{other_side_skills} skill{plural} of the other side")
    if tenure_days:
        lines.append(f"{tenure_days} days' service")
    return tuple(lines)


def skill_line(name: str, code: str, level: int) -> str:
    return f"{name} ({code}), level {level}"


def module_line(title: str, code: str) -> str:
    return f"{title} ({code})"


def tier_today(tier: Tier) -> TierAsRecorded:
    """A tier as it stands now (its requirements prefetched)."""
    return TierAsRecorded(
        name=tier.name,
        rank=tier.rank,
        skills=tuple(
            skill_line(r.skill.name, r.skill.code, r.min_level)
            for r in sorted(tier.skill_requirements.all(), key=lambda r: r.skill.code)
        ),
        modules=tuple(
            module_line(m.title, m.code)
            for m in sorted(tier.required_modules.all(), key=lambda m: m.code)
        ),
        other=other_lines(
            tier.min_cross_training_hours, tier.min_other_side_skills, tier.min_tenure_days
        ),
    )


def tiers_as_recorded(certifications: list[Certification]) -> dict[int, TierAsRecorded]:
    """Each certification's tier as it stood when the certification was recorded, by
    certification id, so a certificate keeps printing what was required of its holder even
    after the tier changes. Read from the tiers' history in a fixed number of queries; a tier
    without history from before then is printed as it stands now."""
    tier_ids = {c.tier_id for c in certifications}
    tier_rows = list(Tier.history.filter(id__in=tier_ids).order_by("history_date", "history_id"))
    module_rows = defaultdict(list)
    through = Tier.history.model._meta.get_field("historicaltier_required_modules").related_model
    for history_id, module_id in through.objects.filter(
        history__in=[row.history_id for row in tier_rows]
    ).values_list("history_id", "workflowmodule_id"):
        module_rows[history_id].append(module_id)
    requirement_rows = list(
        TierSkillRequirement.history.filter(tier_id__in=tier_ids)
        .order_by("history_date", "history_id")
        .values_list("history_date", "history_type", "id", "tier_id", "skill_id", "min_level")
    )
    skills = {
        pk: (code, name) for pk, code, name in Skill.objects.values_list("pk", "code", "name")
    }
    modules = {
        pk: (code, title)
        for pk, code, title in WorkflowModule.objects.values_list("pk", "code", "title")
    }
    today = tiers_with_requirements()

    found: dict[int, TierAsRecorded] = {}
    tier_state: dict[int, Any] = {}
    requirement_state: dict[int, tuple[int, int, int]] = {}
    next_tier = next_requirement = 0
    for certification in sorted(certifications, key=lambda c: (c.recorded_at, c.pk)):
        when = certification.recorded_at
        while next_tier < len(tier_rows) and tier_rows[next_tier].history_date <= when:
            row = tier_rows[next_tier]
            tier_state[row.id] = row
            next_tier += 1
        while (
            next_requirement < len(requirement_rows)
            and requirement_rows[next_requirement][0] <= when
        ):
            _, kind, pk, tier_id, skill_id, level = requirement_rows[next_requirement]
            if kind == "-":
                requirement_state.pop(pk, None)
            else:
                requirement_state[pk] = (tier_id, skill_id, level)
            next_requirement += 1
        row = tier_state.get(certification.tier_id)
        if row is None or row.history_type == "-":
            found[certification.pk] = tier_today(today[certification.tier_id])
            continue
        found[certification.pk] = TierAsRecorded(
            name=row.name,
            rank=row.rank,
            skills=tuple(
                sorted(
                    skill_line(skills[skill_id][1], skills[skill_id][0], level)
                    for tier_id, skill_id, level in requirement_state.values()
                    if tier_id == certification.tier_id
                )
            ),
            modules=tuple(
                module_line(modules[pk][1], modules[pk][0])
                for pk in sorted(module_rows[row.history_id], key=lambda pk: modules[pk][0])
            ),
            other=other_lines(
                row.min_cross_training_hours, row.min_other_side_skills, row.min_tenure_days
            ),
        )
    return found


def tiers_with_requirements() -> dict[int, Tier]:
    """Every tier by id with its skills and modules as they stand now (three queries)."""
    return {
        tier.pk: tier
        for tier in Tier.objects.prefetch_related(
            Prefetch("skill_requirements", TierSkillRequirement.objects.select_related("skill")),
            "required_modules",
        )
    }


def certificate_data(certifications: Iterable[Certification]) -> Iterator[CertificateData]:
    """The printed data of each certification (selected with its people)."""
    config = certificate_settings()
    rows = list(certifications)
    tiers = tiers_as_recorded(rows)
    for certification in rows:
        tier = tiers[certification.pk]
        yield CertificateData(
            organisation=config["ORGANISATION_NAME"],
            full_name=certification.employee.full_name,
            tier_name=tier.name,
            tier_rank=tier.rank,
            certified_on=certification.certified_on,
            certified_by=certification.certified_by.full_name,
            number=certification.certificate_number,
            code=codes.grouped(certification.verification_code),
            verify_url=verify_url(certification.verification_code),
            skills=tier.skills,
            modules=tier.modules,
            other_requirements=tier.other,
            revoked_on=certification.revoked_on,
            page_size=config["PAGE_SIZE"],
        )


def certificate_pdf(certification: Certification) -> bytes:
    return render(next(certificate_data([certification])))


def file_name(certification: Certification) -> str:
    return f"{certification.certificate_number}.pdf"


def issued_between(
    first: datetime.date | None, last: datetime.date | None
) -> QuerySet[Certification]:
    """Certificates issued (certified) from `first` to `last`, both included, oldest first."""
    certifications = certificate_queryset().order_by("certified_on", "certificate_number")
    if first:
        certifications = certifications.filter(certified_on__gte=first)
    if last:
        certifications = certifications.filter(certified_on__lte=last)
    return certifications


def zip_file_name(first: datetime.date, last: datetime.date) -> str:
    return f"certificates-{first:%Y-%m-%d}-to-{last:%Y-%m-%d}.zip"


def write_zip(
    certifications: Iterable[Certification],
    out: IO[bytes],
    progress: Callable[[int, int, str], None] | None = None,
) -> int:
    """Writes one PDF per certification into a zip on `out`; returns how many.

    PDFs are stored, not deflated (they are compressed already), and each entry is dated by
    its certified day, so the same certificates give the same zip. `progress(done, total,
    stage)` hears each certificate drawn.
    """
    count = 0
    rows = list(certifications)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for certification, data in zip(rows, certificate_data(rows), strict=True):
            day = certification.certified_on
            entry = zipfile.ZipInfo(
                file_name(certification), (day.year, day.month, day.day, 0, 0, 0)
            )
            archive.writestr(entry, render(data))
            count += 1
            if progress:
                progress(count, len(rows), "Drawing the certificates")
    return count


# --- Verification ----------------------------------------------------------------------------

VALID, REVOKED, LAPSED = "valid", "revoked", "lapsed"


@dataclass(frozen=True)
class Verification:
    """What the public page says about a certificate, and nothing more about the person."""

    full_name: str
    tier_name: str
    tier_rank: int
    certified_on: datetime.date
    number: str
    status: str  # VALID, REVOKED or LAPSED
    revoked_on: datetime.date | None = None


def verification(code_typed: str, today: datetime.date) -> Verification | None:
    """The certificate with this code (however it was typed) and its status today, or None."""
    code = codes.normalised(code_typed)
    if code is None:
        return None
    certification = certificate_queryset().filter(verification_code=code).first()
    if certification is None:
        return None
    status = VALID
    # Revoked on or before the day the page is opened (DOMAIN.md).
    if certification.revoked_on is not None and certification.revoked_on <= today:
        status = REVOKED
    elif not holds_tier(certification.employee, certification.tier.rank, today):
        status = LAPSED
    return Verification(
        full_name=certification.employee.full_name,
        tier_name=certification.tier.name,
        tier_rank=certification.tier.rank,
        certified_on=certification.certified_on,
        number=certification.certificate_number,
        status=status,
        revoked_on=certification.revoked_on if status == REVOKED else None,
    )


def holds_tier(employee: Employee, rank: int, today: datetime.date) -> bool:
    """Whether the holder meets the tier's requirements today (and so is paid for it)."""
    inputs = eligibility_inputs(Employee.objects.filter(pk=employee.pk), today)
    facts = inputs.facts.get(employee.employee_number)
    if facts is None or not facts.is_active_on(today):
        return False
    return evaluate_tiers(facts, inputs.tiers, inputs.sides, today).eligible_rank >= rank
