# Multi-stage build of the platform: the web app (wasm) and the server in a builder, then a small runtime image.
# SQLite and libpq are compiled into the binary (bundled), so the runtime needs no database libraries; libpq's
# TLS comes from the system OpenSSL (libssl3).
#
#   docker build -t credit-platform .        (or: docker compose up -d, see docker-compose.yml)

FROM rust:1-bookworm AS build
WORKDIR /src
RUN rustup target add wasm32-unknown-unknown
# The wasm-bindgen CLI at exactly the version Cargo.lock pins, in a layer of its own: it changes rarely.
COPY Cargo.lock /tmp/Cargo.lock
RUN version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' /tmp/Cargo.lock) \
 && test -n "$version" \
 && cargo install --locked wasm-bindgen-cli --version "$version" \
 && rm /tmp/Cargo.lock
COPY . .
RUN bash scripts/build-web.sh \
 && cargo build --release --locked -p credit-api

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libssl3 postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --no-log-init --uid 10001 --user-group --home-dir /var/lib/credit --shell /usr/sbin/nologin credit \
 && mkdir -p /var/lib/credit /srv/credit \
 && chown credit:credit /var/lib/credit
COPY --from=build /src/target/release/credit-api /usr/local/bin/credit-api
COPY --from=build /src/web/dist /srv/credit/web
ENV CREDIT_DATA_DIR=/var/lib/credit \
    CREDIT_WEB_DIR=/srv/credit/web \
    CREDIT_LOG_FORMAT=json
USER credit
WORKDIR /var/lib/credit
VOLUME /var/lib/credit
EXPOSE 8080
# No curl in the image: bash itself asks /readyz (200 once the database is migrated and answers).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=6 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf "GET /readyz HTTP/1.0\r\n\r\n" >&3 && head -n 1 <&3 | grep -q " 200 "'
CMD ["credit-api", "serve", "--bind", "0.0.0.0:8080"]
