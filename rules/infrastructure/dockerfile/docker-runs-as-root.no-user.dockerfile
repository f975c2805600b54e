FROM golang:1.22 AS build
RUN go build -o /out/server ./cmd/server

# ruleid: docker-runs-as-root
FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
EXPOSE 8000
CMD ["gunicorn", "app:app"]
