resource "google_sql_database_instance" "main" {
  name             = "main"
  database_version = "POSTGRES_16"
  region           = "europe-west1"

  settings {
    tier = "db-custom-2-7680"
    ip_configuration {
      ipv4_enabled = true
      authorized_networks {
        name  = "anywhere"
        # ruleid: tf-cloudsql-public-authorized-network
        value = "0.0.0.0/0"
      }
      authorized_networks {
        name  = "office"
        # ok: tf-cloudsql-public-authorized-network
        value = "203.0.113.0/24"
      }
    }
  }
}

resource "google_sql_database_instance" "legacy" {
  name             = "legacy"
  database_version = "MYSQL_8_0"
  settings {
    tier = "db-n1-standard-1"
    ip_configuration {
      dynamic "authorized_networks" {
        for_each = ["x"]
        content {
          name  = "all"
          # ruleid: tf-cloudsql-public-authorized-network
          value = "0.0.0.0/0"
        }
      }
    }
  }
}

resource "google_compute_firewall" "web" {
  name    = "web"
  network = "default"
  # ok: tf-cloudsql-public-authorized-network
  source_ranges = ["0.0.0.0/0"]
}

resource "google_sql_database_instance" "private" {
  name = "private"
  settings {
    tier = "db-f1-micro"
    ip_configuration {
      ipv4_enabled    = false
      private_network = google_compute_network.vpc.id
    }
    database_flags {
      name  = "cloudsql.iam_authentication"
      # ok: tf-cloudsql-public-authorized-network
      value = "on"
    }
  }
}
