"""The buddies pages: suggestions to accept, pairings, exclusions and absences (managers and
administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django_filters.views import FilterView

from buddies import services
from buddies.filters import PairingFilter
from buddies.forms import ExclusionForm, PairingEndForm, SuggestionFilterForm, UnavailabilityForm
from buddies.models import BuddyExclusion, BuddyPairing, BuddyUnavailability
from buddies.suggestions import Options, suggestion_rows
from buddies.tables import PairingTable
from core.forms import apply_errors
from core.tables import BoundedTableMixin
from core.text import day_text

PER_PAGE = 50


def options_from(form: SuggestionFilterForm) -> tuple[Options, dict]:
    data = form.cleaned_data if form.is_valid() else {}
    department = data.get("department")
    options = Options.from_settings(
        timezone.localdate(),
        department=department.code if department else None,
        rotate_older_than=data.get("rotate"),
    )
    return options, {"site": data.get("site") or "", "shift": data.get("shift") or ""}


def suggestions(request):
    """The current suggestions with their reasons; accept all, some, or another buddy."""
    form = SuggestionFilterForm(request.GET or None)
    options, shown = options_from(form)
    if request.method == "POST":
        return accept(request, options)
    rows, count, unpaired, result = suggestion_rows(options, **shown, limit=PER_PAGE)
    return render(
        request,
        "buddies/suggestions.html",
        {
            "filters": {"form": form},  # the shape core/includes/filters.html reads
            "rows": rows,
            "more": count - len(rows),
            "unpaired": unpaired,
            "options": options,
            "total_cost": result.total_cost,
            "query": request.GET.urlencode(),
        },
    )


def accept(request, options: Options):
    picked = request.POST.getlist("accept")
    if "accept_all" in request.POST:
        picked = request.POST.getlist("seeker")
    choices, suggested = [], {}
    for seeker in picked:
        buddy = request.POST.get(f"buddy-{seeker}", "")
        if buddy:
            choices.append((seeker, buddy))
            suggested[seeker] = request.POST.get(f"suggested-{seeker}", "")
    if not choices:
        messages.warning(request, "Tick the suggestions to accept, or accept all shown.")
        return redirect(request.get_full_path())
    done = services.accept(choices, options=options, user=request.user, suggested=suggested)
    if done.created:
        messages.success(
            request,
            f"{len(done.created)} pairing{'s' if len(done.created) != 1 else ''} recorded from "
            f"{day_text(options.day)}.",
        )
    for seeker, why in done.refused:
        messages.error(request, f"{seeker} not paired: {why}.")
    return redirect(request.get_full_path())


class PairingListView(BoundedTableMixin, FilterView):
    table_class = PairingTable
    filterset_class = PairingFilter
    template_name = "buddies/pairing_list.html"
    table_pagination = {"per_page": 25}

    def get_queryset(self):
        return BuddyPairing.objects.select_related("seeker__department", "buddy__department")


def pairing_end(request, pk: int):
    pairing = get_object_or_404(
        BuddyPairing.objects.select_related("seeker__department", "buddy__department"), pk=pk
    )
    form = PairingEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pairing_end(pairing=pairing, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(error, form, {})
        else:
            messages.success(
                request,
                f"The pairing of {pairing.seeker.full_name} with {pairing.buddy.full_name} ends "
                f"on {day_text(form.cleaned_data['ended_on'])}.",
            )
            return redirect("buddies:pairings")
    return render(request, "buddies/pairing_end.html", {"form": form, "pairing": pairing})


def exclusions(request):
    """Pairs never to be suggested, and buddies away: both lists and their forms."""
    exclusion_form = ExclusionForm(request.POST if "exclusion" in request.POST else None)
    away_form = UnavailabilityForm(request.POST if "away" in request.POST else None)
    if request.method == "POST":
        if "exclusion" in request.POST and exclusion_form.is_valid():
            try:
                services.exclusion_create(user=request.user, **exclusion_form.cleaned_data)
            except ValidationError as error:
                apply_errors(error, exclusion_form, {})
            else:
                messages.success(request, "Recorded: they will not be suggested as a pair.")
                return redirect("buddies:exclusions")
        if "away" in request.POST and away_form.is_valid():
            BuddyUnavailability.objects.create(
                recorded_by=request.user if request.user.pk else None, **away_form.cleaned_data
            )
            messages.success(request, "Recorded: no suggestion pairs them with anyone then.")
            return redirect("buddies:exclusions")
    return render(
        request,
        "buddies/exclusions.html",
        {
            "exclusion_form": exclusion_form,
            "away_form": away_form,
            "exclusions": BuddyExclusion.objects.select_related("first", "second"),
            "absences": BuddyUnavailability.objects.filter(
                ends_on__gte=timezone.localdate()
            ).select_related("buddy"),
        },
    )
