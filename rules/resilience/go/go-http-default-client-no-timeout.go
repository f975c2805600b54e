package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"
)

func fetch(u string) (*http.Response, error) {
	// ruleid: go-http-default-client-no-timeout
	return http.Get(u)
}

func send(u string) error {
	// ruleid: go-http-default-client-no-timeout
	resp, err := http.Post(u, "application/json", strings.NewReader("{}"))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	// ruleid: go-http-default-client-no-timeout
	_, err = http.PostForm(u, url.Values{})
	return err
}

var client = &http.Client{Timeout: 10 * time.Second}

func fetchWithClient(u string) (*http.Response, error) {
	// ok: go-http-default-client-no-timeout
	return client.Get(u)
}

func fetchWithContext(ctx context.Context, u string) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	// ok: go-http-default-client-no-timeout
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	// ok: go-http-default-client-no-timeout
	return client.Do(req)
}
