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

func (a *API) FetchBoundLater(ctx context.Context, url string) (*http.Response, error) {
	// ok: go-http-request-without-context
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	return a.c.Do(req.WithContext(ctx))
}

type ctxClient interface {
	Do(ctx context.Context, req *http.Request) (*http.Response, error)
}

func FetchThroughHelper(ctx context.Context, c ctxClient, url string) error {
	var req *http.Request
	var err error
	// ok: go-http-request-without-context
	req, err = http.NewRequest(http.MethodPost, url, nil)
	if err != nil {
		return err
	}
	_, err = c.Do(ctx, req)
	return err
}

func (a *API) FetchOtherContext(ctx context.Context, url string) (*http.Response, error) {
	// ruleid: go-http-request-without-context
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	return a.c.Do(req.WithContext(context.Background()))
}

type scraper struct {
	c   *http.Client
	req *http.Request
}

func (s *scraper) scrape(ctx context.Context, url string) error {
	if s.req == nil {
		// a request kept on the struct and bound later is still reported (known false positive)
		// todook: go-http-request-without-context
		req, err := http.NewRequest("GET", url, nil)
		if err != nil {
			return err
		}
		s.req = req
	}
	resp, err := s.c.Do(s.req.WithContext(ctx))
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
