"""URLs of the resources component (mounted by asmhub/urls.py)."""

app_name = "resources"

urlpatterns = []
