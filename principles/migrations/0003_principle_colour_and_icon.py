"""Give each principle a colour and an icon, and set them for the network's seven.

A principle added later gets the default colour and icon until staff choose others. The data
step only changes principles still on the defaults, so it never overwrites a staff choice.
"""

from django.db import migrations, models

IDENTITIES = {
    "co-production": ("blue", "people"),
    "innovation": ("amber", "bulb"),
    "learning": ("purple", "book"),
    "maximising-social-value": ("crimson", "heart"),
    "new-models-of-meeting-priority-needs": ("green", "house"),
    "social-partnership": ("teal", "link"),
    "walking-the-talk": ("magenta", "steps"),
}


def set_identities(apps, schema_editor):
    Principle = apps.get_model("principles", "Principle")
    for slug, (colour, icon) in IDENTITIES.items():
        Principle.objects.using(schema_editor.connection.alias).filter(
            slug=slug, colour="slate", icon="check"
        ).update(colour=colour, icon=icon)


class Migration(migrations.Migration):
    dependencies = [("principles", "0002_seed_principles")]

    operations = [
        migrations.AddField(
            model_name="principle",
            name="colour",
            field=models.CharField(
                choices=[
                    ("slate", "Slate (default)"),
                    ("blue", "Blue"),
                    ("amber", "Amber"),
                    ("purple", "Purple"),
                    ("crimson", "Crimson"),
                    ("green", "Green"),
                    ("teal", "Teal"),
                    ("magenta", "Magenta"),
                ],
                default="slate",
                blank=True,
                help_text="Marks the principle across the site, always together with its icon "
                "and title. Left empty, the principle gets the default.",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="principle",
            name="icon",
            field=models.CharField(
                choices=[
                    ("check", "Tick in a circle (default)"),
                    ("people", "Two people"),
                    ("bulb", "Light bulb"),
                    ("book", "Open book"),
                    ("heart", "Heart"),
                    ("house", "House"),
                    ("link", "Linked rings"),
                    ("steps", "Footsteps"),
                    ("star", "Star"),
                    ("leaf", "Leaf"),
                ],
                default="check",
                blank=True,
                help_text="A symbol shown beside the principle's title; never used alone. "
                "Left empty, the principle gets the default.",
                max_length=20,
            ),
        ),
        migrations.RunPython(set_identities, migrations.RunPython.noop),
    ]
