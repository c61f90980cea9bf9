# syntax=docker/dockerfile:1

# --- front-end assets from the npm registry (pinned by package-lock.json) ----------------
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

# --- build: a static binary with templates, migrations and static assets embedded -------
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=assets /src/node_modules/htmx.org/dist/htmx.min.js web/static/vendor/htmx.min.js
RUN CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /iop ./cmd/iop

# --- runtime: no shell, no package manager, runs as uid 65532 ----------------------------
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /iop /iop
ENV HTTP_ADDR=0.0.0.0:8080
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/iop"]
CMD ["serve"]
