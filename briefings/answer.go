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
	Intro string `json:"intro,omitempty"`
	// Lead answers the question as asked, in one to three claims, each
	// with its verbatim quote: it comes before everything else.
	Lead []Claim `json:"lead,omitempty"`
	// Brief is the compact detail the short answer shows after the lead;
	// Sections are the full card's.
	Brief    []Section `json:"brief,omitempty"`
	Sections []Section `json:"sections,omitempty"`
	// Sources lists every source the answer cites, in order of first use.
	Sources []SourceRef `json:"sources,omitempty"`
	// Notes are remarks about the question itself ("read “trmup” as Trump").
	Notes []string `json:"notes,omitempty"`
	// Next suggests follow-up queries, as typed after /guarantees.
	Next []string `json:"next,omitempty"`
	// NotFound is set when the briefing has nothing on what was asked.
	NotFound bool `json:"not_found,omitempty"`
	// More is set on a short answer whose full card says more.
	More bool `json:"more,omitempty"`
	// Page and Pages place a list answer among its pages (zero when it
	// has one page).
	Page  int `json:"page,omitempty"`
	Pages int `json:"pages,omitempty"`
	// Choices are the items of a list answer that a platform may offer in
	// a menu, each with the query that answers it.
	Choices []Choice `json:"choices,omitempty"`
}

// Claim is one sentence of ours that answers the question, with the
// verbatim quote it rests on and the date of that quote's source.
type Claim struct {
	Text  string `json:"text"`
	Quote *Quote `json:"quote,omitempty"`
	// Date is the source's date, or "undated".
	Date string `json:"date,omitempty"`
}

// Short returns the answer as chat posts it: the lead and the brief
// detail, citing only their sources, with More set when the full card has
// more. An answer without a lead is its own short form.
func (a Answer) Short() Answer {
	if len(a.Lead) == 0 && len(a.Brief) == 0 {
		return a
	}
	s := a
	s.Sections = a.Brief
	s.Brief = nil
	s.More = len(a.Sections) > 0 || a.More
	if len(s.Next) > 1 {
		s.Next = s.Next[:1] // the full card has the rest
	}
	used := map[string]bool{}
	for _, c := range a.Lead {
		if c.Quote != nil {
			used[c.Quote.SourceID] = true
		}
	}
	for _, sec := range a.Brief {
		for _, q := range sec.Quotes {
			used[q.SourceID] = true
		}
		for _, it := range sec.Items {
			for _, id := range it.Sources {
				used[id] = true
			}
		}
	}
	s.Sources = nil
	for _, r := range a.Sources {
		if used[r.ID] {
			s.Sources = append(s.Sources, r)
		}
	}
	return s
}

// Full returns the full card: the lead, then every section.
func (a Answer) Full() Answer {
	a.Brief = nil
	return a
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
