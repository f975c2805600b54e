# ruleid: tf-rds-unencrypted
resource "aws_db_instance" "orders" {
  identifier        = "orders"
  engine            = "postgres"
  engine_version    = "16.3"
  instance_class    = "db.m6g.large"
  allocated_storage = 100
}

# ruleid: tf-rds-unencrypted
resource "aws_rds_cluster" "events" {
  cluster_identifier = "events"
  engine             = "aurora-postgresql"
  storage_encrypted  = false
}

# ok: tf-rds-unencrypted
resource "aws_db_instance" "billing" {
  identifier        = "billing"
  engine            = "postgres"
  instance_class    = "db.m6g.large"
  storage_encrypted = true
  kms_key_id        = aws_kms_key.db.arn
}

# ok: tf-rds-unencrypted
resource "aws_db_instance" "orders_replica" {
  identifier          = "orders-replica"
  replicate_source_db = aws_db_instance.orders.identifier
  instance_class      = "db.m6g.large"
}

# ok: tf-rds-unencrypted
resource "aws_db_instance" "configurable" {
  identifier        = "configurable"
  engine            = "mysql"
  instance_class    = "db.t4g.small"
  storage_encrypted = var.storage_encrypted
}
