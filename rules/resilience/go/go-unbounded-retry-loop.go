package main

import (
	"context"
	"database/sql"
	"log"
	"time"
)

func connectForever(dsn string) *sql.DB {
	// ruleid: go-unbounded-retry-loop
	for {
		db, err := sql.Open("postgres", dsn)
		if err == nil {
			return db
		}
		log.Printf("db not ready: %v", err)
		time.Sleep(time.Second)
	}
}

func pingForever(db *sql.DB) {
	// ruleid: go-unbounded-retry-loop
	for {
		err := db.Ping()
		if err != nil {
			log.Printf("ping: %v", err)
			time.Sleep(2 * time.Second)
			continue
		}
		break
	}
}

func bounded(dsn string) (*sql.DB, error) {
	attempts := 0
	// ok: go-unbounded-retry-loop
	for {
		db, err := sql.Open("postgres", dsn)
		if err == nil {
			return db, nil
		}
		attempts++
		if attempts > 5 {
			return nil, err
		}
		time.Sleep(time.Second)
	}
}

func withContext(ctx context.Context, db *sql.DB) error {
	// ok: go-unbounded-retry-loop
	for {
		err := db.PingContext(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
		time.Sleep(time.Second)
	}
}
