# Gatehouse: the GraphQL server and the built dashboard in one image (docs/deployment.md "The image").
# Node 24 is the Active LTS line. Two stages: `build` has every dependency (TypeScript, Vite) and builds shared/,
# server/ and web/; the runtime stage installs the production dependencies of the two workspaces that run
# (server, shared) afresh from the lock file and copies only the built output. test/docker-compose.test.ts holds
# this shape (multi-stage, non-root USER, no devDependency in the runtime stage).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.base.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY web/package.json web/
COPY test/package.json test/
RUN npm ci --no-audit --no-fund
COPY shared shared
COPY server server
COPY web web
RUN npm run build

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=4000 DATA_DIR=/app/data
WORKDIR /app
# Every workspace's package.json (npm reads the lock file's workspaces), but only server's and shared's
# production dependencies are installed: not web's (the dashboard is built), not test's, no devDependency.
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY web/package.json web/
COPY test/package.json test/
RUN npm ci --omit=dev --workspace server --workspace shared --ignore-scripts --no-audit --no-fund \
  && npm cache clean --force
COPY --from=build /app/shared/dist shared/dist
COPY --from=build /app/server/dist server/dist
COPY --from=build /app/web/dist web/dist
# The embedded database (no DATABASE_URL) and its audit signing key live in /app/data: owned by the unprivileged
# `node` user (uid 1000) the server runs as, and a volume so they outlive the container.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node
EXPOSE 4000
# Ready: migrated, the database answers, not shutting down.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--enable-source-maps", "server/dist/main.js"]
