# The HDT server image, for docker-compose.yml (machines with a Docker engine).

# The console: built from its lock file, its operation types generated from schema.graphql.
FROM node:20-slim AS console
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY schema.graphql /src/schema.graphql
COPY web/ ./
RUN npm run build

FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY api api
COPY graph graph
COPY ledger ledger
RUN pip install --no-cache-dir --constraint constraints.txt .
COPY --from=console /src/web/dist /app/web/dist
ENV HDT_HOST=0.0.0.0 HDT_DATA_DIR=/data HDT_CONSOLE_DIR=/app/web/dist
VOLUME /data
EXPOSE 8000
CMD ["hdt", "serve"]
