package svc

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
)

type Dep struct{ From, To string }

type Store interface {
	GetAllDependencyRecords(ctx context.Context) ([]Dep, error)
	GetConfig(ctx context.Context, key string) (string, error)
}

type Service struct {
	store  Store
	db     *sql.DB
	client *http.Client
	log    *slog.Logger
}

func (s *Service) Export(ctx context.Context, w io.Writer) error {
	// ruleid: go-data-access-error-discarded
	deps, _ := s.store.GetAllDependencyRecords(ctx)
	return json.NewEncoder(w).Encode(deps)
}

func (s *Service) ListDeps(w http.ResponseWriter, r *http.Request) {
	// a failed read answers 200 with an empty list
	// ruleid: go-data-access-error-discarded
	deps, _ := s.store.GetAllDependencyRecords(r.Context())
	b, _ := json.Marshal(deps)
	w.Write(b)
}

type Settings interface {
	GetConfig(ctx context.Context, key string) (string, error)
	SetConfig(ctx context.Context, key, value string) error
}

func ensurePrefix(ctx context.Context, settingsStore Settings) error {
	// a failed read looks like "not set" and the setting is overwritten
	// ruleid: go-data-access-error-discarded
	existing, _ := settingsStore.GetConfig(ctx, "prefix")
	if existing == "" {
		return settingsStore.SetConfig(ctx, "prefix", "bd")
	}
	return nil
}

func (s *Service) PrintDeps(ctx context.Context) {
	// shown to a user only: often best effort on purpose
	// ok: go-data-access-error-discarded
	deps, _ := s.store.GetAllDependencyRecords(ctx)
	for _, d := range deps {
		fmt.Printf("%s -> %s\n", d.From, d.To)
	}
}

func (s *Service) Names(ctx context.Context) []string {
	// ruleid: go-data-access-error-discarded
	rows, _ := s.db.QueryContext(ctx, "SELECT name FROM users")
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		_ = rows.Scan(&n)
		out = append(out, n)
	}
	return out
}

func legacyCount(db *sql.DB) int {
	// ruleid: go-data-access-error-discarded
	rows, _ := db.Query("SELECT count(*) FROM users")
	defer rows.Close()
	n := 0
	for rows.Next() {
		_ = rows.Scan(&n)
	}
	return n
}

func status(url string) int {
	// ruleid: go-data-access-error-discarded
	resp, _ := http.Get(url)
	defer resp.Body.Close()
	return resp.StatusCode
}

func (s *Service) call(req *http.Request) int {
	// ruleid: go-data-access-error-discarded
	resp, _ := s.client.Do(req)
	defer resp.Body.Close()
	return resp.StatusCode
}

func firstLine(p string) []byte {
	// ruleid: go-data-access-error-discarded
	f, _ := os.Open(p)
	defer f.Close()
	buf := make([]byte, 80)
	n, _ := f.Read(buf)
	return buf[:n]
}

func (s *Service) ExportChecked(ctx context.Context) ([]Dep, error) {
	// ok: go-data-access-error-discarded
	deps, err := s.store.GetAllDependencyRecords(ctx)
	if err != nil {
		return nil, fmt.Errorf("load dependencies: %w", err)
	}
	return deps, nil
}

func (s *Service) Prefix(ctx context.Context) string {
	// a fallback taken on purpose, in the if's own scope
	// ok: go-data-access-error-discarded
	if p, _ := s.store.GetConfig(ctx, "prefix"); p != "" {
		return p
	}
	return "bd"
}

type page struct {
	Limit int `json:"limit"`
}

func list(w http.ResponseWriter, r *http.Request, f *os.File) {
	// conversions, encodings and writes are not data access
	// ok: go-data-access-error-discarded
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	// ok: go-data-access-error-discarded
	b, _ := json.Marshal(page{Limit: limit})
	// ok: go-data-access-error-discarded
	n, _ := fmt.Fprintf(w, "%s", b)
	_ = n
	// ok: go-data-access-error-discarded
	_ = f.Close()
	// ok: go-data-access-error-discarded
	host, _ := os.Hostname()
	_ = host
}

var globalStore Store

// a command-line tool's best-effort read through a package-level store
func showPrefix(ctx context.Context) {
	// ok: go-data-access-error-discarded
	p, _ := globalStore.GetConfig(ctx, "prefix")
	fmt.Println(p)
}

func (s *Service) Title(ctx context.Context) string {
	// the empty result is handled on purpose a few lines on
	// ok: go-data-access-error-discarded
	prefix, _ := s.store.GetConfig(ctx, "prefix")
	title := "untitled"
	if prefix != "" {
		title = prefix + ": " + title
	}
	return title
}

type pgxRows interface {
	Next() bool
	Err() error
}

type pgxConn interface {
	Query(ctx context.Context, sql string, args ...any) (pgxRows, error)
}

func countPgx(ctx context.Context, conn pgxConn) (int, error) {
	// pgx rows carry the query's error, checked with rows.Err()
	// ok: go-data-access-error-discarded
	rows, _ := conn.Query(ctx, "SELECT 1")
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

func (s *Service) delegate(ctx context.Context) pgxRows {
	var conn pgxConn
	// handed straight back to the caller
	// ok: go-data-access-error-discarded
	rows, _ := conn.Query(ctx, "SELECT 1")
	return rows
}

func (s *Service) Begin(ctx context.Context) {
	// ruleid: go-data-access-error-discarded
	tx, _ := s.db.BeginTx(ctx, nil)
	defer tx.Rollback()
	_, _ = tx.ExecContext(ctx, "DELETE FROM sessions")
}

func lookups(ctx context.Context, m map[string]int, cache interface {
	Get(ctx context.Context, k string) (int, error)
}) int {
	// a cache miss or error falls through to the source
	// ok: go-data-access-error-discarded
	v, _ := cache.Get(ctx, "k")
	// ok: go-data-access-error-discarded
	user, _ := ctx.Value("user").(string)
	_ = user
	var gctx interface{ Get(k string) (any, bool) }
	// a web framework's request context is not a transaction
	// ok: go-data-access-error-discarded
	claims, _ := gctx.Get("claims")
	_ = claims
	return v + m["k"]
}
