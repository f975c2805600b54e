package client

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/ioutil"
	"net/http"
	"os"
	"strings"
)

const maxBody = 1 << 20

type api struct {
	hc   *http.Client
	base string
}

func (a *api) fetch(ctx context.Context, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.base+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := a.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	// ruleid: go-unbounded-body-read
	return io.ReadAll(resp.Body)
}

func getPage(url string) (string, error) {
	res, err := http.Get(url)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	// ruleid: go-unbounded-body-read
	b, err := ioutil.ReadAll(res.Body)
	return string(b), err
}

func (a *api) post(url string, payload io.Reader) ([]byte, error) {
	var resp *http.Response
	var err error
	resp, err = a.hc.Post(url, "application/json", payload)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	// ruleid: go-unbounded-body-read
	out, err := io.ReadAll(resp.Body)
	return out, err
}

func (a *api) errorBody(req *http.Request) error {
	resp, err := a.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		// an error answer quoted in the error message
		// ok: go-unbounded-body-read
		msg, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("status %d: %s", resp.StatusCode, msg)
	}
	return nil
}

// a helper handed a response (mostly error decoders) is left alone
func decodeError(resp *http.Response) error {
	// ok: go-unbounded-body-read
	msg, _ := io.ReadAll(resp.Body)
	return fmt.Errorf("status %d: %s", resp.StatusCode, msg)
}

func (a *api) limitedInline(req *http.Request) ([]byte, error) {
	resp, err := a.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	// ok: go-unbounded-body-read
	return io.ReadAll(io.LimitReader(resp.Body, maxBody))
}

func (a *api) limitedEarlier(req *http.Request) ([]byte, error) {
	resp, err := a.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	resp.Body = io.NopCloser(io.LimitReader(resp.Body, maxBody))
	// ok: go-unbounded-body-read
	return io.ReadAll(resp.Body)
}

func (a *api) limitedVar(req *http.Request) ([]byte, error) {
	resp, err := a.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body := io.LimitReader(resp.Body, maxBody)
	// ok: go-unbounded-body-read
	return io.ReadAll(body)
}

func (a *api) sizeChecked(req *http.Request) ([]byte, error) {
	resp, err := a.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.ContentLength < 0 || resp.ContentLength > maxBody {
		return nil, fmt.Errorf("body too large")
	}
	// ok: go-unbounded-body-read
	return io.ReadAll(resp.Body)
}

func notHTTP(path string, buf *bytes.Buffer) ([]byte, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	// ok: go-unbounded-body-read
	data, err := io.ReadAll(f)
	// ok: go-unbounded-body-read
	more, _ := io.ReadAll(buf)
	// ok: go-unbounded-body-read
	s, _ := ioutil.ReadAll(strings.NewReader("fixed"))
	return append(data, more...), string(s), err
}

func handler(w http.ResponseWriter, r *http.Request) {
	// incoming request bodies are go-unbounded-request-body-read's
	// ok: go-unbounded-body-read
	data, _ := io.ReadAll(r.Body)
	_, _ = w.Write(data)
}
