package main

import (
	"log"
	"os"
)

func bad1(path string) {
	f, err := os.Open(path)
	// ruleid: go-empty-error-check
	if err != nil {
	}
	_ = f
}

func bad2(path string) {
	// ruleid: go-empty-error-check
	if err := os.Remove(path); err != nil {
	}
}

func good1(path string) error {
	f, err := os.Open(path)
	// ok: go-empty-error-check
	if err != nil {
		return err
	}
	return f.Close()
}

func good2(path string) {
	// ok: go-empty-error-check
	if err := os.Remove(path); err != nil {
		// the file may already be gone; nothing to do
	}
}

func good3(path string) {
	// ok: go-empty-error-check
	if err := os.Remove(path); err != nil {
		log.Printf("remove %s: %v", path, err)
	}
}
