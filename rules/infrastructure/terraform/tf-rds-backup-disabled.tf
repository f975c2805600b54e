resource "aws_db_instance" "orders" {
  identifier              = "orders"
  engine                  = "postgres"
  instance_class          = "db.m6g.large"
  # ruleid: tf-rds-backup-disabled
  backup_retention_period = 0
}

resource "aws_rds_cluster" "events" {
  cluster_identifier      = "events"
  engine                  = "aurora-postgresql"
  # ruleid: tf-rds-backup-disabled
  backup_retention_period = 0
}

resource "aws_db_instance" "billing" {
  identifier              = "billing"
  engine                  = "postgres"
  instance_class          = "db.m6g.large"
  # ok: tf-rds-backup-disabled
  backup_retention_period = 14
}

resource "aws_db_instance" "orders_replica" {
  identifier              = "orders-replica"
  replicate_source_db     = aws_db_instance.orders.identifier
  instance_class          = "db.m6g.large"
  # ok: tf-rds-backup-disabled
  backup_retention_period = 0
}

resource "aws_elasticache_cluster" "cache" {
  cluster_id               = "cache"
  engine                   = "redis"
  # ok: tf-rds-backup-disabled
  snapshot_retention_limit = 0
}
