"""Background work of the library: text extraction (run by `manage.py db_worker`)."""

from django_tasks import task

from resources.extraction import extract_field_file
from resources.models import ResourceFile
from resources.search import resource_reindex


@task()
def extract_file_text(file_id: int) -> str:
    """Read the text of one uploaded file, store it, and make it searchable.

    Returns the extraction state ("done", "no-text") or "gone" if the file was deleted first.
    """
    record = ResourceFile.objects.filter(pk=file_id).first()
    if record is None:
        return "gone"
    try:
        text = extract_field_file(record.file, record.extension) or ""
    except OSError:  # the stored file is missing or unreadable: nothing to index
        text = ""
    state = ResourceFile.Extraction.DONE if text.strip() else ResourceFile.Extraction.NO_TEXT
    ResourceFile.objects.filter(pk=file_id).update(text=text, extraction=state)
    resource_reindex(resource_id=record.resource_id)
    return state
