resource "aws_db_instance" "reporting" {
  identifier          = "reporting"
  engine              = "postgres"
  instance_class      = "db.t4g.medium"
  # ruleid: tf-rds-publicly-accessible
  publicly_accessible = false
}

resource "aws_rds_cluster_instance" "writer" {
  cluster_identifier  = aws_rds_cluster.main.id
  instance_class      = "db.r6g.large"
  engine              = "aurora-postgresql"
  # ruleid: tf-rds-publicly-accessible
  publicly_accessible = false
}

resource "aws_db_instance" "orders" {
  identifier          = "orders"
  engine              = "postgres"
  instance_class      = "db.t4g.medium"
  # ok: tf-rds-publicly-accessible
  publicly_accessible = false
}

resource "aws_dms_replication_instance" "dms" {
  replication_instance_id    = "dms"
  replication_instance_class = "dms.t3.medium"
  # ok: tf-rds-publicly-accessible
  publicly_accessible        = true
}
