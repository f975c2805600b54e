"""Prometheus metrics, one registry per process (served on /metrics)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry()

DELIVERIES = Counter("prodready_webhook_deliveries_total", "Webhook deliveries by event and outcome",
                     ["event", "outcome"], registry=REGISTRY)
REVIEWS = Counter("prodready_reviews_total", "Completed reviews by check-run conclusion", ["conclusion"],
                  registry=REGISTRY)
REVIEW_SECONDS = Histogram("prodready_review_duration_seconds", "Wall time of one review job",
                           buckets=(0.5, 1, 2, 5, 10, 20, 40, 80, 160, 320), registry=REGISTRY)
GITHUB_ERRORS = Counter("prodready_github_api_errors_total", "GitHub API errors by HTTP status", ["status"],
                        registry=REGISTRY)
JOBS = Counter("prodready_jobs_total", "Queue jobs by outcome", ["outcome"], registry=REGISTRY)
QUEUE_JOBS = Gauge("prodready_queue_jobs", "Jobs in the queue by state, read at each scrape", ["state"],
                   registry=REGISTRY)
DATASOURCE_REQUESTS = Counter("prodready_datasource_requests_total",
                              "Registry and OSV lookups by source and outcome (cache, ok, not_found, unreachable)",
                              ["source", "outcome"], registry=REGISTRY)
COMMANDS = Counter("prodready_commands_total", "/prodready commands by where they were written and outcome",
                   ["source", "outcome"],
                   registry=REGISTRY)
THREADS = Counter("prodready_review_threads_total", "Fixed review threads by outcome (resolved, failed)",
                  ["outcome"], registry=REGISTRY)
QUEUE_ERRORS = Counter("prodready_queue_errors_total", "Queue operations that failed and were retried, by operation",
                       ["op"], registry=REGISTRY)
QUEUE_OLDEST_AGE = Gauge("prodready_queue_oldest_age_seconds",
                         "Seconds the oldest ready job has waited to be claimed, read at each scrape",
                         registry=REGISTRY)
GITHUB_REQUESTS = Counter("prodready_github_requests_total", "HTTP requests to GitHub by method and status",
                          ["method", "status"], registry=REGISTRY)
GITHUB_RATE_REMAINING = Gauge("prodready_github_rate_limit_remaining",
                              "x-ratelimit-remaining of the latest GitHub response, by rate-limit resource",
                              ["resource"], registry=REGISTRY)
WORKER_UP = Gauge("prodready_worker_up", "1 while this process's worker loop runs", registry=REGISTRY)
ARCHIVES = Counter("prodready_repository_archives_total",
                   "Repository archives fetched for a side of a PR, by outcome (extracted, unavailable)",
                   ["outcome"], registry=REGISTRY)
CONDITIONAL = Counter("prodready_conditional_requests_total",
                      "Policy-file reads with a cached ETag, by answer (first, modified, not_modified)",
                      ["outcome"], registry=REGISTRY)
