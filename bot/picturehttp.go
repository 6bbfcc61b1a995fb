package bot

import (
	"log/slog"
	"net/http"
	"strconv"
)

// PictureHandler serves the current matrix picture (GET PicturePath), for
// image blocks that load it by URL. It is public, as the answers are: the
// picture shows what every matrix answer shows. Clients may cache it for
// a minute; a new briefing gets a new ETag.
func PictureHandler(h Handler, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		etag := `"matrix-` + strconv.FormatUint(h.Generation(), 10) + `"`
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		pic, err := h.Picture()
		if err != nil {
			log.Error("drawing the matrix picture", "err", err)
			http.Error(w, "the picture could not be drawn", http.StatusInternalServerError)
			return
		}
		hd := w.Header()
		hd.Set("Content-Type", "image/png")
		hd.Set("Content-Length", strconv.Itoa(len(pic.PNG)))
		hd.Set("Cache-Control", "public, max-age=60")
		hd.Set("ETag", etag)
		hd.Set("X-Content-Type-Options", "nosniff")
		if r.Method != http.MethodHead {
			w.Write(pic.PNG)
		}
	})
}
