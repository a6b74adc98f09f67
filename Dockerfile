# syntax=docker/dockerfile:1
# crashbridge: one image for every role (ROLE=api | worker | all).
#   docker build -t crashbridge .
#   docker run -p 3000:3000 -v crashbridge-data:/app/data crashbridge   # embedded PGlite, ROLE=all

# --- build: install everything, compile, then drop the dev dependencies -------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ormconfig.ts ./
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# --- runtime: compiled code and production dependencies only, as user node ---
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# DATA_DIR holds the embedded database and generated keys when DATABASE_URL,
# ADMIN_TOKEN or ENCRYPTION_KEY are unset; mount a volume there in that mode.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# Probes GET /health (200 when PostgreSQL and the queue answer). The slim image has
# no curl, so node does it. A ROLE=worker container serves no HTTP: disable the
# check for it (docker-compose.yml does).
HEALTHCHECK --interval=15s --timeout=5s --start-period=40s --retries=3 \
  CMD ["node", "-e", "require('node:http').get({host:'127.0.0.1',port:process.env.PORT||3000,path:'/health',timeout:4000},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1)).on('timeout',()=>process.exit(1))"]
# node is PID 1 and handles SIGTERM itself: it stops accepting, finishes in-flight
# requests and jobs, and exits within 30 s.
CMD ["node", "dist/src/main.js"]
