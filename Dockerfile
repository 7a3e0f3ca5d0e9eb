# Multi-stage build of the platform: the web app (wasm) and the server in a builder, then a small runtime image.
# SQLite and libpq are compiled into the binary, so the runtime needs no database libraries.

FROM rust:1-bookworm AS build
WORKDIR /src
RUN rustup target add wasm32-unknown-unknown
COPY . .
RUN bash scripts/build-web.sh \
 && cargo build --release --locked -p credit-api

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/credit --shell /usr/sbin/nologin credit \
 && mkdir -p /var/lib/credit \
 && chown credit:credit /var/lib/credit
COPY --from=build /src/target/release/credit-api /usr/local/bin/credit-api
COPY --from=build /src/web/dist /srv/credit/web
ENV CREDIT_BIND=0.0.0.0:8080 \
    CREDIT_DATA_DIR=/var/lib/credit \
    CREDIT_WEB_DIR=/srv/credit/web \
    CREDIT_LOG_FORMAT=json
USER credit
VOLUME /var/lib/credit
EXPOSE 8080
CMD ["credit-api", "serve"]
