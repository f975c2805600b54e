package main

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
)

func client() *http.Client {
	tr := &http.Transport{
		// ruleid: go-tls-insecure-skip-verify
		TLSClientConfig: &tls.Config{InsecureSkipVerify: false},
	}
	return &http.Client{Transport: tr}
}

func multiLine() *tls.Config {
	// ruleid: go-tls-insecure-skip-verify
	return &tls.Config{
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: false,
	}
}

func patch(tr *http.Transport) {
	// ruleid: go-tls-insecure-skip-verify
	tr.TLSClientConfig.InsecureSkipVerify = false
}

func goodCA(pool *x509.CertPool) *tls.Config {
	// ok: go-tls-insecure-skip-verify
	return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
}

func goodFlag(insecure bool) *tls.Config {
	// ok: go-tls-insecure-skip-verify
	return &tls.Config{InsecureSkipVerify: insecure}
}

func fromDSN(mode string) *tls.Config {
	switch mode {
	case "skip-verify":
		// ok: go-tls-insecure-skip-verify
		return &tls.Config{InsecureSkipVerify: true}
	}
	return &tls.Config{}
}

func fromFlag(skip bool) *tls.Config {
	cfg := &tls.Config{}
	if skip {
		// ok: go-tls-insecure-skip-verify
		cfg.InsecureSkipVerify = true
	}
	return cfg
}
