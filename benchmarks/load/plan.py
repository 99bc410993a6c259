"""Write the load test's plan (who signs in as what, which pages exist) from the stack's data.

Run against the stack's database (`eval "$(deploy/stack.sh env)"`), after `make stack` loaded
the demo content. Prints JSON: partners, a coordinator with their group, an Outlook author with
an editable edition and its indicators, published resources (with and without files).
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asmhub.settings")

import django  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402

from asmhub import demo  # noqa: E402
from learning_groups.models import Membership  # noqa: E402
from outlooks.models import Edition  # noqa: E402
from resources.models import Resource  # noqa: E402


def main():
    verified = EmailAddress.objects.filter(verified=True).values_list("user_id", flat=True)
    editions = Edition.objects.filter(status=Edition.Status.DRAFT).prefetch_related("authors")
    author = edition = None
    for candidate in editions.order_by("country_id", "year"):
        writer = candidate.authors.filter(pk__in=verified).first()
        if writer:
            author, edition = writer, candidate
            break
    coordinator = (
        Membership.objects.coordinators()
        .filter(user_id__in=verified)
        .select_related("user", "group")
        .order_by("group__slug")
        .first()
    )
    from django.contrib.auth import get_user_model

    partners = list(
        get_user_model()
        .objects.filter(pk__in=verified, is_staff=False)
        .exclude(pk__in=[getattr(author, "pk", None), coordinator.user_id if coordinator else None])
        .order_by("pk")
        .values_list("email", flat=True)[:20]
    )
    published = Resource.objects.published()
    plan = {
        "password": demo.DEMO_PASSWORD,
        "partners": partners,
        "coordinator": coordinator
        and {
            "email": coordinator.user.email,
            "group": coordinator.group.slug,
        },
        "author": edition
        and {
            "email": author.email,
            "country": edition.country_id,
            "year": edition.year,
            "indicators": list(
                edition.methodology.indicators.filter(kind="number").values_list("code", flat=True)
            ),
        },
        "resources": list(published.values_list("slug", flat=True)[:200]),
        "downloads": list(
            published.filter(files__isnull=False).distinct().values_list("slug", flat=True)[:50]
        ),
        "countries": ["TZ", "ET", "CO", "PE", "BO", "IN"],
        "searches": ["mercury", "gold", "formalisation", "women miners", "cooperative", "tin"],
    }
    from resources.pdf import make_pdf

    sample = Path(__file__).resolve().parent / "sample.pdf"
    sample.write_bytes(
        make_pdf(
            title="Load test field note",
            paragraphs=["Sluice boxes and retorts in a small gold cooperative."] * 8,
        )
    )
    plan["sample_pdf"] = str(sample)
    print(json.dumps(plan, indent=2))


if __name__ == "__main__":
    main()
