package main

import (
	"context"
	"database/sql"
)

type order struct{ ID, UserID int64 }

func names(ctx context.Context, db *sql.DB, orders []order) (map[int64]string, error) {
	out := map[int64]string{}
	for _, o := range orders {
		var name string
		// ruleid: go-sql-query-in-loop
		err := db.QueryRowContext(ctx, "SELECT name FROM users WHERE id = $1", o.UserID).Scan(&name)
		if err != nil {
			return nil, err
		}
		out[o.ID] = name
	}
	return out, nil
}

func counts(db *sql.DB, ids []int64) error {
	for i := range ids {
		// ruleid: go-sql-query-in-loop
		rows, err := db.Query("select count(*) from items where order_id = ?", ids[i])
		if err != nil {
			return err
		}
		rows.Close()
	}
	return nil
}

func good(ctx context.Context, db *sql.DB, ids []int64) error {
	// ok: go-sql-query-in-loop
	rows, err := db.QueryContext(ctx, "SELECT id, name FROM users WHERE id = ANY($1)", ids)
	if err != nil {
		return err
	}
	defer rows.Close()
	return nil
}

func insertAll(ctx context.Context, tx *sql.Tx, ids []int64) error {
	for _, id := range ids {
		// ok: go-sql-query-in-loop
		if _, err := tx.ExecContext(ctx, "INSERT INTO seen(id) VALUES ($1)", id); err != nil {
			return err
		}
	}
	return nil
}
