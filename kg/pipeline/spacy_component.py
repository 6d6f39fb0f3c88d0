"""kg's event extraction as a spaCy pipeline component, for users who already run spaCy:

    nlp = spacy.load("en_core_web_sm")      # any English pipeline with a parser, tagger,
    nlp.add_pipe("kg_events")               # lemmatizer and NER ("kg_events" is registered
    doc = nlp("Russia condemned the strike.")   # through kg's spacy_factories entry point)
    for event in doc._.events:              # kg.Event records, in reading order
        print(event.subject.name, event.action, event.cameo)

The component reads the Doc's sentences as they are (kg's own reading of articles also splits
titles, bylines and datelines into lines of their own) and sets `doc._.events` to the list of
`kg.Event`s found (`event.to_record()` gives the JSON record of `kg extract`); `doc._.events`
is None on a Doc the component has not seen. Its config: `article_id` (the id events and their
IRIs are made from; by default one made from the text), `date` (YYYY-MM-DD, the date that
resolves "on Monday" and dates the events), `actors` (a TSV gazetteer of your own actors, as
`kg extract --actors`).
"""
from __future__ import annotations

import hashlib

from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import KgError
from kg.model import Article, Event

FACTORY = "kg_events"

if not Doc.has_extension("events"):
    Doc.set_extension("events", default=None)


class EventsComponent:
    """Sets `doc._.events` to the events kg extracts from the Doc."""

    def __init__(self, nlp: Language, name: str = FACTORY, article_id: str | None = None,
                 date: str | None = None, actors: str | None = None) -> None:
        from kg.gazetteer import load_gazetteer
        from kg.ingest.articles import _parse_date

        self.name = name
        self.article_id = article_id
        self.date = _parse_date(date, f"the {name} component's date") if date else None
        self.gazetteer = load_gazetteer(actors) if actors else None

    def __call__(self, doc: Doc) -> Doc:
        doc._.events = doc_events(doc, self.article_id, self.date, self.gazetteer)
        return doc


@Language.factory(FACTORY, default_config={"article_id": None, "date": None, "actors": None})
def make_events_component(nlp: Language, name: str, article_id: str | None, date: str | None,
                          actors: str | None) -> EventsComponent:
    """The `kg_events` factory: `nlp.add_pipe("kg_events", config={"date": "2024-03-05"})`."""
    return EventsComponent(nlp, name, article_id, date, actors)


def doc_events(doc: Doc, article_id: str | None = None, date: str | None = None,
               gazetteer=None) -> list[Event]:
    """The events kg extracts from a parsed Doc (its sentences as spaCy split them)."""
    from kg.extract.events import extract_events
    from kg.nlp.parse import ParsedArticle, Sentence

    missing = [attr for attr, has in (("dependency parse", doc.has_annotation("DEP")),
                                      ("lemmas", doc.has_annotation("LEMMA")),
                                      ("part-of-speech tags", doc.has_annotation("TAG")))
               if not has]
    if len(doc) and missing:
        raise KgError(f"the {FACTORY} component needs a Doc with a {', '.join(missing)}: add it after "
                      "the pipeline's parser, tagger, lemmatizer and ner")
    article = Article(id=article_id or f"doc-{hashlib.sha1(doc.text.encode('utf-8')).hexdigest()[:12]}",
                      text=doc.text, date=date)
    sentences = []
    for sent in doc.sents if len(doc) else ():
        text = sent.text.strip()
        if text:
            sentences.append(Sentence(len(sentences), sent, "body", text))
    return extract_events(ParsedArticle(article, doc, tuple(sentences)), gazetteer)
