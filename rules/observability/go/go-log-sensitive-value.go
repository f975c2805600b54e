package main

import (
	"log"
	"log/slog"
)

type creds struct {
	User     string
	Password string
}

func login(c creds, apiKey string, logger *slog.Logger) {
	// ruleid: go-log-sensitive-value
	log.Printf("login %s with %s", c.User, c.Password)
	// ruleid: go-log-sensitive-value
	logger.Info("calling upstream", "key", apiKey)
	// ok: go-log-sensitive-value
	log.Printf("login %s", c.User)
	// ok: go-log-sensitive-value
	logger.Info("password rotated", "user", c.User)
}

type token struct{ Kind string }

func parse(tok token, tokenCount int) {
	// ok: go-log-sensitive-value
	log.Printf("unexpected token %v (%d seen)", tok, tokenCount)
}
