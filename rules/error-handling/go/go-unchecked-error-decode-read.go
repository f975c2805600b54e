package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
)

type cfg struct{ Name string }

func bad1(data []byte) cfg {
	var c cfg
	// ok: go-unchecked-error-decode-read
	_ = json.Unmarshal(data, &c)
	return c
}

func bad2(data []byte) cfg {
	var c cfg
	// ruleid: go-unchecked-error-decode-read
	json.Unmarshal(data, &c)
	return c
}

func bad3(resp *http.Response) []byte {
	// ruleid: go-unchecked-error-decode-read
	body, _ := io.ReadAll(resp.Body)
	return body
}

func bad4(path string) []byte {
	// ruleid: go-unchecked-error-decode-read
	b, _ := os.ReadFile(path)
	return b
}

func bad5(r *http.Request, v interface{}) {
	// ruleid: go-unchecked-error-decode-read
	json.NewDecoder(r.Body).Decode(v)
}

func good1(data []byte) (cfg, error) {
	var c cfg
	// ok: go-unchecked-error-decode-read
	err := json.Unmarshal(data, &c)
	return c, err
}

func good2(data []byte) (cfg, error) {
	var c cfg
	// ok: go-unchecked-error-decode-read
	if err := json.Unmarshal(data, &c); err != nil {
		return c, err
	}
	return c, nil
}

func good3(data []byte, c *cfg) error {
	// ok: go-unchecked-error-decode-read
	return json.Unmarshal(data, c)
}

func good4(resp *http.Response) ([]byte, error) {
	// ok: go-unchecked-error-decode-read
	body, err := io.ReadAll(resp.Body)
	return body, err
}

func good5(r *http.Request, v interface{}) error {
	// ok: go-unchecked-error-decode-read
	if json.NewDecoder(r.Body).Decode(v) != nil {
		return io.ErrUnexpectedEOF
	}
	return nil
}

func errBody(resp *http.Response) error {
	if resp.StatusCode != http.StatusOK {
		// ok: go-unchecked-error-decode-read
		body, _ := io.ReadAll(resp.Body)
		return &os.PathError{Op: string(body)}
	}
	return nil
}

func inClosure(data []byte, xs []int) (err error) {
	var c int
	sortSlice(xs, func(i, j int) bool {
		// ok: go-unchecked-error-decode-read
		_ = json.Unmarshal(data, &c)
		return true
	})
	switch {
	case len(data) > 0:
		// ok: go-unchecked-error-decode-read
		if err = json.Unmarshal(data, &c); err != nil {
			return err
		}
	}
	return nil
}

func sortSlice(xs []int, less func(i, j int) bool) {}
