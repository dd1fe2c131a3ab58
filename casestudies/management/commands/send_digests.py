"""Send the email alerts' digests: `manage.py send_digests --frequency daily` once a day and
`--frequency weekly` once a week, from cron or a systemd timer (docs/deploy.md).

Each confirmed alert of that frequency gets one email listing the case studies that became
public since its last digest and match its filters; an alert with nothing new gets nothing.
Running it twice, or twice at once, sends nothing twice (casestudies/notifications/alerts.py).
"""

from django.core.management.base import BaseCommand

from ...models import Alert
from ...notifications import alerts


class Command(BaseCommand):
    help = "Email each confirmed alert of the given frequency the new case studies it matches."

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency",
            required=True,
            choices=Alert.Frequency.values,
            help="Which alerts: daily (run once a day) or weekly (run once a week).",
        )

    def handle(self, *args, frequency, **options):
        counts = alerts.send_digests(frequency)
        if counts["failed"]:
            self.stderr.write(f"{counts['failed']} digests failed: see the log.")
        self.stdout.write(
            f"{frequency} digests: {counts['sent']} sent, {counts['nothing new']} with nothing "
            f"new, {counts['invalid']} with filters no longer valid, {counts['skipped']} "
            f"skipped, {counts['failed']} failed; {counts['unconfirmed removed']} never "
            "confirmed removed."
        )
