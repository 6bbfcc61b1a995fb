# syntax=docker/dockerfile:1
# briefbot: a static, CGO-free build on a small non-root runtime image.
#   docker build -t briefbot .
#   docker run -p 8080:8080 -v briefbot-data:/data -e SLACK_BOT_TOKEN=… -e SLACK_SIGNING_SECRET=… briefbot

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# The end-to-end test builds with exactly this line (cmd/briefbot/e2e_test.go reads it from here).
RUN CGO_ENABLED=0 go build -trimpath -ldflags=-s -o /out/briefbot ./cmd/briefbot
RUN mkdir -p /out/data

# distroless/static: CA certificates and time-zone data, no shell, runs as nonroot (65532).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/briefbot /usr/local/bin/briefbot
COPY --from=build --chown=65532:65532 /out/data /data
ENV BRIEFBOT_DB=/data/briefbot.db \
    BRIEFBOT_HTTP_ADDR=:8080
VOLUME ["/data"]
EXPOSE 8080
USER 65532:65532
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 CMD ["/usr/local/bin/briefbot", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/briefbot"]
CMD ["serve"]
