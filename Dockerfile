# syntax=docker/dockerfile:1
# The Causeway image: `causeway` (controller, webhook, offline tools) and `causeway-proxy` (the data
# plane alone, which `causeway proxy` execs).
#   docker build -t causeway:0.1.0 .

# Build stage: the Swift toolchain. scripts/build-release.sh holds the compiler flags, shared
# with CI (scripts/check-release-binary.sh), and installs into /staging the same tree the
# runtime stage copies to /usr/local.
FROM swift:6.3-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcurl4-openssl-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The cache keeps compiled dependencies between image builds; the binary is copied out of it.
RUN --mount=type=cache,target=/src/.build-static \
    scripts/build-release.sh /staging

# Runtime stage: the Swift runtime is linked into the binary, so only C libraries remain.
# scripts/check-release-binary.sh fails when the binary needs a library that no package here
# (or in the base image) provides; keep its runtime_packages list equal to this one.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libcurl4 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /staging/ /usr/local/
# 65532 is the conventional "nonroot" id; the chart runs the pod with the same one.
USER 65532:65532
# 8081: /metrics, /healthz, /readyz; 15010: the configuration server proxies connect to.
EXPOSE 8081 15010
ENTRYPOINT ["/usr/local/bin/causeway"]
CMD ["--help"]
