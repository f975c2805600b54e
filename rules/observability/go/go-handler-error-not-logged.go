package api

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"os"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/labstack/echo/v4"
)

type Order struct{ ID string }

type Store interface {
	GetOrder(ctx context.Context, id string) (*Order, error)
	SaveOrder(ctx context.Context, o *Order) error
}

type Server struct {
	store  Store
	logger *slog.Logger
}

func writeJSONError(w http.ResponseWriter, code int, msg string) {
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

func (s *Server) respondError(w http.ResponseWriter, r *http.Request, err error) {
	s.logger.ErrorContext(r.Context(), "request failed", "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}

func (s *Server) getOrder(w http.ResponseWriter, r *http.Request) {
	o, err := s.store.GetOrder(r.Context(), r.PathValue("id"))
	// ruleid: go-handler-error-not-logged
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	_ = json.NewEncoder(w).Encode(o)
}

func (s *Server) saveOrder(w http.ResponseWriter, r *http.Request) {
	var o Order
	if err := json.NewDecoder(r.Body).Decode(&o); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	// ruleid: go-handler-error-not-logged
	if err := s.store.SaveOrder(r.Context(), &o); err != nil {
		http.Error(w, "could not save", 500)
		return
	}
	// the cause is in the answer (often an operator-facing page)
	// ok: go-handler-error-not-logged
	if err := s.store.SaveOrder(r.Context(), &o); err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

func (s *Server) helperNoErr(w http.ResponseWriter, r *http.Request) {
	_, err := s.store.GetOrder(r.Context(), "x")
	// ruleid: go-handler-error-not-logged
	if err != nil {
		writeJSONError(w, http.StatusInternalServerError, "could not load order")
		return
	}
}

func (s *Server) ginGet(c *gin.Context) {
	o, err := s.store.GetOrder(c.Request.Context(), c.Param("id"))
	// ruleid: go-handler-error-not-logged
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal"})
		return
	}
	c.JSON(http.StatusOK, o)
}

func (s *Server) echoGet(c echo.Context) error {
	o, err := s.store.GetOrder(c.Request().Context(), c.Param("id"))
	// ruleid: go-handler-error-not-logged
	if err != nil {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"error": "try later"})
	}
	return c.JSON(http.StatusOK, o)
}

func (s *Server) logged(w http.ResponseWriter, r *http.Request) {
	_, err := s.store.GetOrder(r.Context(), "x")
	// ok: go-handler-error-not-logged
	if err != nil {
		s.logger.Error("get order", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	_, err = s.store.GetOrder(r.Context(), "y")
	// ok: go-handler-error-not-logged
	if err != nil {
		log.Printf("get order y: %v", err)
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
}

func (s *Server) viaHelper(w http.ResponseWriter, r *http.Request) {
	_, err := s.store.GetOrder(r.Context(), "x")
	// the helper gets the error and may log it
	// ok: go-handler-error-not-logged
	if err != nil {
		s.respondError(w, r, err)
		return
	}
	// ok: go-handler-error-not-logged
	if err := s.store.SaveOrder(r.Context(), &Order{}); err != nil {
		http.Error(w, fmt.Sprintf("save: %v", err), http.StatusInternalServerError)
		return
	}
}

func (s *Server) clientErrors(w http.ResponseWriter, r *http.Request) {
	// a bad request is the client's fault
	// ok: go-handler-error-not-logged
	n, err := strconv.Atoi(r.URL.Query().Get("n"))
	if err != nil {
		http.Error(w, "n must be a number", http.StatusBadRequest)
		return
	}
	var o Order
	// even answered with the wrong status, a decode failure is the request's
	// ok: go-handler-error-not-logged
	if err := json.NewDecoder(r.Body).Decode(&o); err != nil {
		http.Error(w, "bad json", http.StatusInternalServerError)
		return
	}
	_ = n
}

func (s *Server) ginLogged(c *gin.Context) {
	_, err := s.store.GetOrder(c.Request.Context(), c.Param("id"))
	// ok: go-handler-error-not-logged
	if err != nil {
		_ = c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	// ok: go-handler-error-not-logged
	if err := c.ShouldBindJSON(&Order{}); err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "bad body"})
		return
	}
}

func notAHandler(ctx context.Context, s Store) error {
	_, err := s.GetOrder(ctx, "x")
	// ok: go-handler-error-not-logged
	if err != nil {
		return fmt.Errorf("get: %w", err)
	}
	return nil
}

type pinger interface{ Ping() error }

func (s *Server) answerErrors(w http.ResponseWriter, r *http.Request) {
	o := Order{ID: "1"}
	// marshalling a fixed value and writing the answer fail only on a bug or a gone client
	// ok: go-handler-error-not-logged
	b, err := json.Marshal(o)
	if err != nil {
		http.Error(w, "encode", http.StatusInternalServerError)
		return
	}
	// ok: go-handler-error-not-logged
	if _, err := w.Write(b); err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	// ok: go-handler-error-not-logged
	if err := json.NewEncoder(w).Encode(o); err != nil {
		http.Error(w, "encode", http.StatusInternalServerError)
	}
}

func health(db pinger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		// a health probe answers 503 by design and is polled
		// ok: go-handler-error-not-logged
		if err := db.Ping(); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	}
}

func connect(dial func(context.Context) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, err := dial(r.Context())
		// ruleid: go-handler-error-not-logged
		if err != nil {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		_ = conn
	}
}

type runtime interface{ IsRunning(ctx context.Context) error }

type healthRoutes struct{ rt runtime }

func (h *healthRoutes) getHealthcheck(w http.ResponseWriter, r *http.Request) {
	// ok: go-handler-error-not-logged
	if err := h.rt.IsRunning(r.Context()); err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	// any failure of the lookup, a database outage too, answers "not found"
	o, err := s.store.GetOrder(r.Context(), r.PathValue("id"))
	// ruleid: go-handler-error-not-logged
	if err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	_ = o
}

func serveFile(w http.ResponseWriter, r *http.Request) {
	f, err := os.Open(r.URL.Path)
	// a missing file is a plain 404
	// ok: go-handler-error-not-logged
	if err != nil {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	defer f.Close()
}
