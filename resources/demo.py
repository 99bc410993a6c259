# ruff: noqa: E501 - the demo rows read best one resource per line
"""Demo library: ~40 invented resources across the programme countries, some with real PDFs.

Every title, author and organisation here is invented. A few resources carry PDFs generated on
the spot (resources.pdf) with distinctive words inside ("quimbaya sluice", "Kahama shaking
table", "retorta comunitaria"), so searching inside documents can be seen working: search the
library for one of them and the resource whose PDF contains it comes up.
"""

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction

from asmhub.demo import CURATOR_EMAIL, demo_email
from asmhub.profiles.models import Organisation, User
from asmhub.taxonomy.models import Commodity, Country, Language, Region, Theme
from resources.extraction import extract_field_file
from resources.models import Resource, ResourceFile
from resources.pdf import make_pdf
from resources.search import resources_reindex

# (slug, title, type, year, language, scope: country codes | region slug | "global",
#  themes, commodities, organisation acronym, submitter, tags, authors)
R = [
    (
        "geita-gravity-pilot",
        "Mercury-free gold processing: the Geita gravity pilot",
        "report",
        2024,
        "en",
        ["TZ"],
        ["environment-mercury"],
        ["gold"],
        "LAZAMF",
        "amani.mushi",
        ["gravity concentration", "mercury"],
        "Amani Mushi; Neema Kileo",
    ),
    (
        "tz-licensing-brief",
        "Primary mining licences in Tanzania: what changed after 2017",
        "policy-brief",
        2023,
        "en",
        ["TZ"],
        ["formalisation-governance"],
        ["gold", "gemstones"],
        "TMPF",
        "neema.kileo",
        ["licensing", "mining act"],
        "Neema Kileo",
    ),
    (
        "mererani-tanzanite-safety",
        "Underground safety in the Mererani tanzanite blocks",
        "case-study",
        2022,
        "en",
        ["TZ"],
        ["health-safety"],
        ["gemstones"],
        "TMPF",
        "neema.kileo",
        ["ventilation", "tanzanite"],
        "Neema Kileo; Baraka Mollel",
    ),
    (
        "tz-women-brokers",
        "Women gold brokers of the Lake Zone",
        "case-study",
        2021,
        "en",
        ["TZ"],
        ["gender-social-inclusion", "market-access-finance"],
        ["gold"],
        "LAZAMF",
        "amani.mushi",
        ["women", "traders"],
        "Amani Mushi",
    ),
    (
        "kahama-shaking-table",
        "Kahama shaking table: a field manual for cooperative processing centres",
        "toolkit",
        2024,
        "sw",
        ["TZ"],
        ["environment-mercury", "livelihoods-poverty"],
        ["gold"],
        "LAZAMF",
        "amani.mushi",
        ["processing centres"],
        "Lake Zone technical team",
    ),
    (
        "et-shakiso-cooperatives",
        "Gold cooperatives of Shakiso: organisation and finance",
        "report",
        2023,
        "en",
        ["ET"],
        ["formalisation-governance", "market-access-finance"],
        ["gold"],
        "ESGPCU",
        "dawit.alemu",
        ["cooperatives", "credit"],
        "Dawit Alemu; Hana Tesfaye",
    ),
    (
        "et-opal-wollo",
        "Opal mining in Wollo: livelihoods and land",
        "case-study",
        2022,
        "en",
        ["ET"],
        ["land-resource-rights", "livelihoods-poverty"],
        ["gemstones"],
        "AIER",
        "hana.tesfaye",
        ["opal"],
        "Hana Tesfaye",
    ),
    (
        "et-mining-proclamation",
        "Ethiopia's artisanal mining proclamation explained",
        "legislation",
        2020,
        "en",
        ["ET"],
        ["formalisation-governance"],
        ["other"],
        "AIER",
        "hana.tesfaye",
        ["proclamation"],
        "Addis Institute for Extractives Research",
    ),
    (
        "et-child-labour-survey",
        "Children in Ethiopian gold sites: a household survey",
        "dataset",
        2024,
        "en",
        ["ET"],
        ["child-labour"],
        ["gold"],
        "AIER",
        "hana.tesfaye",
        ["survey", "children"],
        "Hana Tesfaye; Yonas Bekele",
    ),
    (
        "co-nechi-formalizacion",
        "Formalización minera en el bajo Cauca: lecciones del río Nechí",
        "report",
        2023,
        "es",
        ["CO"],
        ["formalisation-governance", "conflict-security"],
        ["gold"],
        "COMINEC",
        "andres.mejia",
        ["formalización", "Antioquia"],
        "Andrés Mejía; Lucía Restrepo",
    ),
    (
        "co-quimbaya-sluice",
        "El canalón quimbaya: guía práctica de concentración gravimétrica",
        "toolkit",
        2024,
        "es",
        ["CO"],
        ["environment-mercury"],
        ["gold"],
        "RCMR",
        "lucia.restrepo",
        ["gravimetría", "mercurio"],
        "Red Colombiana de Minería Responsable",
    ),
    (
        "co-conflict-gold-routes",
        "Gold, armed groups and traders in Colombia's Pacific",
        "report",
        2022,
        "en",
        ["CO"],
        ["conflict-security", "market-access-finance"],
        ["gold"],
        "RCMR",
        "lucia.restrepo",
        ["due diligence"],
        "Lucía Restrepo",
    ),
    (
        "co-mujeres-barequeras",
        "Mujeres barequeras: trabajo y derechos en Chocó",
        "case-study",
        2021,
        "es",
        ["CO"],
        ["gender-social-inclusion"],
        ["gold"],
        "RCMR",
        "lucia.restrepo",
        ["barequeo", "mujeres"],
        "Lucía Restrepo; Carmen Palacios",
    ),
    (
        "co-esmeraldas-boyaca",
        "Esmeralderos de Boyacá y la gran minería",
        "article",
        2023,
        "es",
        ["CO"],
        ["asm-lsm-relations"],
        ["gemstones"],
        "COMINEC",
        "andres.mejia",
        ["esmeraldas"],
        "Andrés Mejía",
    ),
    (
        "pe-puno-retorta",
        "La retorta comunitaria de Ananea: menos mercurio en el aire",
        "case-study",
        2024,
        "es",
        ["PE"],
        ["environment-mercury", "health-safety"],
        ["gold"],
        "AMAP",
        "rosa.quispe",
        ["retorta", "mercurio"],
        "Rosa Quispe",
    ),
    (
        "pe-reinfo-brief",
        "El REINFO y los mineros informales del Perú",
        "policy-brief",
        2023,
        "es",
        ["PE"],
        ["formalisation-governance"],
        ["gold"],
        "CAEM",
        "martin.salas",
        ["REINFO", "formalización"],
        "Martín Salas",
    ),
    (
        "pe-madre-de-dios-forests",
        "Gold mining and forest loss in Madre de Dios, 2015–2023",
        "dataset",
        2024,
        "en",
        ["PE"],
        ["environment-mercury", "land-resource-rights"],
        ["gold"],
        "CAEM",
        "martin.salas",
        ["deforestation", "satellite"],
        "Martín Salas; Ana Huamán",
    ),
    (
        "pe-pallaqueras",
        "Las pallaqueras de La Rinconada",
        "case-study",
        2022,
        "es",
        ["PE"],
        ["gender-social-inclusion", "livelihoods-poverty"],
        ["gold"],
        "AMAP",
        "rosa.quispe",
        ["pallaqueo"],
        "Rosa Quispe",
    ),
    (
        "pe-lsm-agreements",
        "Agreements between small miners and large mines in southern Peru",
        "report",
        2021,
        "en",
        ["PE"],
        ["asm-lsm-relations", "land-resource-rights"],
        ["copper", "gold"],
        "CAEM",
        "martin.salas",
        ["agreements"],
        "Martín Salas",
    ),
    (
        "bo-cooperativas-auriferas",
        "Cooperativas auríferas del norte de La Paz: quién gana y quién pierde",
        "report",
        2023,
        "es",
        ["BO"],
        ["market-access-finance", "formalisation-governance"],
        ["gold"],
        "FECAN",
        "elena.mamani",
        ["cooperativas"],
        "Elena Mamani; Jorge Vargas",
    ),
    (
        "bo-potosi-cerro-rico",
        "Cerro Rico de Potosí: seguridad en las bocaminas",
        "training",
        2022,
        "es",
        ["BO"],
        ["health-safety"],
        ["3tg", "other"],
        "FTM",
        "jorge.vargas",
        ["silicosis", "seguridad"],
        "Fundación Tierra y Mineral",
    ),
    (
        "bo-children-tin",
        "Child labour in Bolivia's tin cooperatives",
        "policy-brief",
        2021,
        "en",
        ["BO"],
        ["child-labour"],
        ["3tg"],
        "FTM",
        "jorge.vargas",
        ["children"],
        "Jorge Vargas",
    ),
    (
        "bo-ley-535",
        "Ley 535 de Minería y Metalurgia: guía para cooperativistas",
        "legislation",
        2020,
        "es",
        ["BO"],
        ["formalisation-governance"],
        ["gold", "3tg"],
        "FTM",
        "jorge.vargas",
        ["ley 535"],
        "Fundación Tierra y Mineral",
    ),
    (
        "in-stone-quarry-workers",
        "Stone quarry workers of the Deccan: wages and dust",
        "report",
        2023,
        "en",
        ["IN"],
        ["health-safety", "livelihoods-poverty"],
        ["construction-materials"],
        "DSWC",
        "arjun.naik",
        ["silicosis", "quarries"],
        "Arjun Naik; Priya Raman",
    ),
    (
        "in-sand-mining-rules",
        "Sand mining rules across Indian states compared",
        "legislation",
        2022,
        "en",
        ["IN"],
        ["formalisation-governance", "environment-mercury"],
        ["construction-materials"],
        "CML",
        "priya.raman",
        ["sand", "rules"],
        "Priya Raman",
    ),
    (
        "in-salt-pans-gujarat",
        "Salt pan workers of the Little Rann",
        "case-study",
        2021,
        "en",
        ["IN"],
        ["livelihoods-poverty", "gender-social-inclusion"],
        ["salt"],
        "CML",
        "priya.raman",
        ["agariya"],
        "Priya Raman",
    ),
    (
        "in-mica-children",
        "Mica, children and schools in Jharkhand",
        "article",
        2024,
        "en",
        ["IN"],
        ["child-labour"],
        ["other"],
        "CML",
        "priya.raman",
        ["mica"],
        "Priya Raman; Sunil Oraon",
    ),
    (
        "in-quarry-safety-training",
        "Quarry safety in twelve pictures: a training set",
        "training",
        2024,
        "en",
        ["IN"],
        ["health-safety"],
        ["construction-materials"],
        "DSWC",
        "arjun.naik",
        ["training"],
        "Deccan Stone Workers' Collective",
    ),
    (
        "ea-gold-trade-routes",
        "Artisanal gold trade routes in East Africa",
        "report",
        2023,
        "en",
        "east-africa",
        ["market-access-finance", "conflict-security"],
        ["gold"],
        "AIER",
        "hana.tesfaye",
        ["trade", "exports"],
        "Hana Tesfaye; Amani Mushi",
    ),
    (
        "ea-mercury-policy",
        "Mercury action plans in East Africa: where they stand",
        "policy-brief",
        2024,
        "en",
        "east-africa",
        ["environment-mercury"],
        ["gold"],
        "TMPF",
        "neema.kileo",
        ["Minamata"],
        "Neema Kileo",
    ),
    (
        "andes-cooperativas-comparadas",
        "Cooperativas mineras en los Andes: Bolivia, Perú y Colombia comparados",
        "report",
        2022,
        "es",
        "andean-region",
        ["formalisation-governance"],
        ["gold"],
        "CAEM",
        "martin.salas",
        ["cooperativas"],
        "Martín Salas; Elena Mamani",
    ),
    (
        "andes-glaciares",
        "Minería de altura y agua en la región andina",
        "article",
        2023,
        "es",
        "andean-region",
        ["environment-mercury", "land-resource-rights"],
        ["gold"],
        "FTM",
        "jorge.vargas",
        ["agua", "glaciares"],
        "Jorge Vargas",
    ),
    (
        "global-formalisation-handbook",
        "Formalising artisanal mining: a handbook for officials",
        "toolkit",
        2023,
        "en",
        "global",
        ["formalisation-governance"],
        ["gold", "other"],
        "GRMI",
        "lucia.restrepo",
        ["handbook"],
        "Global Responsible Minerals Initiative",
    ),
    (
        "global-gender-guidance",
        "Gender in ASM programmes: practical guidance",
        "toolkit",
        2022,
        "en",
        "global",
        ["gender-social-inclusion"],
        [],
        "GRMI",
        "priya.raman",
        ["gender"],
        "Global Responsible Minerals Initiative",
    ),
    (
        "global-finance-models",
        "Finance models that reach small-scale miners",
        "report",
        2024,
        "en",
        "global",
        ["market-access-finance"],
        ["gold", "gemstones"],
        "GRMI",
        "martin.salas",
        ["finance", "pre-finance"],
        "Martín Salas; Hana Tesfaye",
    ),
    (
        "global-lsm-asm-coexistence",
        "Coexistence of large and small-scale mining: ten cases",
        "case-study",
        2021,
        "en",
        "global",
        ["asm-lsm-relations"],
        ["gold", "copper", "cobalt"],
        "GRMI",
        "neema.kileo",
        ["coexistence"],
        "Global Responsible Minerals Initiative",
    ),
    (
        "global-guia-mercurio",
        "Guía para reducir el mercurio en la minería de oro",
        "training",
        2023,
        "es",
        "global",
        ["environment-mercury"],
        ["gold"],
        "RCMR",
        "lucia.restrepo",
        ["mercurio"],
        "Red Colombiana de Minería Responsable",
    ),
    (
        "global-health-checklist",
        "A health checklist for artisanal mine sites",
        "training",
        2024,
        "en",
        "global",
        ["health-safety"],
        [],
        "GRMI",
        "arjun.naik",
        ["checklist"],
        "Global Responsible Minerals Initiative",
    ),
    (
        "tz-pending-savings",
        "Savings groups at Nyarugusu gold sites",
        "report",
        2025,
        "en",
        ["TZ"],
        ["livelihoods-poverty"],
        ["gold"],
        "LAZAMF",
        "amani.mushi",
        ["savings"],
        "Amani Mushi",
    ),
    (
        "pe-pending-cianuro",
        "Uso de cianuro en plantas pequeñas de Nazca",
        "report",
        2025,
        "es",
        ["PE"],
        ["environment-mercury"],
        ["gold"],
        "AMAP",
        "rosa.quispe",
        ["cianuro"],
        "Rosa Quispe",
    ),
]

