package main

import (
	"os"

	"github.com/go-sql-driver/mysql"
	"github.com/redis/go-redis/v9"
)

func clients() {
	cfg := mysql.Config{
		User: "app",
		// ruleid: go-hardcoded-secret-struct-field
		Passwd: "my5ql-Pr0d-2024",
		Net:    "tcp",
	}
	rdb := redis.NewClient(&redis.Options{
		Addr: "cache:6379",
		// ruleid: go-hardcoded-secret-struct-field
		Password: "r3dis-S3cure-99",
	})
	// ruleid: go-hardcoded-secret-struct-field
	cfg.Passwd = "An0ther-Pw-2024"

	// ok: go-hardcoded-secret-struct-field
	cfg2 := mysql.Config{User: "app", Passwd: os.Getenv("MYSQL_PASSWORD")}
	// ok: go-hardcoded-secret-struct-field
	opts := redis.Options{Addr: "cache:6379", Password: ""}
	// ok: go-hardcoded-secret-struct-field
	opts2 := redis.Options{Addr: "cache:6379", Password: "<password>"}
	_, _, _, _, _ = cfg, rdb, cfg2, opts, opts2
}
