"""The library's part of a country page (/countries/<code>/): its newest resources."""

from resources.selectors import resources_for_country


def country_section(request, country):
    results, total = resources_for_country(code=country.code)
    return {
        "template": "resources/_country_section.html",
        "country": country,
        "results": results,
        "total": total,
    }
