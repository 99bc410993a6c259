"""URLs of the outlooks component (mounted by asmhub/urls.py)."""

app_name = "outlooks"

urlpatterns = []
