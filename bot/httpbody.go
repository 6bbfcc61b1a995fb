package bot

import (
	"errors"
	"io"
	"net/http"
)

// ReadBody reads a request body of at most limit bytes. On failure it has
// already answered: 413 for a body over the limit, 400 otherwise.
func ReadBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err == nil {
		return body, true
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
	} else {
		http.Error(w, "cannot read request", http.StatusBadRequest)
	}
	return nil, false
}