# Resources whose PDFs are generated, with the distinctive words the text carries.
PDFS = {
    "geita-gravity-pilot": [
        "In Geita the pilot replaced whole-ore amalgamation with a sluice, a centrifugal "
        "concentrator and a shaking table. Recovery of free gold rose from 35 to 58 per cent.",
        "Miners call the final clean-up step the 'zimbabwe pan'. No mercury was used on site "
        "during the eighteen months of the pilot.",
    ],
    "kahama-shaking-table": [
        "Kahama shaking table: set the deck slope to 2 degrees and feed no more than 150 kg "
        "of concentrate per hour. Meza ya kutikisa inahitaji maji safi.",
        "Clean the riffles every evening; keep a logbook of feed, water and gold recovered.",
    ],
    "co-quimbaya-sluice": [
        "El canalón quimbaya usa alfombras de caucho y una pendiente de 8 por ciento. "
        "Los barequeros del río Nechí recuperan oro fino sin mercurio.",
        "Limpie el canalón cada cuatro horas y lleve el concentrado a la mesa concentradora.",
    ],
    "pe-puno-retorta": [
        "La retorta comunitaria de Ananea recupera el 95 por ciento del mercurio. "
        "Las familias ya no queman la amalgama dentro de sus casas.",
        "Cada turno registra el peso de la amalgama y del mercurio recuperado.",
    ],
    "in-stone-quarry-workers": [
        "Dust readings at twenty Deccan quarries exceeded safe limits on 17 of 20 days. "
        "Wet drilling halved respirable dust within a month.",
        "Workers earn between 300 and 450 rupees a day; most have no written contract.",
    ],
    "global-formalisation-handbook": [
        "Formalisation works when licences are cheap, near and quick. The one-stop "
        "licensing window cut waiting times from fourteen months to six weeks.",
        "Officials should map who already mines where before drawing new mining zones.",
    ],
}

