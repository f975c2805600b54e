# ruleid: tf-rds-no-multi-az
resource "aws_db_instance" "orders" {
  identifier        = "orders"
  engine            = "postgres"
  instance_class    = "db.m6g.large"
  storage_encrypted = true
}

# ruleid: tf-rds-no-multi-az
resource "aws_db_instance" "users" {
  identifier     = "users"
  engine         = "mysql"
  instance_class = "db.m6g.large"
  multi_az       = false
}

# ok: tf-rds-no-multi-az
resource "aws_db_instance" "billing" {
  identifier     = "billing"
  engine         = "postgres"
  instance_class = "db.m6g.large"
  multi_az       = true
}

# ok: tf-rds-no-multi-az
resource "aws_db_instance" "by_env" {
  identifier     = "by-env"
  engine         = "postgres"
  instance_class = "db.m6g.large"
  multi_az       = var.environment == "production"
}

# ok: tf-rds-no-multi-az
resource "aws_db_instance" "replica" {
  identifier          = "orders-replica"
  replicate_source_db = aws_db_instance.orders.identifier
  instance_class      = "db.m6g.large"
}
