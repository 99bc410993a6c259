"""URLs of the dialogues component (mounted by asmhub/urls.py)."""

app_name = "dialogues"

urlpatterns = []