PENDING = {"tz-pending-savings", "pe-pending-cianuro"}
FEATURED = {"geita-gravity-pilot", "co-quimbaya-sluice", "global-formalisation-handbook"}
SUMMARY = {
    "en": "{title}. Prepared by {org} from fieldwork and interviews, for practitioners, "
    "officials and miners' organisations.",
    "sw": "{title}. Prepared by {org} for cooperative processing centres, with field notes "
    "in Swahili and English.",
    "es": "{title}. Elaborado por {org} a partir de trabajo de campo y entrevistas, para "
    "mineros, funcionarios y organizaciones de la sociedad civil.",
}


def _store_pdf(resource: Resource, paragraphs: list[str], language) -> None:
    if resource.files.exists():
        return
    content = make_pdf(title=resource.title, paragraphs=[resource.summary, *paragraphs])
    record = ResourceFile(
        resource=resource,
        original_name=f"{resource.slug}.pdf",
        content_type="application/pdf",
        size=len(content),
        language=language,
        label="Full text",
    )
    record.checked_extension = "pdf"
    record.file.save("upload", ContentFile(content), save=False)
    record.save()
    # Extract now rather than through the task queue, so search works as soon as the demo loads.
    text = extract_field_file(record.file, "pdf")
    record.text = text or ""
    record.extraction = ResourceFile.Extraction.DONE if text else ResourceFile.Extraction.NO_TEXT
    record.save(update_fields=["text", "extraction"])


