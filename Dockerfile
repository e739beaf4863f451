# syntax=docker/dockerfile:1
# Offboarder's production image. Two stages: `build` has the compiler toolchain that
# better-sqlite3's native addon needs and the dev dependencies tsc needs; `runtime` has
# neither, runs as an unprivileged user, and can write only to DATA_DIR (/data).
# Build: docker build -t offboarder .   Settings: .env.sample (the image sets only the four below).

ARG NODE_IMAGE=node:20-bookworm

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# npm 11 honours package.json's allowScripts (the Node 20 image ships npm 10, which ignores it).
RUN npm install -g npm@11.19.1 --no-audit --no-fund
# Lockfile first so the dependency layer is cached until package*.json change.
# The full Debian image has python3, make and g++ for better-sqlite3's node-gyp fallback.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json index.ts ./
COPY bot ./bot
COPY cards ./cards
COPY sandbox ./sandbox
COPY scripts ./scripts
# tsconfig.build.json compiles scripts/, and scripts/screenshots.ts imports test helpers.
COPY test ./test
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}-slim AS runtime
# A system user with no home and no shell; it owns nothing but /data.
RUN useradd --system --uid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin offboarder \
 && mkdir -p /data && chown offboarder:offboarder /data && chmod 0700 /data \
 && chmod 0755 /tmp /var/tmp
WORKDIR /app
# Code and modules stay root-owned and read-only for the bot.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
ENV PORT=3978 \
    HOST=0.0.0.0 \
    DATA_DIR=/data \
    LOG_LEVEL=info
USER offboarder
EXPOSE 3978
# /healthz answers while the process serves HTTP; /readyz (store and Defender token) is
# the orchestrator's readiness probe, not a reason to restart the container.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node directly (not npm) so SIGTERM reaches the bot, which finishes in-flight turns.
CMD ["node", "dist/index.js"]
