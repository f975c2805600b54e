resource "aws_s3_bucket" "assets" {
  bucket = "example-assets"
  # ruleid: tf-s3-public-acl
  acl    = "public-read"
}

resource "aws_s3_bucket_acl" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  # ruleid: tf-s3-public-acl
  acl    = "public-read-write"
}

resource "aws_s3_bucket_acl" "logs" {
  bucket = aws_s3_bucket.logs.id
  # ok: tf-s3-public-acl
  acl    = "log-delivery-write"
}

resource "aws_s3_bucket" "private" {
  bucket = "example-private"
  # ok: tf-s3-public-acl
  acl    = "private"
}

resource "aws_s3_object" "page" {
  bucket = aws_s3_bucket.assets.id
  key    = "index.html"
  # ok: tf-s3-public-acl
  acl    = "public-read"
}
