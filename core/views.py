"""Pages that belong to no app: the role-aware home page and the health check."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.module_loading import import_string

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


def health(request):
    """For the load balancer: answers 200 while the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
