package main

import (
	"encoding/json"
	"errors"
	"os"
)

type cfg struct{ Name string }

func bad1(path string) (*cfg, error) {
	data, err := os.ReadFile(path)
	// ruleid: go-error-swallowed-nil-nil
	if err != nil {
		return nil, nil
	}
	var c cfg
	// ruleid: go-error-swallowed-nil-nil
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, nil
	}
	return &c, nil
}

func good1(path string) (*cfg, error) {
	data, err := os.ReadFile(path)
	// ok: go-error-swallowed-nil-nil
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	// ok: go-error-swallowed-nil-nil
	if err != nil {
		return nil, err
	}
	var c cfg
	// ok: go-error-swallowed-nil-nil
	if err := json.Unmarshal(data, &c); err != nil {
		// an unreadable optional cache file counts as absent
		return nil, nil
	}
	return &c, nil
}
