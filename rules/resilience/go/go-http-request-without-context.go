package client

import (
	"context"
	"net/http"
)

type API struct{ c *http.Client }

func (a *API) Fetch(ctx context.Context, url string) (*http.Response, error) {
	// ruleid: go-http-request-without-context
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	return a.c.Do(req)
}

func proxy(w http.ResponseWriter, r *http.Request) {
	// ruleid: go-http-request-without-context
	req, _ := http.NewRequest("GET", "http://backend/items", nil)
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
	}
}

func (a *API) FetchOK(ctx context.Context, url string) (*http.Response, error) {
	// ok: go-http-request-without-context
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	return a.c.Do(req)
}

func main() {
	// ok: go-http-request-without-context
	req, _ := http.NewRequest("GET", "http://localhost:8080/health", nil)
	_ = req
}
