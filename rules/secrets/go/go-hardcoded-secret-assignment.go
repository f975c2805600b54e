package main

import "os"

// ruleid: go-hardcoded-secret-assignment
const dbPassword = "Tr0ub4dor-and-3"

const (
	// ruleid: go-hardcoded-secret-assignment
	APIKey = "a8f5f167f44f4964e6c998dee827110c"
	// ok: go-hardcoded-secret-assignment
	APIKeyHeader = "X-Api-Key"
)

// ruleid: go-hardcoded-secret-assignment
var clientSecret string = "Zx81Lq0pWm29KsTq"

func main() {
	// ruleid: go-hardcoded-secret-assignment
	token := "ya29a0AfH6SMBx8Qw3"
	// ok: go-hardcoded-secret-assignment
	password := os.Getenv("DB_PASSWORD")
	// ok: go-hardcoded-secret-assignment
	secret := "changeme"
	// ok: go-hardcoded-secret-assignment
	apiToken := ""
	// ok: go-hardcoded-secret-assignment
	nextPageToken := "CAEQAhoNMjAyNDAxMDEw"
	// ok: go-hardcoded-secret-assignment
	tokenURL := "https://oauth2.googleapis.com/token"
	_, _, _, _, _, _ = token, password, secret, apiToken, nextPageToken, tokenURL
}

const (
	rcloneClientID = "5jcck7diasz0rqy"
	// ok: go-hardcoded-secret-assignment
	rcloneEncryptedClientSecret = "fRS5vVLr2v6FbyXYnIgjwBuUAt0osq_QZTXAEcmZ7g"
)
