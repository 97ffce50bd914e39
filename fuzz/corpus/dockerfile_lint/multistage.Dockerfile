# syntax=docker/dockerfile:1
# check=skip=JSONArgsRecommended
ARG GO_VERSION=1.22
FROM golang:${GO_VERSION} AS build
WORKDIR /src
RUN --mount=type=cache,target=/root/.cache/go-build \
    go build -o /out/app ./cmd/app
FROM debian:latest
# hadolint ignore=DL3008
RUN apt-get update && apt-get install -y curl ca-certificates \
 && curl -fsSL https://example.com/install.sh | sh
COPY --from=build /out/app /usr/local/bin/app
ENV API_TOKEN=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB
RUN <<EOF
set -eux
useradd -r app
EOF
USER app
EXPOSE 22 8080
LABEL maintainer="someone@example.com" version="1.2.3"
HEALTHCHECK CMD curl -f http://localhost:8080/ || exit 1
CMD app --serve
