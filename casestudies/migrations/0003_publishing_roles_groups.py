"""Create the two publishing roles as groups with their permissions.

"Member editors" draft their own organisation's case studies (which ones is decided by the
admin, from each user's EditorMembership); "Publishers" see, publish, unpublish and schedule
everything and keep principles, organisations and contacts tidy.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MEMBER_EDITORS = "Member editors"
PUBLISHERS = "Publishers"

MEMBER_EDITOR_PERMISSIONS = [
    ("casestudies", "view_casestudy"),
    ("casestudies", "add_casestudy"),
    ("casestudies", "change_casestudy"),
    ("casestudies", "delete_casestudy"),
    ("casestudies", "view_historicalcasestudy"),
    ("casestudies", "view_casestudyorganisation"),
    ("casestudies", "add_casestudyorganisation"),
    ("casestudies", "change_casestudyorganisation"),
    ("casestudies", "delete_casestudyorganisation"),
    ("casestudies", "view_contact"),
    ("casestudies", "add_contact"),
    ("casestudies", "change_contact"),
    ("casestudies", "view_organisation"),
    ("casestudies", "view_theme"),
    ("principles", "view_principle"),
]

PUBLISHER_MODELS = [
    ("casestudies", "casestudy"),
    ("casestudies", "casestudyorganisation"),
    ("casestudies", "contact"),
    ("casestudies", "organisation"),
    ("casestudies", "theme"),
    ("casestudies", "themedcasestudy"),
    ("casestudies", "editormembership"),
    ("casestudies", "historicalcasestudy"),
    ("casestudies", "historicalcontact"),
    ("casestudies", "historicalorganisation"),
    ("principles", "principle"),
    ("principles", "commitment"),
]
PUBLISHER_EXTRA = [
    ("casestudies", "publish_casestudy"),
    ("casestudies", "view_statuschange"),
]


def create_groups(apps, schema_editor):
    # Every query names the database being migrated: with a read replica configured, an unnamed
    # read would go to the replica, which cannot see this transaction's rows.
    alias = schema_editor.connection.alias
    # Permissions are normally created after migrations run; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=alias)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(pairs):
        found = []
        for app_label, codename in pairs:
            found.append(
                Permission.objects.using(alias).get(
                    content_type__app_label=app_label, codename=codename
                )
            )
        return found

    editors, _ = Group.objects.using(alias).get_or_create(name=MEMBER_EDITORS)
    editors.permissions.set(permissions(MEMBER_EDITOR_PERMISSIONS))

    publisher_pairs = [
        (app_label, f"{action}_{model}")
        for app_label, model in PUBLISHER_MODELS
        for action in ("view", "add", "change", "delete")
    ]
    publishers, _ = Group.objects.using(alias).get_or_create(name=PUBLISHERS)
    publishers.permissions.set(permissions(publisher_pairs + PUBLISHER_EXTRA))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.using(schema_editor.connection.alias).filter(
        name__in=[MEMBER_EDITORS, PUBLISHERS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("casestudies", "0002_publishing_workflow_history_images"),
        ("principles", "0002_seed_principles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
