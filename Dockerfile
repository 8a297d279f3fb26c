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
    scripts/collectstatic \
 && mkdir -p /data/documents && chown -R anlaufstelle /data

USER anlaufstelle
ENV DOCUMENTS_ROOT=/data/documents DATA_DIR=/data
EXPOSE 8000
# The same entry points as docker-compose.yml and the deployed-stack test (tests/deployed/): scripts/web, worker, beat.
CMD ["scripts/web"]
