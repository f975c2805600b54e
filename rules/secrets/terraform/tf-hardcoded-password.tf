resource "aws_db_instance" "orders" {
  identifier = "orders"
  username   = "orders"
  # ruleid: tf-hardcoded-password
  password   = "Sup3rS3cret-2024"
}

resource "aws_rds_cluster" "events" {
  cluster_identifier = "events"
  # ruleid: tf-hardcoded-password
  master_password    = "hunter2hunter2"
}

resource "aws_db_instance" "billing" {
  identifier = "billing"
  # ok: tf-hardcoded-password
  password   = random_password.billing.result
}

resource "aws_db_instance" "reports" {
  # ok: tf-hardcoded-password
  password = var.reports_db_password
}

resource "aws_db_instance" "interp" {
  # ok: tf-hardcoded-password
  password = "${data.aws_ssm_parameter.db.value}"
}

resource "aws_db_instance" "placeholder" {
  # ok: tf-hardcoded-password
  password = "changeme"
}
