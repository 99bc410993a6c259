# PostgreSQL extensions the search features need: trigram similarity and accent folding.
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]

    operations = [TrigramExtension(), UnaccentExtension()]
