package main

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
)

func handleOrder(w http.ResponseWriter, r *http.Request) {
	// ruleid: go-fmt-print-in-http-handler
	fmt.Println("got order", r.URL.Path)
	w.WriteHeader(http.StatusOK)
}

type api struct{ log *slog.Logger }

func (a *api) ping(c *gin.Context) {
	// ruleid: go-fmt-print-in-http-handler
	fmt.Printf("ping from %s\n", c.ClientIP())
	c.String(200, "pong")
}

func (a *api) good(w http.ResponseWriter, r *http.Request) {
	a.log.Info("order", "path", r.URL.Path)
	// ok: go-fmt-print-in-http-handler
	fmt.Fprintf(w, "ok %s", r.URL.Path)
}

func main() {
	// ok: go-fmt-print-in-http-handler
	fmt.Println("starting server")
	http.HandleFunc("/", handleOrder)
	msg := fmt.Sprintf("listening on %d", 8080)
	// ok: go-fmt-print-in-http-handler
	fmt.Println(msg)
}
