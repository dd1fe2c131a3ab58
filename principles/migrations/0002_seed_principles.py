"""Create the network's seven co-operative principles, in every database.

The statements are the network's own words, copied verbatim from its published case studies.
Staff may edit them, add more principles and reorder them afterwards: this migration only
creates principles that do not exist yet and never overwrites staff edits.
"""

from django.db import migrations

PRINCIPLES = [
    (
        "Co-production",
        "co-production",
        "We will develop systems that enable citizens to be equal partners in designing and "
        "commissioning public services and in determining the use of public resources.",
    ),
    (
        "Innovation",
        "innovation",
        "We will embrace innovation in how we work with local communities to drive positive "
        "change.",
    ),
    (
        "Learning",
        "learning",
        "We will capture and \u2018expand\u2019 the experience and learning from individual "
        "projects and approaches in order to encourage broader application of co-operative "
        "principles within individual member Councils and across the Network.",
    ),
    (
        "Maximising social value",
        "maximising-social-value",
        "We will support the development of a framework and criteria for social value, giving "
        "substance to the concept and supporting Councils with the tools to ensure better local "
        "social and economic outcomes.",
    ),
    (
        "New models of meeting priority needs",
        "new-models-of-meeting-priority-needs",
        "In exploring new ways of meeting the priority needs of our communities we will "
        "encourage models, such as co-operatives and mutuals, which give greater influence and "
        "voice to staff and users. in designing and commissioning public services and in "
        "determining the use of public resources.",
    ),
    (
        "Social partnership",
        "social-partnership",
        "We will strengthen the co-operative partnership between citizens, communities, "
        "enterprises and Councils, based on a shared sense of responsibility for wellbeing and "
        "mutual benefit.",
    ),
    (
        "Walking the talk",
        "walking-the-talk",
        "As a membership organisation, we will make this statement of our principles "
        "operational by:",
    ),
]

WALKING_THE_TALK_COMMITMENTS = [
    (
        "Co-operation among members",
        "Our members work together to help each other implement our values, sharing "
        "experiences and learning.",
    ),
    (
        "Openness of membership",
        "Full, Associate and Affiliate Membership is open to any qualifying Council, "
        "organisation or individual who shares our values and is committed to putting them "
        "into action.",
    ),
    (
        "Co-production of the Network\u2019s work",
        "Members help shape the Network\u2019s work programme and the content of events and "
        "written products.",
    ),
    (
        "Action-focused",
        "The network is a vehicle for helping councils translate co-operative values and "
        "principles into policy and practice.",
    ),
    (
        "Membership-based",
        "The network is majority funded by modest membership subscriptions from its member "
        "Councils, Associates and Affiliates.",
    ),
    (
        "Non-party-political",
        "Members share the belief that working co-operatively within and across communities "
        "holds the key to tackling today\u2019s challenges.",
    ),
]


def seed_principles(apps, schema_editor):
    Principle = apps.get_model("principles", "Principle")
    Commitment = apps.get_model("principles", "Commitment")
    alias = schema_editor.connection.alias  # never a read replica, which lags this transaction
    for position, (title, slug, statement) in enumerate(PRINCIPLES, start=1):
        principle, created = Principle.objects.using(alias).get_or_create(
            slug=slug,
            defaults={"title": title, "statement": statement, "position": position * 10},
        )
        if created and slug == "walking-the-talk":
            for order, (name, text) in enumerate(WALKING_THE_TALK_COMMITMENTS, start=1):
                Commitment.objects.using(alias).create(
                    principle=principle, title=name, text=text, position=order
                )


class Migration(migrations.Migration):
    dependencies = [("principles", "0001_initial")]

    operations = [migrations.RunPython(seed_principles, migrations.RunPython.noop)]
