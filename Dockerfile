# One image per service from one file: docker build --build-arg APP=publication -t sozialmonitor-publication .
# syntax=docker/dockerfile:1.7
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
ARG APP
RUN test -n "$APP" && npx nest build "$APP" \
 && if [ "$APP" = publication ]; then npx vite build --config apps/publication/web/vite.config.ts; fi

FROM node:20-bookworm-slim AS prod-deps
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim
ARG APP
ENV NODE_ENV=production APP=${APP}
# Reports are printed to PDF by Debian's Chromium (playwright-core never downloads a browser): only the
# publication image carries it. Its profile and caches go to /tmp (the root filesystem is read-only in k8s).
RUN if [ "$APP" = publication ]; then \
      apt-get update \
      && apt-get install -y --no-install-recommends chromium fonts-dejavu-core \
      && rm -rf /var/lib/apt/lists/*; \
    fi
ENV PUBLICATION_CHROMIUM_PATH=/usr/bin/chromium XDG_CONFIG_HOME=/tmp/.config XDG_CACHE_HOME=/tmp/.cache
WORKDIR /app
COPY --from=prod-deps /src/node_modules ./node_modules
COPY --from=build /src/dist/apps/${APP} ./dist/apps/${APP}
# The map's boundaries (PUBLICATION_BOUNDARIES_FILE; publication only reads them, others ignore them).
COPY libs/regions/data/kreis_pinneberg_gemeinden_vg5000.geojson libs/regions/data/ATTRIBUTION.md ./libs/regions/data/
COPY package.json ./
# Exec-form CMD cannot expand $APP: a link fixed at build time names the app's bundle.
RUN ln -s "dist/apps/${APP}/main.js" service.js
USER node
EXPOSE 3000 3001 3002 3003
CMD ["node", "service.js"]
