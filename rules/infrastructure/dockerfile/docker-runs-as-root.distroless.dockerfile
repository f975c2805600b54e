FROM golang:1.22 AS build
RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server

# ok: docker-runs-as-root
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/server /server
EXPOSE 8080
ENTRYPOINT ["/server"]
