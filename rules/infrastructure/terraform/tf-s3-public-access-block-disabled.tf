resource "aws_s3_bucket_public_access_block" "data" {
  bucket = aws_s3_bucket.data.id

  # ruleid: tf-s3-public-access-block-disabled
  block_public_acls       = false
  # ruleid: tf-s3-public-access-block-disabled
  block_public_policy     = false
  # ok: tf-s3-public-access-block-disabled
  ignore_public_acls      = true
  # ok: tf-s3-public-access-block-disabled
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id
  versioning_configuration {
    status = "Enabled"
  }
  # ok: tf-s3-public-access-block-disabled
  mfa_delete = false
}

resource "aws_s3_bucket_public_access_block" "strict" {
  bucket                  = aws_s3_bucket.strict.id
  # ok: tf-s3-public-access-block-disabled
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = var.restrict_public_buckets
}
