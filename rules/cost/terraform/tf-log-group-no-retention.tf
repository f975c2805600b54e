# ruleid: tf-log-group-no-retention
resource "aws_cloudwatch_log_group" "api" {
  name = "/ecs/api"
}

# ruleid: tf-log-group-no-retention
resource "aws_cloudwatch_log_group" "worker" {
  name              = "/ecs/worker"
  retention_in_days = 0
  kms_key_id        = aws_kms_key.logs.arn
}

# ok: tf-log-group-no-retention
resource "aws_cloudwatch_log_group" "web" {
  name              = "/ecs/web"
  retention_in_days = 30
}

# ok: tf-log-group-no-retention
resource "aws_cloudwatch_log_group" "audit" {
  name              = "/audit/trail"
  retention_in_days = var.audit_retention_days
}

# ok: tf-log-group-no-retention
resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}
