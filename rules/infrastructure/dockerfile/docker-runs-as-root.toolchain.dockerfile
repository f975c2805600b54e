# A build environment image: the toolchain base is skipped.
# ok: docker-runs-as-root
FROM golang:1.22-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends protobuf-compiler
WORKDIR /src
EXPOSE 8080
CMD ["make", "build"]
