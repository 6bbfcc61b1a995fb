package ingest

import (
	"strings"
	"testing"

	"github.com/briefbot/briefbot/briefings"
)

// TestAttributionForms pins one attribution form a row: the quotation
// that holds has must go to speaker ("" for none, or a term).
func TestAttributionForms(t *testing.T) {
	b, err := briefings.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, text, has, speaker string
	}{
		{"dash signature after a full stop",
			"* The EU wants a seat. \"If the guarantee is a list, Moscow will pick them off.\" -- Kaja Kallas, to reporters\n\n* Next item.",
			"Moscow will pick them off", "kallas"},
		{"dash signature of a new person with a role",
			"\"Air policing is something we know how to do.\" -- Ruben Brekelmans, Dutch defence minister, to NOS\n",
			"Air policing is something", "ruben-brekelmans"},
		{"em dash signature",
			"“We need guarantees that are ratified.” — Volodymyr Zelensky, in his evening address\n",
			"ratified", "zelensky"},
		{"bullet colon intro with a full name and a setting",
			"* NATO Secretary General Mark Rutte, at the foreign ministers' meeting: \"Ukraine's path to NATO is irreversible.\"\n",
			"path to NATO", "mark-rutte"},
		{"bullet colon intro with a surname presented before",
			"German Chancellor Friedrich Merz has again ruled out troops.\n\n* Merz, on ARD: \"We will not send the Bundeswehr without a mandate.\"\n",
			"send the Bundeswehr", "friedrich-merz"},
		{"colon intro with a participle",
			"* Finnish President Alexander Stubb, writing in the Financial Times: \"Finland knows what it means to live next to Russia.\"\n",
			"live next to Russia", "alexander-stubb"},
		{"colon intro with a passive question in single marks",
			"Finnish President Alexander Stubb spoke.\n\n* Stubb, asked later by Yle whether Finland would send troops: 'Not combat troops, but engineers and trainers, yes.'\n",
			"Not combat troops", "alexander-stubb"},
		{"an office with a country adjective is the person presented with it",
			"In Bucharest, President Nicușor Dan said Romania would offer an air base. “Romania is ready,” Dan said.\n\nDan added that the offer depended on Washington. “We need clarity from the United States before we ask Romanians to accept more risk,” the Romanian president said.\n",
			"We need clarity", "nicusor-dan"},
		{"an unnamed source in a colon intro is no one",
			"* One EU diplomat, on the state of the annex: \"It's a Christmas tree. Everyone is hanging their own ornament on it.\"\n",
			"Christmas tree", ""},
		{"a participle clause before the subject",
			"Melnychuk's comments came as allies prepare. Asked about the interview, Kremlin spokesman Dmitry Peskov told reporters in Moscow that Kyiv's demands showed it was \"not ready for a serious conversation.\" He said any arrangement would have to take into account \"the legitimate security interests of the Russian Federation,\" adding: \"Nobody will build a guarantee for Ukraine against Russia without Russia.\"\n",
			"Nobody will build", "dmitry-peskov"},
		{"a transcript's turn is its speaker's words",
			"Taras Melnychuk, a negotiator, spoke to us.\n\nQ: What came out of it?\n\nMELNYCHUK: Progress, honestly. For the first time we discussed numbers.\n",
			"we discussed numbers", "taras-melnychuk"},
		{"an interviewer's unnamed label starts no turn",
			"Taras Melnychuk spoke to us.\n\nQ: What came out of the meeting in London yesterday?\n",
			"", ""},
		{"a label that names a place starts no turn",
			"KYIV: Ukraine's allies met on Tuesday to discuss the force.\n",
			"", ""},
		{"a new sentence after a quotation is not its attribution",
			"Taras Melnychuk spoke first. Kremlin spokesman Dmitry Peskov said it was \"not ready for a serious conversation.\" He said any arrangement would have to take Russia into account.\n",
			"serious conversation", "dmitry-peskov"},
		{"a bare attribution after a full stop is one",
			"President Donald Trump weighed in before dawn. \"The Europeans are finally stepping up. About time!\" Trump wrote on Truth Social, without referring to Romania.\n",
			"finally stepping up", "trump"},
		{"a one-word quotation inside a clause is no one's, and \"NATO states\" is no verb",
			"Kremlin officials have said more quietly that\nRussia could accept “monitors” from neutral countries, but not troops\nfrom NATO states.\n",
			"monitors", ""},
		{"an institution between quotations is no other speaker",
			"President Volodymyr Zelensky has made the argument. “We gave up our nuclear weapons for that word,” he said in an address\nto the Verkhovna Rada this month. “I will not sign a second Budapest.”\n",
			"second Budapest", "zelensky"},
		{"a headline in capitals with a colon is no transcript turn",
			"KHARKIV’S LONG NIGHTS: What would it take to make a ceasefire hold?\n\nBy Anna Long\n",
			"", ""},
		{"an office with a demonym no actor has",
			"In Berlin, Chancellor Friedrich Merz has said Germany will pay, but he has resisted pressure.\n\n“We are not going to send a brigade into a country at war,” the German chancellor said in Hanover.\n",
			"send a brigade", "friedrich-merz"},
		{"an office with a country's possessive",
			"Władysław Kosiniak-Kamysz, the Polish deputy prime minister and defence minister, said the bases were ready.\n\n“Polish pilots will fly. The question is whether they fly with us,” Poland’s defence minister said.\n",
			"Polish pilots will fly", "wladyslaw-kosiniak-kamysz"},
		{"an office of another country is not the person in focus",
			"French President Emmanuel Macron spoke in Paris.\n\n“We will not be there to patrol a line,” the Spanish prime minister said.\n",
			"patrol a line", ""},
		{"a quotation inside a quotation is the inner speaker's",
			"Anders Holm, a retired Danish general, spoke.\n\n“What is missing is the decision. I remember President Macron telling a room full of\ngenerals, ‘If we are not ready to respond, we should not go at all.’\nEveryone nodded.” Holm said.\n",
			"not ready to respond", "macron"},
		{"an inner quotation no words attribute stays unattributed",
			"President Volodymyr Zelensky spoke. “In 1994 they told us, ‘Your borders will be respected, you have our word.’ We gave up our weapons,” he said.\n",
			"Your borders will be respected", ""},
		{"talks of",
			"Emmanuel Macron talks of a force that would be “there for the long term”.\n",
			"long term", "macron"},
		{"a coordinated clause after the closing mark has its own speaker",
			"Maria Zakharova has described the plan as “NATO occupation by the back door”, and Vladimir Putin said in March that troops would be “legitimate targets for our armed forces”.\n",
			"back door", "zakharova"},
		{"a body naming its creation gives a label",
			"The French president said the coalition had agreed to create what it is calling the “Multinational Force Ukraine”, with a headquarters in Paris.\n",
			"Multinational Force Ukraine", ""},
		{"a view stated through an adjective",
			"Germany’s Friedrich Merz has been candid that Berlin will contribute “air defence, money and training, but not a brigade on the Dnipro” — a position that is defensible.\n",
			"not a brigade", "friedrich-merz"},
		{"a qualified office presented further down a liveblog",
			"13.05 BST\n\nMoscow has responded. \"London has once again chosen to prolong the war instead of ending it,\" the Kremlin spokesman told Russian news agencies.\n\n12.10 BST\n\nDmitry Peskov, the Kremlin spokesman, said Russia had no intention of talking.\n",
			"chosen to prolong", "dmitry-peskov"},
		{"an inner quotation closed before a comma",
			"Ben Wallace is scathing. “When President Trump says ‘we will help them, they are the first line of defence’, nobody knows what that means,” he told me.\n",
			"first line of defence", "trump"},
		{"an inner quotation of the outer speaker's interlocutor stays unattributed",
			"Recalling the meeting, the Ukrainian president Volodymyr Zelensky told the Review: “The president said to me, ‘You will have the best protection anyone ever had,’ and I said: good.”\n",
			"best protection", ""},
		{"a label officials have started calling",
			"He confirmed that RAF Typhoons would police what officials have started calling \"no man's sky\" over western Ukraine.\n",
			"no man's sky", ""},
		{"a label formally called",
			"At the École Militaire, officers working on what is formally called “Multinational Force Ukraine” have spent months modelling.\n",
			"Multinational Force Ukraine", ""},
		{"a participle after a new sentence that follows a quotation",
			"Maria Zakharova has said troops would be “participants in the conflict.” Sergei Lavrov, the foreign minister, went further in an interview, declaring that “any European soldier on Ukrainian soil is an invitation to war.”\n",
			"invitation to war", "sergei-lavrov"},
		{"a paragraph of quotation after one about its speaker answering",
			"Colonel Oksana Hrytsenko watched them trudge past.\n\nShe had been asked what she thought of the force. She took a long time to answer.\n\n“I am grateful, of course. Anyone who comes to stand with us is welcome.”\n",
			"I am grateful", "oksana-hrytsenko"},
		{"a quotation inside a turn is not the turn speaker's",
			"Kaja Kallas joined us.\n\nKAJA KALLAS: When I met Secretary Rubio last week he said to me, \"We are not going to leave the Europeans alone in this,\" and I take him at his word.\n",
			"leave the Europeans alone", ""},
		{"a presenter reading back a guest's words gives them to the guest",
			"Kaja Kallas joined Ruth Abernethy.\n\nKAJA KALLAS: Ukraine's own army is the first line of deterrence for all of us.\n\nRUTH ABERNETHY: Ms Kallas called the Ukrainian army the \"first line of deterrence\". Is that the real guarantee?\n",
			"first line of deterrence", "kallas"},
		{"a pull quote signed on the next line after a hyphen",
			"QUOTE OF THE DAY\n\n\"Guarantees are like parachutes. You only find out if they work when you really need them.\"\n - Ben Wallace, former UK defence secretary, at the Warsaw Security Forum\n",
			"like parachutes", "wallace"},
		{"a verbless colon intro ending in a name",
			"• London. Committee chair Meg Hillier: \"Prime minister, the public can count even if the government won't.\"\n",
			"the public can count", "meg-hillier"},
		{"a name after a lowercase title is the sentence's focus",
			"Defence minister Denys Shmyhal is blunt about the arithmetic. “No foreign contingent will be bigger than our brigades,” he told me in his office.\n",
			"bigger than our brigades", "denys-shmyhal"},
		{"an unnamed person inside a sentence takes the pronoun after it",
			"Yaroslav Hnatiuk runs a drone works.\n\nAt a training area west of Kyiv, a brigade commander who goes by the call sign “Lys” watches recruits. He asks that his name not be published. “Foreign troops? Good, let them guard the airports,” he says.\n",
			"guard the airports", ""},
		{"told someone that starts a sentence of its own",
			"Volodymyr Zelensky has arrived.\n\nHe added that sanctions must be reversible \"automatically, not after a summit, not after a vote.\" A member of his delegation told Europa Today that Kyiv was satisfied.\n",
			"not after a vote", "zelensky"},
		{"an unnamed source after a conjunction",
			"Hungary and Slovakia have both signalled unease, and one EU diplomat described the negotiations as \"a knife fight in a phone box\".\n",
			"knife fight", ""},
		{"a participle phrase is no unnamed source",
			"German Chancellor Friedrich Merz arrived.\n\nMerz, who has resisted committing German ground troops, told reporters: \"Germany's contribution will be in money.\" Asked about soldiers, he said only that the Bundestag \"would have the last word, as it always does.\"\n",
			"the last word", "friedrich-merz"},
		{"a surname opening a sentence is its focus",
			"Italian Prime Minister Giorgia Meloni struck a different note.\n\nMeloni said Italy would help in the Black Sea, but repeated her preference. “A guarantee modelled on Article 5 is stronger than a thousand soldiers,” she said.\n",
			"modelled on Article 5", "giorgia-meloni"},
		{"a platform is no person",
			"Donald Trump has weighed in. Writing on Truth Social, the US president said: “Great to see Europe stepping up, finally, on Ukraine.”\n",
			"stepping up", "trump"},
		{"a named object of the sentence is its focus",
			"Such language does not alarm Gheorghe Stan, 67, who has fished out of Midia for forty years.\n\n\"They have been threatening us since before I was born,\" he said.\n",
			"threatening us", "gheorghe-stan"},
		{"a name after \"according to\" is the focus",
			"According to Matthew Whitaker, the US ambassador to NATO, the contribution will stop at the border. “We will not be there on the ground,” he said.\n",
			"on the ground", "matthew-whitaker"},
		{"a label with the role after the name",
			"Iryna Koval moderated.\n\nIRYNA KOVAL (MODERATOR): Good afternoon, colleagues. The Minister will make a short statement.\n\nKOVAL: We have time for one more.\n",
			"time for one more", "iryna-koval"},
		{"an Irish surname with its particle",
			"For the opposition, Colm Ó Riordáin, professor of international law, spoke.\n\n“Neutral is not the same as absent,” Ó Riordáin said.\n",
			"Neutral is not", "colm-o-riordain"},
		{"a possessive opening the sentence, the name in apposition",
			"Colm Ó Riordáin spoke.\n\nHis witness, Hugh Trevelyan-Marsh, a former British diplomat, went further. He recounted a conversation with Sergei Ryabkov, Russia’s deputy foreign minister: “He said to me, ‘We do not sign guarantees that we did not write.’ I have thought about it every day.”\n",
			"thought about it every day", "hugh-trevelyan-marsh"},
		{"an inner pronoun is the other person the outer sentence names",
			"Colm Ó Riordáin spoke.\n\nHis witness, Hugh Trevelyan-Marsh, a former British diplomat, went further. He recounted a conversation with Sergei Ryabkov, Russia’s deputy foreign minister: “He said to me, ‘We do not sign guarantees that we did not write.’ I have thought about it every day.”\n",
			"We do not sign guarantees", "sergei-ryabkov"},
		{"an appositive's indefinite office presents the named person",
			"His witness, Hugh Trevelyan-Marsh, a former British diplomat who served in Moscow, went further.\n\nThe retired diplomat added that the Kremlin would read any deployment “through the lens of 1999 and Kosovo, whatever we intend”.\n",
			"lens of 1999", "hugh-trevelyan-marsh"},
		{"an office in a relative clause names its holder",
			"Presiding was Catherine Ní Bhriain, a retired judge of the Supreme Court.\n\nAfterwards the figures were 52 per cent for, a shift the judge described as “a modest conversion, and an honest one”.\n",
			"modest conversion", "catherine-ni-bhriain"},
		{"an unnamed juror",
			"One juror, a retired sergeant who asked not to be named, said she had changed her mind. “It was the woman in the shelter,” she said.\n",
			"woman in the shelter", ""},
		{"\"her words\" before a quotation",
			"MCKENNA: The Russian foreign ministry said today - Maria Zakharova again - that any limits must be, her words, \"binding and verifiable\". Moscow wants a cap.\n",
			"binding and verifiable", "zakharova"},
		{"a word a country \"says\" is a term",
			"That is a long way from the automaticity that Ukrainians mean when they say “guarantee”.\n",
			"guarantee", ""},
		{"a list item on its own line starts a sentence",
			"Our correspondent collected the arrival comments:\n\n• Kristen Michal, Estonian prime minister: \"Why would we take him at his word?\"\n• Gitanas Nausėda, Lithuanian president: \"Sanctions are the cheapest security guarantee Europe has.\"\n",
			"cheapest security guarantee", "gitanas-nauseda"},
		{"an office of a body with its possessive",
			"13:30\n\nThe EU's foreign policy chief, speaking to reporters on arrival: “Russia has not earned a single day of sanctions relief.”\n",
			"single day of sanctions relief", "kallas"},
		{"scare-quoted label after a dash is no signature",
			"Tomorrow: our explainer on the \"reassurance force\" -- who would command it.\n",
			"reassurance force", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			found, _ := FindQuotes(b, tc.text)
			if tc.has == "" {
				if len(found) > 0 {
					t.Fatalf("found %+v, want none", found)
				}
				return
			}
			// the innermost quotation that holds it
			var got *Found
			for i, f := range found {
				if strings.Contains(f.Text, tc.has) && (got == nil || len(f.Text) < len(got.Text)) {
					got = &found[i]
				}
			}
			if got != nil {
				if got.Speaker != tc.speaker {
					t.Fatalf("%q: speaker %q, want %q", got.Text, got.Speaker, tc.speaker)
				}
				return
			}
			t.Fatalf("no quotation holds %q in %+v", tc.has, found)
		})
	}
}
