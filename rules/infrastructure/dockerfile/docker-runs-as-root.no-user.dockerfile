FROM golang:1.22 AS build
RUN go build -o /out/server ./cmd/server

# ruleid: docker-runs-as-root
FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
CMD ["gunicorn", "app:app"]
