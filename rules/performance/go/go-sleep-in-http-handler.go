package main

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

func slow(w http.ResponseWriter, r *http.Request) {
	// ruleid: go-sleep-in-http-handler
	time.Sleep(2 * time.Second)
	w.WriteHeader(http.StatusOK)
}

func ginSlow(c *gin.Context) {
	// ruleid: go-sleep-in-http-handler
	time.Sleep(500 * time.Millisecond)
	c.Status(200)
}

func background(w http.ResponseWriter, r *http.Request) {
	go func() {
		// ok: go-sleep-in-http-handler
		time.Sleep(time.Second)
	}()
	w.WriteHeader(http.StatusAccepted)
}

func worker() {
	for {
		// ok: go-sleep-in-http-handler
		time.Sleep(time.Minute)
	}
}
