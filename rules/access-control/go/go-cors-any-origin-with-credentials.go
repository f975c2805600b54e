package main

import (
	"net/http"

	"github.com/rs/cors"
)

func wrap(h http.Handler) http.Handler {
	// ruleid: go-cors-any-origin-with-credentials
	c := cors.New(cors.Options{
		AllowedOrigins:   []string{"*"},
		AllowCredentials: true,
	})
	return c.Handler(h)
}

func wrap2(h http.Handler) http.Handler {
	// ruleid: go-cors-any-origin-with-credentials
	return cors.New(cors.Options{
		AllowCredentials: true,
		AllowOriginFunc:  func(origin string) bool { return true },
	}).Handler(h)
}

func wrap3(h http.Handler) http.Handler {
	// ruleid: go-cors-any-origin-with-credentials
	return cors.New(cors.Options{AllowCredentials: true}).Handler(h)
}

func good(h http.Handler) http.Handler {
	// ok: go-cors-any-origin-with-credentials
	return cors.New(cors.Options{
		AllowedOrigins:   []string{"https://app.example.com"},
		AllowCredentials: true,
	}).Handler(h)
}

func goodPublic(h http.Handler) http.Handler {
	// ok: go-cors-any-origin-with-credentials
	return cors.New(cors.Options{AllowedOrigins: []string{"*"}}).Handler(h)
}
