"""Root URLs: the stable public paths of DESIGN.md."""

from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from asmhub import views
from asmhub.glossary import views as glossary_views
from asmhub.profiles import views as profile_views
from asmhub.sitemaps import all_sitemaps

admin.site.login = views.admin_login
admin.site.site_header = "ASM Hub administration"
admin.site.site_title = "ASM Hub admin"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        sitemap_views.sitemap,
        {"sitemaps": all_sitemaps()},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("countries/<country:code>/", views.country_detail, name="country_detail"),
    path("search/", views.site_search, name="site_search"),
    path("glossary/", glossary_views.glossary, name="glossary"),
    path("resources/", include("resources.urls")),
    path("oai/", include("resources.urls_oai")),
    path("api/", include("asmhub.api")),
    path("groups/", include("learning_groups.urls")),
    path("dialogues/", include("dialogues.urls")),
    path("outlooks/", include("outlooks.urls")),
    path("accounts/profile/", profile_views.profile_edit, name="profile"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
handler500 = "asmhub.views.server_error"
