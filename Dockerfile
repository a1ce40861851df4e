# syntax=docker/dockerfile:1

# ---- build: install all dependencies, compile TypeScript, drop dev dependencies ---------------------
# node:24 is the current Active LTS; the app itself also supports Node >= 20.18 (package.json engines).
FROM node:24-alpine AS build
WORKDIR /app

# Manifests first, so the dependency layer is reused until package*.json change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json ./
COPY src/ ./src/
COPY app.yml ./
# tsc -p tsconfig.build.json: src/ -> lib/, entry point lib/main.js
RUN npm run build \
    && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: production dependencies + compiled output only, as the unprivileged node user --------
FROM node:24-alpine AS runtime
WORKDIR /app

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json

# Owned by root and only readable by the node user: a compromised process cannot rewrite its code.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/lib ./lib
COPY --from=build /app/app.yml ./app.yml

USER node
EXPOSE 3000

# No curl/wget in alpine: let node do the GET. /health answers as soon as the HTTP server is up.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]

# Exec form: the image's entrypoint execs node, so SIGTERM from `docker stop` / ECS reaches it and
# the app (src/main.ts) drains the SQS consumer before exiting.
# The heap is sized for the app, not for the host. V8 sizes it from the machine's (or the container
# limit's) memory; on a large host it reserves 32 MB of young generation and lets garbage grow the
# old space to four times the live heap (~30 MB), which took the app to 176-237 MB under 100
# concurrent webhooks. 4 MB semi-spaces and a 512 MB ceiling (under which V8 also grows the old
# space by a smaller factor) kept the benchmark's peaks at 115-138 MB for ~10% more CPU in bursts.
# The same flags as `npm start`, which the benchmark runs; README, "Performance" > "Memory".
CMD ["node", "--max-semi-space-size=4", "--max-old-space-size=512", "lib/main.js"]
