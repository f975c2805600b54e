package main

import (
	"log"
	"net/http"
	"time"
)

func main() {
	mux := http.NewServeMux()
	// ruleid: go-http-server-no-timeouts
	log.Fatal(http.ListenAndServe(":8080", mux))
}

func tlsMain(mux http.Handler) error {
	// ruleid: go-http-server-no-timeouts
	srv := &http.Server{Addr: ":8443", Handler: mux}
	return srv.ListenAndServeTLS("cert.pem", "key.pem")
}

func debug() {
	// ok: go-http-server-no-timeouts
	go http.ListenAndServe("localhost:6060", nil)
}

func good(mux http.Handler) error {
	// ok: go-http-server-no-timeouts
	srv := &http.Server{
		Addr:              ":8080",
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
	}
	return srv.ListenAndServe()
}

func goodLater(mux http.Handler) error {
	// ok: go-http-server-no-timeouts
	srv := &http.Server{Addr: ":8080", Handler: mux}
	srv.ReadTimeout = 10 * time.Second
	return srv.ListenAndServe()
}

func serveTestImage() {
	// ok: go-http-server-no-timeouts
	log.Panic(http.ListenAndServe(":80", nil)) // #nosec G114 -- test image, never network-facing
}
