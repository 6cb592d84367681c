# The HDT server image, for docker-compose.yml (machines with a Docker engine).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY api api
COPY graph graph
COPY ledger ledger
RUN pip install --no-cache-dir --constraint constraints.txt .
ENV HDT_HOST=0.0.0.0 HDT_DATA_DIR=/data
VOLUME /data
EXPOSE 8000
CMD ["hdt", "serve"]
