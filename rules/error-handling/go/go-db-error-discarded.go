package store

import (
	"context"
	"database/sql"
)

type Store struct {
	db  *sql.DB
	rdb interface{ Set(ctx context.Context, k string, v any, ttl int) error }
}

func (s *Store) Save(ctx context.Context, id string) {
	// ruleid: go-db-error-discarded
	_, _ = s.db.ExecContext(ctx, "INSERT INTO orders(id) VALUES ($1)", id)
}

func (s *Store) Finish(tx *sql.Tx) {
	// ruleid: go-db-error-discarded
	_ = tx.Commit()
}

func (s *Store) Cache(ctx context.Context, k string) {
	// ruleid: go-db-error-discarded
	_ = s.rdb.Set(ctx, k, 1, 0)
}

func (s *Store) SaveOK(ctx context.Context, id string) error {
	// ok: go-db-error-discarded
	_, err := s.db.ExecContext(ctx, "INSERT INTO orders(id) VALUES ($1)", id)
	return err
}

func (s *Store) Cleanup(tx *sql.Tx) {
	// ok: go-db-error-discarded
	_ = tx.Rollback()
}

type flagValue struct{ v string }

func (f *flagValue) Set(s string) error { f.v = s; return nil }

type options struct{ Compression flagValue }

func defaults(o *options) {
	// a flag value, not a store
	// ok: go-db-error-discarded
	_ = o.Compression.Set("auto")
}
