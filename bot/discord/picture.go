package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
)

// withPicture marks a response as carrying the briefing's matrix picture:
// its file goes in data.Files (never encoded as JSON). On failure the
// answer goes out as text alone.
func (a *Adapter) withPicture(data *discordgo.InteractionResponseData) {
	pic, err := a.h.Picture()
	if err != nil {
		a.log.Error("drawing the matrix picture", "err", err)
		return
	}
	data.Files = []*discordgo.File{{Name: pic.Name, ContentType: "image/png", Reader: bytes.NewReader(pic.PNG)}}
}

// attachment is an upload's entry in a payload's "attachments": the id is
// the index of its files[n] part; the description is the alt text.
// discordgo's MessageAttachment has no description.
type attachment struct {
	ID          int    `json:"id"`
	Filename    string `json:"filename"`
	Description string `json:"description"`
}

// withFile encodes payload as Discord's multipart form: payload_json, with
// the picture listed under "attachments" (inside the object named by in,
// or at the top level when in is ""), and the PNG as files[0].
func withFile(payload any, in string, pic bot.Picture) (string, []byte, error) {
	raw, err := json.Marshal(payload)
	if err != nil {
		return "", nil, fmt.Errorf("encoding the payload: %w", err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		return "", nil, fmt.Errorf("the payload is not an object: %w", err)
	}
	obj := top
	if in != "" {
		obj = map[string]json.RawMessage{}
		if err := json.Unmarshal(top[in], &obj); err != nil {
			return "", nil, fmt.Errorf("the payload's %s is not an object: %w", in, err)
		}
	}
	atts, _ := json.Marshal([]attachment{{ID: 0, Filename: pic.Name, Description: pic.Alt}})
	obj["attachments"] = atts
	if in != "" {
		top[in], _ = json.Marshal(obj)
	}
	files := []*discordgo.File{{Name: pic.Name, ContentType: "image/png", Reader: bytes.NewReader(pic.PNG)}}
	ct, body, err := discordgo.MultipartBodyWithJSON(top, files)
	if err != nil {
		return "", nil, fmt.Errorf("encoding the multipart body: %w", err)
	}
	return ct, body, nil
}

// respondWithPicture answers a gateway interaction with the response and
// the matrix picture in one multipart request.
func (a *Adapter) respondWithPicture(ctx context.Context, s *discordgo.Session, in *discordgo.Interaction, resp *discordgo.InteractionResponse) error {
	pic, err := a.h.Picture()
	if err != nil {
		return err
	}
	ct, body, err := withFile(resp, "data", pic)
	if err != nil {
		return err
	}
	ep := discordgo.EndpointInteractionResponse(in.ID, in.Token)
	_, err = s.RequestRaw("POST", ep, ct, body, ep, 0, discordgo.WithContext(ctx))
	return err
}

// attachPicture edits the response to an HTTP interaction to attach the
// matrix picture: Discord takes no files in the HTTP response itself.
func (a *Adapter) attachPicture(ctx context.Context, req request) error {
	if req.AppID == "" || req.Token == "" {
		return errors.New("the interaction carries no application id or token")
	}
	s, err := a.restSession()
	if err != nil {
		return err
	}
	pic, err := a.h.Picture()
	if err != nil {
		return err
	}
	ct, body, err := withFile(struct{}{}, "", pic)
	if err != nil {
		return err
	}
	ep := discordgo.EndpointWebhookMessage(req.AppID, req.Token, "@original")
	return a.withRetry(ctx, "edit interaction response", func() error {
		_, err := s.RequestRaw("PATCH", ep, ct, body, ep, 0, discordgo.WithContext(ctx))
		return err
	})
}

// background runs f after the response, bounded in time, under the
// adapter's context (Stop waits for it, then cancels).
func (a *Adapter) background(what string, f func(ctx context.Context) error) {
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		ctx, cancel := context.WithTimeout(a.bg, 30*time.Second)
		defer cancel()
		if err := f(ctx); err != nil {
			a.log.Error(what, "err", fmt.Errorf("discord: %w", err))
		}
	}()
}
