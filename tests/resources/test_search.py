"""The stored search vector and the query: websearch syntax, accents, stemming, weights."""

import pytest
from django.contrib.postgres.search import SearchRank

from resources.models import Resource
from resources.search import FILE_TEXT_CAP, resource_reindex, search_query
from tests.resources.helpers import indexed_resource

pytestmark = pytest.mark.django_db


def found(text):
    return set(
        Resource.objects.published()
        .filter(search_vector=search_query(text))
        .values_list("title", flat=True)
    )


def test_websearch_syntax_phrases_or_and_exclusion():
    indexed_resource(title="Mercury free gold processing", summary="Gravity tables in Tanzania.")
    indexed_resource(title="Free trade in gold and mercury", summary="Markets.")
    indexed_resource(title="Cobalt artisanal mines", summary="Katanga copperbelt.")
    assert found('"mercury free"') == {"Mercury free gold processing"}
    both = {"Mercury free gold processing", "Free trade in gold and mercury"}
    assert found("mercury free") == both
    assert found('gold -"free trade"') == {"Mercury free gold processing"}
    assert found("cobalt OR gravity") == {"Cobalt artisanal mines", "Mercury free gold processing"}
    assert found("gold -trade") == {"Mercury free gold processing"}


def test_accents_are_ignored_both_ways():
    indexed_resource(title="La minería artesanal en Perú", languages=["es"])
    indexed_resource(title="Pequena mineracao sem acentos", languages=["pt"])
    assert found("mineria") == {"La minería artesanal en Perú"}
    assert found("MINERÍA peru") == {"La minería artesanal en Perú"}
    assert found("mineração") == {"Pequena mineracao sem acentos"}


@pytest.mark.parametrize(
    ("language", "title", "query"),
    [
        ("en", "Miners organising cooperatives", "cooperative miner organisation"),
        ("es", "Las cooperativas mineras de Bolivia", "cooperativa minera"),
        ("fr", "Les exploitations minières artisanales", "exploitation minière artisanale"),
    ],
)
def test_stemming_fits_the_resource_language(language, title, query):
    resource = indexed_resource(title=title, languages=[language])
    assert (
        resource.search_config
        == {"en": "asm_english", "es": "asm_spanish", "fr": "asm_french"}[language]
    )
    assert found(query) == {title}


def test_other_languages_use_simple_configuration():
    resource = indexed_resource(title="Uchimbaji mdogo wa dhahabu", languages=["sw"])
    assert resource.search_config == "asm_simple"
    assert found("dhahabu") == {"Uchimbaji mdogo wa dhahabu"}


def test_word_in_a_file_is_found_after_reindex():
    resource = indexed_resource(title="Annual report", summary="Figures.", languages=["en"])
    assert found("retorting") == set()
    resource.files.create(
        file="resources/x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=10,
        text="Miners use retorting to capture mercury vapour.",
    )
    assert found("retorting") == set()  # not until reindexed
    resource_reindex(resource_id=resource.pk)
    assert found("retorting") == {"Annual report"}
    assert found("retort") == {"Annual report"}  # stemmed like the resource's text


def test_file_text_is_stemmed_in_the_file_language():
    indexed_resource(
        title="Toolkit", languages=["en"], files=[("Las cooperativas mineras trabajan.", "es")]
    )
    assert found("cooperativa") == {"Toolkit"}


def test_huge_file_text_is_capped():
    filler = "sediment " * (FILE_TEXT_CAP // 9 + 100)
    resource = indexed_resource(title="Long", files=[(filler + " zanzibarite", None)])
    assert resource.search_vector is not None
    assert found("sediment") == {"Long"}
    assert found("zanzibarite") == set()  # beyond the cap


def test_vector_weights_title_above_body():
    title_hit = indexed_resource(title="Tailings dams", summary="Storage.")
    body_hit = indexed_resource(
        title="Annual report", summary="Figures.", files=[("notes on tailings dams", None)]
    )
    ranked = list(
        Resource.objects.filter(pk__in=[title_hit.pk, body_hit.pk])
        .annotate(rank=SearchRank("search_vector", search_query("tailings")))
        .order_by("-rank")
        .values_list("pk", flat=True)
    )
    assert ranked == [title_hit.pk, body_hit.pk]


def test_facet_tokens_follow_metadata():
    resource = indexed_resource(
        title="Gold in East Africa",
        countries=["TZ"],
        languages=["en"],
        tags=["Mercury"],
        commodities=["gold"],
        themes=["child-labour"],
        year=2023,
        resource_type="case-study",
    )
    assert set(resource.facets) >= {
        "country:TZ",
        "language:en",
        "tag:mercury",
        "commodity:gold",
        "theme:child-labour",
        "year:2023",
        "type:case-study",
    }
