# ruleid: tf-rds-no-deletion-protection
resource "aws_db_instance" "orders" {
  identifier        = "orders"
  engine            = "postgres"
  instance_class    = "db.m6g.large"
  storage_encrypted = true
}

# ruleid: tf-rds-no-deletion-protection
resource "aws_rds_cluster" "events" {
  cluster_identifier  = "events"
  engine              = "aurora-postgresql"
  deletion_protection = false
}

# ok: tf-rds-no-deletion-protection
resource "aws_db_instance" "billing" {
  identifier          = "billing"
  engine              = "postgres"
  instance_class      = "db.m6g.large"
  deletion_protection = true
}

# ok: tf-rds-no-deletion-protection
resource "aws_rds_cluster" "by_env" {
  cluster_identifier  = "by-env"
  engine              = "aurora-mysql"
  deletion_protection = var.deletion_protection
}
