"""Zero lost writes: every write the load test was told succeeded is in the database, with its
file in storage. Run against the stack's environment; exits 1 when anything is missing."""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asmhub.settings")

import django  # noqa: E402

django.setup()

from django.core.files.storage import default_storage  # noqa: E402

from learning_groups.models import Meeting  # noqa: E402
from resources.models import Resource  # noqa: E402


def main(path: str) -> int:
    writes = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    missing = []
    counts = {}
    for write in writes:
        counts[write["kind"]] = counts.get(write["kind"], 0) + 1
        if write["kind"] == "resource":
            resource = Resource.objects.filter(title=write["title"]).first()
            files = list(resource.files.all()) if resource else []
            stored = all(default_storage.exists(f.file.name) for f in files)
            if not resource or not files or not stored:
                missing.append(write)
        elif write["kind"] == "meeting" and not Meeting.objects.filter(title=write["title"]):
            missing.append(write)
    print(json.dumps({"confirmed_writes": counts, "missing": missing}, indent=2))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
