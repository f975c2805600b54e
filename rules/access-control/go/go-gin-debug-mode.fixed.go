package main

import (
	"os"

	"github.com/gin-gonic/gin"
)

func main() {
	// ruleid: go-gin-debug-mode
	gin.SetMode(gin.ReleaseMode)
	r := gin.Default()
	_ = r.Run(":8080")
}

func other() {
	// ruleid: go-gin-debug-mode
	gin.SetMode(gin.ReleaseMode)
	// ok: go-gin-debug-mode
	gin.SetMode(gin.ReleaseMode)
	// ok: go-gin-debug-mode
	gin.SetMode(os.Getenv("GIN_MODE"))
}
