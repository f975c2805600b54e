resource "google_storage_bucket_iam_member" "public_read" {
  bucket = google_storage_bucket.assets.name
  role   = "roles/storage.objectViewer"
  # ruleid: tf-gcs-bucket-public-iam
  member = "allUsers"
}

resource "google_storage_bucket_iam_binding" "viewers" {
  bucket = google_storage_bucket.reports.name
  role   = "roles/storage.objectViewer"
  # ruleid: tf-gcs-bucket-public-iam
  members = ["group:analysts@example.com", "allAuthenticatedUsers"]
}

resource "google_storage_bucket_iam_member" "ci" {
  bucket = google_storage_bucket.assets.name
  role   = "roles/storage.objectAdmin"
  # ok: tf-gcs-bucket-public-iam
  member = "serviceAccount:ci@example-project.iam.gserviceaccount.com"
}

resource "google_cloud_run_service_iam_member" "invoker" {
  service = google_cloud_run_service.api.name
  role    = "roles/run.invoker"
  # ok: tf-gcs-bucket-public-iam
  member  = "allUsers"
}
