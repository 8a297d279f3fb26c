# Production image: gunicorn serving Django (static files via whitenoise), also used for the Celery worker/beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's libraries (HarfBuzz subsetting makes PDFs about twice as fast), fonts shipped in the image.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-dejavu-core fonts-liberation2 gettext \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 anlaufstelle
WORKDIR /app

COPY pyproject.toml ./
RUN pip install --upgrade pip && pip install .

COPY . .
# collectstatic needs settings; these build-time values are not used at run time.
RUN SECRET_KEY=build-only DATABASE_URL=postgresql://build@localhost/build ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput \
 && mkdir -p /data/documents && chown -R anlaufstelle /data

USER anlaufstelle
ENV DOCUMENTS_ROOT=/data/documents DATA_DIR=/data
EXPOSE 8000
CMD ["gunicorn", "jobcenter.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
