# The production image: one image, four process kinds (web, worker, beat, optional simulator).
FROM python:3.12-slim-bookworm
# Websocket per-message deflate off unless the deployment says otherwise (command/serving.py).
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_MODE=production UVICORN_WS_PER_MESSAGE_DEFLATE=false
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY . .
# collectstatic needs settings but no live services: placeholders only for this build step.
RUN SECRET_KEY=build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(60))') ALLOWED_HOSTS=build \
    DATABASE_URL=postgresql://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput
RUN useradd --system --uid 10001 dispatch && chown -R dispatch /app
USER dispatch
EXPOSE 8000
CMD ["uvicorn", "command.asgi:application", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers"]
