# Bullpen as a container image: a static (musl) binary on Alpine.
#
#   docker build -t bullpen .
#   docker run --rm -v "$PWD:/site" bullpen build
#
# The base is Alpine rather than scratch or distroless because `diff`, and
# the last-change dates on playbooks, run `git`, and because CI systems
# (GitLab's `image:`) run their scripts with the image's shell. The binary
# itself needs nothing from the base.

FROM rust:1-alpine AS build
# mimalloc (the allocator) is C, compiled by its build script.
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY . .
# The image has no .git; the release workflow passes the commit in.
ARG BULLPEN_REVISION=unknown
ENV BULLPEN_REVISION=${BULLPEN_REVISION}
# Rust links musl targets statically by default.
RUN cargo build --release --locked \
    && cp target/release/bullpen /bullpen \
    && /bullpen --version

FROM alpine:3.22
# A site mounted from the host is owned by another user; git would refuse
# to read its history ("dubious ownership") without this.
RUN apk add --no-cache git \
    && git config --system --add safe.directory '*'
COPY --from=build /bullpen /usr/local/bin/bullpen
WORKDIR /site
ENTRYPOINT ["bullpen"]
CMD ["--help"]
