"""Demo content for the shared kernel: invented organisations and people, and the demo logins.

Every name, organisation and email here is invented. Component apps add their own demo
content in `<app>/demo.py` (a `load(*, stdout)` function); `manage.py load_demo` runs them all.
"""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction

from asmhub.profiles.models import CURATORS_GROUP, Organisation, Profile, User
from asmhub.taxonomy.models import Country, Language, StakeholderType

DEMO_PASSWORD = "asmhub-demo-2026"  # noqa: S105 - printed on purpose: demo accounts only
CURATOR_EMAIL = "curator@demo.asmhub.example"

ORGANISATIONS = [
    # (name, acronym, country, stakeholder type)
    ("Lake Zone Artisanal Miners' Federation", "LAZAMF", "TZ", "asm-miners"),
    ("Tanzania Mineral Policy Forum", "TMPF", "TZ", "ngo-civil-society"),
    ("Ethiopian Small-scale Gold Producers' Cooperative Union", "ESGPCU", "ET", "asm-miners"),
    ("Addis Institute for Extractives Research", "AIER", "ET", "researcher"),
    ("Red Colombiana de Minería Responsable", "RCMR", "CO", "ngo-civil-society"),
    ("Cooperativa Minera Río Nechí", "COMINEC", "CO", "asm-miners"),
    ("Centro Andino de Estudios Mineros", "CAEM", "PE", "researcher"),
    ("Asociación de Mineros Artesanales de Puno", "AMAP", "PE", "asm-miners"),
    ("Federación de Cooperativas Auríferas del Norte", "FECAN", "BO", "asm-miners"),
    ("Fundación Tierra y Mineral", "FTM", "BO", "ngo-civil-society"),
    ("Deccan Stone Workers' Collective", "DSWC", "IN", "asm-miners"),
    ("Centre for Mining and Livelihoods, Hyderabad", "CML", "IN", "researcher"),
    ("Global Responsible Minerals Initiative", "GRMI", None, "international-initiative"),
]

PEOPLE = [
    # (email local part, display name, country, stakeholder type, organisation acronym, languages)
    ("amani.mushi", "Amani Mushi", "TZ", "asm-miners", "LAZAMF", ["sw", "en"]),
    ("neema.kileo", "Neema Kileo", "TZ", "ngo-civil-society", "TMPF", ["sw", "en"]),
    ("hana.tesfaye", "Hana Tesfaye", "ET", "researcher", "AIER", ["am", "en"]),
    ("dawit.alemu", "Dawit Alemu", "ET", "asm-miners", "ESGPCU", ["am"]),
    ("lucia.restrepo", "Lucía Restrepo", "CO", "ngo-civil-society", "RCMR", ["es", "en"]),
    ("andres.mejia", "Andrés Mejía", "CO", "asm-miners", "COMINEC", ["es"]),
    ("rosa.quispe", "Rosa Quispe", "PE", "asm-miners", "AMAP", ["es", "qu"]),
    ("martin.salas", "Martín Salas", "PE", "researcher", "CAEM", ["es", "en"]),
    ("elena.mamani", "Elena Mamani", "BO", "asm-miners", "FECAN", ["es", "ay"]),
    ("jorge.vargas", "Jorge Vargas", "BO", "ngo-civil-society", "FTM", ["es"]),
    ("priya.raman", "Priya Raman", "IN", "researcher", "CML", ["hi", "te", "en"]),
    ("arjun.naik", "Arjun Naik", "IN", "asm-miners", "DSWC", ["hi", "te"]),
]


def demo_email(local_part: str) -> str:
    return f"{local_part}@demo.asmhub.example"


def _user(email: str, *, is_staff: bool = False) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"is_staff": is_staff})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def load(*, stdout) -> None:
    stakeholder = {s.slug: s for s in StakeholderType.objects.all()}
    countries = Country.objects.in_bulk()
    organisations = {}
    for name, acronym, country, kind in ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(
            slug=acronym.lower(),
            defaults={
                "name": name,
                "acronym": acronym,
                "country": countries.get(country),
                "stakeholder_type": stakeholder[kind],
            },
        )
        organisations[acronym] = org

    curator = _user(CURATOR_EMAIL, is_staff=True)
    curator.groups.add(Group.objects.get(name=CURATORS_GROUP))
    Profile.objects.update_or_create(
        user=curator,
        defaults={"display_name": "Programme curator", "organisation": organisations["GRMI"]},
    )
    languages = Language.objects.in_bulk()
    for local, display, country, kind, acronym, langs in PEOPLE:
        user = _user(demo_email(local))
        profile, _ = Profile.objects.update_or_create(
            user=user,
            defaults={
                "display_name": display,
                "country": countries[country],
                "stakeholder_type": stakeholder[kind],
                "organisation": organisations[acronym],
                "expertise": f"Works with {organisations[acronym].name} on ASM in "
                f"{countries[country].name}.",
            },
        )
        profile.languages.set([languages[c] for c in langs if c in languages])
    stdout.write(f"  kernel: {len(ORGANISATIONS)} organisations, {len(PEOPLE) + 1} people")
