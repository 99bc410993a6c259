# Seeds DESIGN.md's taxonomy: every ISO 3166 country (six programme countries flagged),
# regions, ISO 639-1 languages, commodities, themes and stakeholder types.
import pycountry
from django.db import migrations

PROGRAMME_COUNTRIES = ["TZ", "ET", "CO", "PE", "BO", "IN"]

REGIONS = {
    "east-africa": ("East Africa", ["TZ", "ET", "KE", "UG", "RW", "BI", "SS", "SO", "DJ", "ER"]),
    "west-africa": (
        "West Africa",
        ["GH", "ML", "BF", "SN", "GN", "CI", "NE", "NG", "SL", "LR", "TG", "BJ", "MR", "GM", "GW"],
    ),
    "central-africa": ("Central Africa", ["CD", "CF", "CG", "CM", "GA", "TD", "GQ"]),
    "southern-africa": (
        "Southern Africa",
        ["ZA", "ZW", "ZM", "MZ", "MW", "MG", "BW", "NA", "AO", "LS", "SZ"],
    ),
    "andean-region": ("Andean region", ["CO", "PE", "BO", "EC", "VE", "CL"]),
    "latin-america": (
        "Latin America",
        ["CO", "PE", "BO", "EC", "VE", "CL", "BR", "AR", "GY", "SR", "MX", "HN", "NI", "GT"],
    ),
    "south-asia": ("South Asia", ["IN", "PK", "BD", "NP", "LK", "AF"]),
    "southeast-asia": ("Southeast Asia", ["ID", "PH", "MM", "LA", "KH", "VN", "TH", "MY"]),
}

COMMODITIES = [
    ("gold", "Gold"),
    ("gemstones", "Gemstones"),
    ("diamonds", "Diamonds"),
    ("construction-materials", "Construction materials (sand, gravel, stone)"),
    ("salt", "Salt"),
    ("3tg", "Tin, tantalum, tungsten (3TG)"),
    ("cobalt", "Cobalt"),
    ("copper", "Copper"),
    ("other", "Other"),
]

THEMES = [
    ("formalisation-governance", "Formalisation and governance"),
    ("market-access-finance", "Market access and finance"),
    ("conflict-security", "Conflict and security"),
    ("environment-mercury", "Environment and mercury"),
    ("health-safety", "Health and safety"),
    ("gender-social-inclusion", "Gender and social inclusion"),
    ("child-labour", "Child labour"),
    ("asm-lsm-relations", "ASM and large-scale mining relations"),
    ("land-resource-rights", "Land and resource rights"),
    ("livelihoods-poverty", "Livelihoods and poverty"),
]

STAKEHOLDER_TYPES = [
    ("government", "Government"),
    ("large-scale-mining", "Large-scale mining company"),
    ("asm-miners", "ASM miners and their organisations"),
    ("ngo-civil-society", "NGO / civil society"),
    ("donor", "Donor"),
    ("researcher", "Researcher / technical expert"),
    ("international-initiative", "International initiative"),
    ("media", "Media"),
]


def _short_name(country):
    # pycountry's official-style names ("Tanzania, United Republic of") read badly in lists.
    return getattr(country, "common_name", None) or country.name


def seed(apps, schema_editor):
    Country = apps.get_model("taxonomy", "Country")
    Region = apps.get_model("taxonomy", "Region")
    Language = apps.get_model("taxonomy", "Language")
    for country in pycountry.countries:
        Country.objects.update_or_create(
            code=country.alpha_2,
            defaults={
                "name": _short_name(country),
                "is_programme_country": country.alpha_2 in PROGRAMME_COUNTRIES,
            },
        )
    for slug, (name, codes) in REGIONS.items():
        region, _ = Region.objects.update_or_create(slug=slug, defaults={"name": name})
        region.countries.set(Country.objects.filter(code__in=codes))
    for language in pycountry.languages:
        code = getattr(language, "alpha_2", None)
        if code:
            Language.objects.update_or_create(code=code, defaults={"name": language.name})
    for model_name, values in [
        ("Commodity", COMMODITIES),
        ("Theme", THEMES),
        ("StakeholderType", STAKEHOLDER_TYPES),
    ]:
        model = apps.get_model("taxonomy", model_name)
        for position, (slug, name) in enumerate(values, start=1):
            model.objects.update_or_create(
                slug=slug, defaults={"name": name, "position": position}
            )


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0002_extensions")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
