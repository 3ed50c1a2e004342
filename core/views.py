"""Pages that belong to no app (the role-aware home page, the health check) and the revocation
page flow that every revocable record shares."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache

from core.forms import RevokeForm, apply_errors
from core.jobs import result_days, settle
from core.models import Job
from core.roles import Role, primary_role, user_roles

HOME_TEMPLATES = {
    Role.ADMINISTRATOR: "core/home_administrator.html",
    Role.MANAGER: "core/home_manager.html",
    Role.PAYROLL: "core/home_payroll.html",
    Role.TRAINER: "core/home_trainer.html",
    Role.EMPLOYEE: "core/home_employee.html",
}


def home(request):
    role = primary_role(request.user)
    template = HOME_TEMPLATES.get(role, "core/home_none.html")
    employee = getattr(request.user, "employee", None)
    context = {"role": role, "roles": sorted(user_roles(request.user)), "employee": employee}
    # The apps fill each role's home page; core names them only through settings.
    provider = settings.HOME_CONTEXT.get(role) if role else None
    if provider:
        context.update(import_string(provider)(request, employee))
    return render(request, template, context)


def visible_jobs(user):
    """The jobs `user` may see: their own, or everyone's for an administrator."""
    jobs = Job.objects.defer("result")
    return jobs if Role.ADMINISTRATOR in user_roles(user) else jobs.filter(owner=user)


def _job(request, token) -> Job:
    job = visible_jobs(request.user).filter(token=token).first()
    if job is None:
        raise Http404("No such job.")
    return settle(job)


def job_list(request):
    """Your recent jobs: each with its state, its progress and, when ready, its result."""
    jobs = [settle(job) for job in Job.objects.defer("result").filter(owner=request.user)[:20]]
    return render(request, "core/jobs.html", {"jobs": jobs, "days": result_days()})


@never_cache
def job_detail(request, token):
    return render(request, "core/job.html", {"job": _job(request, token), "days": result_days()})


@never_cache
def job_status(request, token):
    """For the job page's progress bar, polled while the job runs."""
    job = _job(request, token)
    done = job.status == Job.Status.DONE
    return JsonResponse(
        {
            "status": job.status,
            "label": job.get_status_display(),
            "stage": job.stage,
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "counts": job.counts,
            "error": job.error,
            # Once done: the page that shows its result, or its file.
            "page": job.result_url if done else "",
            "download": reverse("core:job-download", args=[job.token])
            if done and not job.result_url
            else "",
        }
    )


def job_download(request, token):
    job = _job(request, token)
    if job.status != Job.Status.DONE or job.result_url:
        raise Http404("Not ready.")
    data = Job.objects.filter(pk=job.pk).values_list("result", flat=True).get()
    response = HttpResponse(bytes(data), content_type=job.result_type)
    response["Content-Disposition"] = f'attachment; filename="{job.result_name}"'
    return response


def health(request):
    """For the load balancer: answers 200 while the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def revoke_page(request, record, *, revoke, template: str, name: str, message: str, done_url: str):
    """Shows the revocation form for `record` (as `name` in the template); on a valid POST calls
    the app's `revoke(reason=, revoked_on=, user=)` service, reports `message` and goes to
    `done_url`, or puts the service's refusals on the form."""
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            revoke(
                reason=form.cleaned_data["reason"],
                revoked_on=form.cleaned_data["revoked_on"],
                user=request.user,
            )
        except ValidationError as error:
            apply_errors(error, form, {})
        else:
            messages.success(request, message)
            return redirect(done_url)
    return render(request, template, {name: record, "form": form})
