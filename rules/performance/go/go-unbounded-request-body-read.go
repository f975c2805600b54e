package main

import (
	"io"
	"io/ioutil"
	"net/http"
)

func upload(w http.ResponseWriter, r *http.Request) {
	// ruleid: go-unbounded-request-body-read
	data, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	_, _ = w.Write(data)
}

type srv struct{}

func (s *srv) hook(w http.ResponseWriter, req *http.Request) {
	// ruleid: go-unbounded-request-body-read
	body, _ := ioutil.ReadAll(req.Body)
	_ = body
}

func limited(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	// ok: go-unbounded-request-body-read
	data, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "too large", http.StatusRequestEntityTooLarge)
		return
	}
	_, _ = w.Write(data)
}

func limited2(w http.ResponseWriter, r *http.Request) {
	// ok: go-unbounded-request-body-read
	data, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	_, _ = w.Write(data)
}

func client(resp *http.Response) []byte {
	// ok: go-unbounded-request-body-read
	b, _ := io.ReadAll(resp.Body)
	return b
}
