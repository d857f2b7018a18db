"""What a visitor typed, read into words and "quoted phrases" — never passed on as search syntax.

PostgreSQL's ``to_tsquery`` has a syntax of its own (``& | ! <-> :*``, parentheses, quotes). User input is never
handed to it as such: only runs of letters and digits are kept, each quoted as a lexeme, and the operators are
put in here. So ``& | ! :* <->``, stray quotes or a NUL byte give a query without those words, never an error.
"""

import dataclasses
import re

MAX_ZEICHEN = 500  # of the input that is read at all
MAX_BEGRIFFE = 10  # words and phrases together
MAX_WORTLAENGE = 60
WORT = re.compile(r"[^\W_]+")
PHRASE = re.compile(r'"([^"]*)"')


@dataclasses.dataclass(frozen=True)
class Suchbegriff:
    text: str
    woerter: tuple = ()
    phrasen: tuple = ()  # each a tuple of words, to be found next to each other

    @classmethod
    def lesen(cls, text):
        text = (text or "").replace("\x00", " ")[:MAX_ZEICHEN].strip()
        phrasen = []
        for gefunden in PHRASE.findall(text):
            teile = tuple(wort.lower()[:MAX_WORTLAENGE] for wort in WORT.findall(gefunden))
            if teile:
                phrasen.append(teile)
        # What is left after the complete phrases, with any unbalanced quote, is read as plain words.
        rest = PHRASE.sub(" ", text)
        woerter = list(dict.fromkeys(wort.lower()[:MAX_WORTLAENGE] for wort in WORT.findall(rest)))
        phrasen = list(dict.fromkeys(phrasen))
        platz = MAX_BEGRIFFE - len(phrasen[:MAX_BEGRIFFE])
        return cls(text=text, woerter=tuple(woerter[:platz]), phrasen=tuple(phrasen[:MAX_BEGRIFFE]))

    def __bool__(self):
        return bool(self.woerter or self.phrasen)

    def alle_woerter(self):
        """Every word, from phrases too: what snippets highlight and suggestions correct."""
        return list(dict.fromkeys([*self.woerter, *(wort for phrase in self.phrasen for wort in phrase)]))

    def tsquery(self):
        """The query for ``to_tsquery('german', …)``: words as prefixes, phrases with ``<->``, all with ``&``.

        Every lexeme is quoted and holds only letters and digits, so the string is always valid syntax.
        """
        teile = [f"'{wort}':*" for wort in self.woerter]
        teile += ["(" + " <-> ".join(f"'{wort}'" for wort in phrase) + ")" for phrase in self.phrasen]
        return " & ".join(teile)

    def ersetzt(self, ersetzungen):
        """The query text with words replaced (for "Meinten Sie …"), as the visitor typed it otherwise.

        ``ersetzungen`` maps the lower-case words to the word list's (lower-case) words. The suggestion is shown to
        the visitor and becomes her next query, so it keeps her spelling, quotes and order, and a replaced word takes
        the case she gave the word it replaces: "Integraton" becomes "Integration", not "integration".
        """

        def ersetzen(treffer):
            wort = treffer.group(0)
            neu = ersetzungen.get(wort.lower()[:MAX_WORTLAENGE])
            if neu is None:
                return wort
            if len(wort) > 1 and wort.isupper():
                return neu.upper()
            return neu[:1].upper() + neu[1:] if wort[:1].isupper() else neu

        return WORT.sub(ersetzen, self.text)
