package briefings

// Answer is what the bot says in reply to a query, independent of any
// platform: Slack, Discord and the console each render it their own way.
// Text in an Answer is plain: no markup, nothing escaped.
type Answer struct {
	// Kind names the query that produced the answer ("overview", "actor",
	// "option", "pair", "search", "notfound", ...).
	Kind  string `json:"kind"`
	Title string `json:"title"`
	// Intro is an optional lead paragraph.
	Intro    string    `json:"intro,omitempty"`
	Sections []Section `json:"sections,omitempty"`
	// Sources lists every source the answer cites, in order of first use.
	Sources []SourceRef `json:"sources,omitempty"`
	// Notes are remarks about the question itself ("read “trmup” as Trump").
	Notes []string `json:"notes,omitempty"`
	// Next suggests follow-up queries, as typed after /guarantees.
	Next []string `json:"next,omitempty"`
	// NotFound is set when the briefing has nothing on what was asked.
	NotFound bool `json:"not_found,omitempty"`
}

// Section is a titled part of an answer.
type Section struct {
	Heading string  `json:"heading,omitempty"`
	Text    string  `json:"text,omitempty"`
	Items   []Item  `json:"items,omitempty"`
	Fields  []Field `json:"fields,omitempty"`
	Quotes  []Quote `json:"quotes,omitempty"`
}

// Item is a bullet point, with the ids of the sources it rests on.
type Item struct {
	Text    string   `json:"text"`
	Sources []string `json:"sources,omitempty"`
}

// Field is a short labelled value ("Role: President of Ukraine").
type Field struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Quote is a verbatim passage from a source with its exact attribution.
type Quote struct {
	Text string `json:"text"`
	// Attribution says whose words they are and who reports them
	// ("Emmanuel Macron, quoted by SME").
	Attribution string `json:"attribution"`
	Basis       Basis  `json:"basis"`
	SourceID    string `json:"source"`
}

// SourceRef identifies a cited source.
type SourceRef struct {
	ID     string `json:"id"`
	Outlet string `json:"outlet"`
	Title  string `json:"title"`
	Date   string `json:"date,omitempty"`
	Kind   string `json:"kind"`
	URL    string `json:"url,omitempty"`
}
