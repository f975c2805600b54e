package main

import (
	"net/http"
	"time"
)

func newClient() *http.Client {
	// ruleid: go-http-client-no-timeout
	return &http.Client{}
}

func newClientWithJar(jar http.CookieJar) *http.Client {
	// ruleid: go-http-client-no-timeout
	c := &http.Client{Jar: jar}
	return c
}

func good() *http.Client {
	// ok: go-http-client-no-timeout
	return &http.Client{Timeout: 30 * time.Second, Transport: http.DefaultTransport}
}

func goodLater(d time.Duration) *http.Client {
	// ok: go-http-client-no-timeout
	c := &http.Client{Transport: http.DefaultTransport}
	c.Timeout = d
	return c
}

type cfg struct{ timeout time.Duration }

func goodField(conf cfg) *http.Client {
	// ok: go-http-client-no-timeout
	return &http.Client{
		Transport: http.DefaultTransport,
		Timeout:   conf.timeout,
	}
}

func custom(tr http.RoundTripper) *http.Client {
	// ok: go-http-client-no-timeout
	return &http.Client{Transport: tr}
}

func defaultTr() *http.Client {
	// ruleid: go-http-client-no-timeout
	return &http.Client{Transport: http.DefaultTransport}
}
