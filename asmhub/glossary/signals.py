"""Forget the in-process glossary index when a curator edits a term (see selectors)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from asmhub.glossary.models import Term
from asmhub.glossary.selectors import forget_index


@receiver([post_save, post_delete], sender=Term)
def _term_changed(sender, **kwargs):
    forget_index()
