package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Setting is one setting of a platform's configuration section: its key in
// the file's section, its environment variable (which overrides the file),
// and how it is checked and printed.
type Setting struct {
	Key string // file key within the section ("bot_token")
	Env string // environment variable ("SLACK_BOT_TOKEN")
	// Secret settings are redacted whenever the configuration is printed.
	Secret bool
	// Credential settings tell whether the platform is configured at all:
	// a platform with none set is not started.
	Credential bool
	// Default is the value when neither the file nor the environment sets
	// one.
	Default string
	// Check reports a malformed value; its message is prefixed with the
	// environment variable's name and must not repeat secret values.
	Check func(v string) error
}

// Section is one platform's part of the configuration: the file's
// top-level key of the same name, and its settings. Platforms declare
// their own section; config reads and validates every registered one.
type Section struct {
	Name     string
	Settings []Setting
	// DefaultChannel is the channel of a declared digest that names none;
	// empty means a declared digest must name its channel.
	DefaultChannel string
	// Complete checks that a configured section has everything `serve`
	// needs; its errors name the settings. It may be nil.
	Complete func(Values) error
}

// Values are a section's effective settings, by key.
type Values map[string]string

// Get returns the value of the setting with key.
func (v Values) Get(key string) string { return v[key] }

// setting returns the section's setting with key.
func (s Section) setting(key string) (Setting, bool) {
	i := slices.IndexFunc(s.Settings, func(st Setting) bool { return st.Key == key })
	if i < 0 {
		return Setting{}, false
	}
	return s.Settings[i], true
}

// configured reports whether any credential of the section is set.
func (s Section) configured(v Values) bool {
	for _, st := range s.Settings {
		if st.Credential && v[st.Key] != "" {
			return true
		}
	}
	return false
}

// load reads the section's values: the environment over the file over the
// defaults, each checked.
func (s Section) load(file map[string]string, getenv func(string) string) (Values, []error) {
	var errs []error
	for key := range file {
		if _, ok := s.setting(key); !ok {
			errs = append(errs, fmt.Errorf("config file: %s.%s: unknown key (known: %s)", s.Name, key, strings.Join(s.keys(), ", ")))
		}
	}
	v := Values{}
	for _, st := range s.Settings {
		val := strings.TrimSpace(getenv(st.Env))
		if val == "" {
			val = strings.TrimSpace(file[st.Key])
		}
		if val == "" {
			val = st.Default
		}
		v[st.Key] = val
		if val != "" && st.Check != nil {
			if err := st.Check(val); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", st.Env, err))
			}
		}
	}
	return v, errs
}

func (s Section) keys() []string {
	keys := make([]string, len(s.Settings))
	for i, st := range s.Settings {
		keys[i] = st.Key
	}
	return keys
}

// redacted returns the values as printed: secrets replaced.
func (s Section) redacted(v Values) map[string]string {
	out := map[string]string{}
	for _, st := range s.Settings {
		val := v[st.Key]
		if st.Secret {
			val = redact(val)
		}
		out[st.Key] = val
	}
	return out
}

// OneOf checks that a value is one of allowed.
func OneOf(allowed ...string) func(string) error {
	return func(v string) error {
		if slices.Contains(allowed, v) {
			return nil
		}
		return fmt.Errorf("%q: use %s", v, orList(allowed))
	}
}

// Prefix checks that a value starts with prefix; what names the value in
// the message ("a bot token"). The value itself is never repeated.
func Prefix(prefix, what string) func(string) error {
	return func(v string) error {
		if strings.HasPrefix(v, prefix) {
			return nil
		}
		return fmt.Errorf("%s starts with %s", what, prefix)
	}
}

// HTTPURL checks that a value is an http:// or https:// URL.
func HTTPURL(v string) error {
	if strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") {
		return nil
	}
	return errors.New("must start with http:// or https://")
}

// orList joins words as "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
