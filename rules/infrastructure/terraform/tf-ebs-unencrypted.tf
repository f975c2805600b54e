# ruleid: tf-ebs-unencrypted
resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 200
  type              = "gp3"
}

# ruleid: tf-ebs-unencrypted
resource "aws_ebs_volume" "scratch" {
  availability_zone = "eu-west-1a"
  size              = 50
  encrypted         = false
}

# ok: tf-ebs-unencrypted
resource "aws_ebs_volume" "secure" {
  availability_zone = "eu-west-1a"
  size              = 200
  encrypted         = true
  kms_key_id        = aws_kms_key.ebs.arn
}

# ok: tf-ebs-unencrypted
resource "aws_ebs_volume" "restored" {
  availability_zone = "eu-west-1a"
  snapshot_id       = aws_ebs_snapshot.nightly.id
}

# ok: tf-ebs-unencrypted
resource "aws_ebs_volume" "toggle" {
  availability_zone = "eu-west-1a"
  size              = 20
  encrypted         = var.encrypt_volumes
}
