"""URLs of the learning_groups component (mounted by asmhub/urls.py)."""

app_name = "learning_groups"

urlpatterns = []
