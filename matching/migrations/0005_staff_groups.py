"""The two staff roles, as groups: reviewers act on the queues; administrators
also manage users, reference data and cohorts."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REVIEWERS = "审核员 (reviewers)"
ADMINISTRATORS = "管理员 (administrators)"
# Reviewers change these (their queue actions); everything else they only view.
REVIEWED = {"company", "researcherprofile", "challenge", "placement", "outcome"}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label__in=["accounts", "matching"])
    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS)
    reviewers.permissions.set(
        [p for p in ours if p.content_type.model != "user" and (
            p.codename.startswith("view_")
            or (p.codename.startswith("change_") and p.content_type.model in REVIEWED))])
    administrators, _ = Group.objects.get_or_create(name=ADMINISTRATORS)
    administrators.permissions.set(
        list(ours) + list(Permission.objects.filter(content_type__app_label="auth")))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[REVIEWERS, ADMINISTRATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0003_history_and_review_note"),
        ("matching", "0004_history"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
