from django.db import migrations


def load(apps, schema_editor):
    from accounts import reference_data as ref

    for model_name, rows in [("IndustryPlatform", ref.PLATFORMS),
                             ("LeadingIndustry", ref.LEADING_INDUSTRIES)]:
        model = apps.get_model("accounts", model_name)
        for order, (code, name, name_en) in enumerate(rows):
            model.objects.update_or_create(
                code=code, defaults={"name": name, "name_en": name_en, "sort_order": order})
    cluster = apps.get_model("accounts", "IndustryCluster")
    for order, (code, name, name_en, core) in enumerate(ref.CLUSTERS):
        cluster.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "is_core": core,
                                 "sort_order": order})
    institution = apps.get_model("accounts", "Institution")
    for name, name_en in ref.UNIVERSITIES:
        institution.objects.update_or_create(
            name=name, defaults={"name_en": name_en, "kind": "university"})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
