# ASM Hub production image: gunicorn serving asmhub.wsgi, static files collected at build.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

# pango and a font: PDF export (WeasyPrint draws no text without a font; slim has none).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 asmhub
WORKDIR /app

# Dependencies first (a layer that survives code changes): an editable install of /app.
COPY pyproject.toml README.md ./
COPY asmhub/__init__.py asmhub/__init__.py
RUN pip install -e ".[s3]"

COPY --chown=asmhub:asmhub . .

# collectstatic needs settings, not secrets or a database: give it throwaway values.
RUN DJANGO_SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build \
    DJANGO_SITE_URL=https://build.invalid \
    python manage.py collectstatic --noinput

RUN mkdir -p /app/media && chown asmhub:asmhub /app/media
USER asmhub
ENV DJANGO_MEDIA_ROOT=/app/media
EXPOSE 8000
# Migrations on start, then gunicorn (workers and port overridable from the environment).
CMD ["sh", "-c", "python manage.py migrate --noinput && exec gunicorn asmhub.wsgi --bind 0.0.0.0:${PORT:-8000} --workers ${GUNICORN_WORKERS:-3} --access-logfile -"]
