// Package metrics exposes briefbot's operational metrics in Prometheus
// format (prometheus/client_golang); every name starts with briefbot_.
package metrics

import (
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/briefbot/briefbot/bot"
)

// Metrics holds the collectors, in a registry of their own (no global
// state). It implements bot.Observer.
type Metrics struct {
	// series caches resolved counters and histograms by label values, so
	// the per-request path is a lock-free load, not a hashed, locked
	// lookup.
	series sync.Map // string → prometheus.Counter | prometheus.Observer

	reg       *prometheus.Registry
	commands  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	digests   *prometheus.CounterVec
	apiErrors *prometheus.CounterVec
	rateWaits *prometheus.CounterVec
	rejected  *prometheus.CounterVec
}

var (
	_ bot.Observer = (*Metrics)(nil)
	_ bot.Rejecter = (*Metrics)(nil)
)

// New returns the metrics, registered with Go runtime and process
// collectors.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		commands: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "briefbot_commands_total", Help: "Commands answered, by platform and kind.",
		}, []string{"platform", "kind"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "briefbot_answer_seconds",
			Help:    "Time to answer a command, by platform.",
			Buckets: []float64{.00001, .00005, .0001, .00025, .0005, .001, .0025, .005, .01, .05, .25, 1, 3},
		}, []string{"platform"}),
		digests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "briefbot_digests_total", Help: "Digest deliveries, by platform and status (sent, failed, skipped).",
		}, []string{"platform", "status"}),
		apiErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "briefbot_platform_api_errors_total", Help: "Failed platform API calls, by platform and operation.",
		}, []string{"platform", "op"}),
		rateWaits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "briefbot_rate_limit_waits_total", Help: "Waits imposed by platform rate limits, by platform.",
		}, []string{"platform"}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "briefbot_requests_rejected_total",
			Help: "Requests refused before they were served, by platform and reason (signature, replay, overload).",
		}, []string{"platform", "reason"}),
	}
	m.reg.MustRegister(m.commands, m.latency, m.digests, m.apiErrors, m.rateWaits, m.rejected,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Command implements bot.Observer.
func (m *Metrics) Command(platform, kind string, d time.Duration) {
	key := platform + "\x00" + kind
	c, ok := m.series.Load(key)
	if !ok {
		c, _ = m.series.LoadOrStore(key, m.commands.WithLabelValues(platform, kind))
	}
	c.(prometheus.Counter).Inc()
	h, ok := m.series.Load(platform)
	if !ok {
		h, _ = m.series.LoadOrStore(platform, m.latency.WithLabelValues(platform))
	}
	h.(prometheus.Observer).Observe(d.Seconds())
}

// APIError implements bot.Observer.
func (m *Metrics) APIError(platform, op string) { m.apiErrors.WithLabelValues(platform, op).Inc() }

// RateLimited implements bot.Observer.
func (m *Metrics) RateLimited(platform string) { m.rateWaits.WithLabelValues(platform).Inc() }

// Digest implements bot.Observer.
func (m *Metrics) Digest(platform, status string) { m.digests.WithLabelValues(platform, status).Inc() }

// Rejected implements bot.Rejecter.
func (m *Metrics) Rejected(platform, reason string) {
	m.rejected.WithLabelValues(platform, reason).Inc()
}
