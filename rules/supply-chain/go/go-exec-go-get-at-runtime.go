package main

import (
	"context"
	"os/exec"
)

func installTool(ctx context.Context) error {
	// ruleid: go-exec-go-get-at-runtime
	return exec.CommandContext(ctx, "go", "install", "golang.org/x/tools/cmd/goimports@latest").Run()
}

func getDep() error {
	// ruleid: go-exec-go-get-at-runtime
	cmd := exec.Command("go", "get", "github.com/some/dep")
	return cmd.Run()
}

func version() ([]byte, error) {
	// ok: go-exec-go-get-at-runtime
	return exec.Command("go", "version").Output()
}

func build(ctx context.Context) error {
	// ok: go-exec-go-get-at-runtime
	return exec.CommandContext(ctx, "go", "build", "./...").Run()
}