@transaction.atomic
def load(*, stdout) -> None:
    curator = User.objects.get(email=CURATOR_EMAIL)
    organisations = {o.acronym: o for o in Organisation.objects.all()}
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.asmhub.example")}
    themes = {t.slug: t for t in Theme.objects.all()}
    commodities = {c.slug: c for c in Commodity.objects.all()}
    languages = Language.objects.in_bulk()
    regions = {r.slug: r for r in Region.objects.all()}
    countries = Country.objects.in_bulk()
    base = dt.datetime(2025, 1, 6, 9, 0, tzinfo=dt.UTC)
    ids = []
    for n, row in enumerate(R):
        (
            slug,
            title,
            kind,
            year,
            lang,
            scope,
            theme_slugs,
            commodity_slugs,
            acronym,
            who,
            tags,
            authors,
        ) = row
        organisation = organisations.get(acronym)
        pending = slug in PENDING
        published_at = base + dt.timedelta(days=9 * n)
        resource, _created = Resource.objects.update_or_create(
            slug=slug,
            defaults={
                "title": title,
                "summary": SUMMARY[lang].format(title=title, org=organisation or "ASM Hub"),
                "resource_type": kind,
                "year": year,
                "authors": authors,
                "organisation": organisation,
                "licence": "CC BY 4.0",
                "scope": (
                    Resource.Scope.GLOBAL
                    if scope == "global"
                    else Resource.Scope.REGIONAL
                    if isinstance(scope, str)
                    else Resource.Scope.COUNTRIES
                ),
                "status": Resource.Status.PENDING if pending else Resource.Status.PUBLISHED,
                "submitted_by": users.get(demo_email(who)),
                "reviewed_by": None if pending else curator,
                "reviewed_at": None if pending else published_at - dt.timedelta(hours=3),
                "published_at": None if pending else published_at,
                "featured": slug in FEATURED,
                "external_url": "" if slug in PDFS else f"https://example.org/library/{slug}",
            },
        )
        resource.countries.set([countries[c] for c in scope] if isinstance(scope, list) else [])
        resource.regions.set(
            [regions[scope]] if isinstance(scope, str) and scope in regions else []
        )
        resource.themes.set([themes[t] for t in theme_slugs if t in themes])
        resource.commodities.set([commodities[c] for c in commodity_slugs if c in commodities])
        resource.languages.set([languages[lang]] if lang in languages else [])
        resource.tags.set(tags)
        if slug in PDFS:
            _store_pdf(resource, PDFS[slug], languages.get(lang))
        ids.append(resource.pk)
    resources_reindex(resource_ids=ids)
    published = len(R) - len(PENDING)
    stdout.write(
        f"  resources: {len(R)} resources ({published} published, {len(PENDING)} pending), "
        f"{len(PDFS)} with generated PDFs"
    )
