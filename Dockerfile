# syntax=docker/dockerfile:1

# ---- build: install all dependencies, compile TypeScript, drop dev dependencies ---------------------
# Node 24: an LTS line (in maintenance since October 2026, supported until April 2028) and the newest
# that both this image and AWS Lambda (nodejs24.x, deploy/template.yaml) run. The Node policy, the
# versions package.json's engines accept and when they change: docs/development.md ("Node versions").
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

# Node does the GET (alpine has BusyBox wget, but node needs no flags nor a shell and is surely
# there). /health answers as soon as the HTTP server is up.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]

# Exec form: the image's entrypoint execs node, so SIGTERM from `docker stop` / ECS reaches it and
# the app (src/main.ts) lets the messages in hand finish (up to 30 s) before exiting. Docker and ECS
# send SIGKILL after their own grace: `docker stop` waits 10 s and ECS 30 s by default, so give
# them 40 s (`docker run --stop-timeout 40`, compose `stop_grace_period: 40s`, ECS container
# `stopTimeout: 40`); a message cut off is not lost, it returns after its visibility timeout.
STOPSIGNAL SIGTERM
# The heap is sized for the app, not for the host. V8 sizes it from the machine's (or the container
# limit's) memory; on a large host it reserves 32 MB of young generation and lets garbage grow the
# old space to four times the live heap (~30 MB), which took the app to 176-237 MB under 100
# concurrent webhooks. 4 MB semi-spaces and a 512 MB ceiling (under which V8 also grows the old
# space by a smaller factor) kept the benchmark's peaks at 115-138 MB for ~10% more CPU in bursts.
# The same flags as `npm start`, which the benchmark runs; docs/performance.md, "Memory".
CMD ["node", "--max-semi-space-size=4", "--max-old-space-size=512", "lib/main.js"]
