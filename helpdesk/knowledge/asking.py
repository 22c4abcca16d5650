"""Whether a sentence asks: a question (its mark, spoken or written, or a question word first) or a
request (a plea, a wish, an imperative). ``reading`` tells questions from story with these, and
``clauses`` where one clause ends and the next begins."""

from __future__ import annotations

import re

# Particles that add one more thing to what was said ("also", "one more"), after "and" before a
# second question: "un vēl kā …", "и ещё где …", "and also how …" (folded; Latin-letter Russian
# spells "ещё" in many ways: "eshe", "eshhe", "eshche", "esche", "ewe").
RU_ADDITIVE = r"(?:еще|также|тоже|eshhe|eshche|eshe|esche|ewe|takzhe|tozhe)"
ADDITIVE = rf"(?:{RU_ADDITIVE}|vel|ari|also|too)"

# Asking to be told, with a plea or "me" after it: "Подскажите, пожалуйста, где …", "pasakiet
# man, kur …", "tell me where …", "let me know when …" (folded).
_TELL = (
    r"(?:(?:под)?скажите|объясните|поясните|уточните|(?:pod)?skazhite|objasnite|pasakiet|pastastiet|"
    r"paskaidrojiet|izskaidrojiet|tell|explain|let (?:me|us) know)"
    r"(?:[ \t,]+(?:ludzu|please|pls|пожалуйста|pozhalujsta|man|mums|мне|нам|mne|me|us))*"
)
# Not knowing or wanting to know, or asking to be told, then what is not known: an indirect
# question (folded).
_INDIRECT = (
    rf"\b(?:{_TELL}|ne(?:zinu|zinam|saprotu|saprotam)|(?:mani |mus )?interese|"
    r"не (?:знаю|понимаю|пойму|разберусь)|(?:меня |нас )?интересует|интересно|"
    r"ne (?:znaju|ponimaju)|interesuet|"
    r"(?:don't|do not|dont|can't|cannot|can not) (?:know|understand|figure out|work out|tell)|"
    r"i wonder|wondering|(?:i'm |i am |we're |we are )?not sure)"
    r"[ \t,:-]+(?:(?:par|uz|no|pie|lidz|за|до|по|на|в|с|for|to|about|on)[ \t]+)?"
    r"(?:ka|ko|kur|kurp|kad|kapec|cik|kas|kam|vai|kad[sai]|kur[aiu]?|kurs|"
    r"как\w*|где|куда|откуда|когда|почему|зачем|сколько|что|чем|кто|кому|ли|"
    r"kak\w*|gde|kuda|kogda|pochemu|zachem|skolko|chto|kto|"
    r"how|where|when|why|what|who|which|whether|if)\b"
)

# A sentence that asks: a question mark, spoken or written, a question word first, or the Russian
# question particle "ли" ("Можно ли …", "смогу ли я …", "est li …") anywhere (folded). The words are each
# language's interrogatives, all of them, so a question written without its mark ("Ko tās nozīmē",
# "Кто за это отвечает", "kādam nolūkam jūs izmantojat manu kodu") still reads as one.
QUESTION = re.compile(
    r"\?|jautajuma zime|вопросительный знак|question mark|\b(?:ли|li)\b|"
    rf"^\W*(?:i|a)\s+(?:{RU_ADDITIVE}\s+)?(?:gde|kak\w*|kogda|mozhno|skolko|pochemu|zachem|kuda)\b|"
    # "… un kur …", "… and also how …": a clause cut off a question ("i gde …" above: "и где …")
    rf"^\W*(?:(?:un|и|а|and|also|bet|но|but)\s+)?(?:{ADDITIVE}\s+)?"
    r"(?:ka|ko|kur|kurp|kad|kapec|kadel|kalab|cik|kas|kam|vai|kur[su]|kura[ms]?|kuri|kuru|"
    r"kad(?:s|a|i|u|as|am|iem|os|ai)|"
    r"how|where|when|why|what|who|whom|whose|which|can|could|would|should|will|shall|is|are|do|"
    r"does|did|has|have|"
    r"как|где|куда|откуда|когда|почему|зачем|сколько|что|чем|кто|кому|чей|чья|чьи|можно|"
    r"как(?:ой|ая|ое|ие|их|им|ую|ого|ому)|"
    r"kak|gde|kuda|otkuda|kogda|pochemu|zachem|skolko|chto|kto|mozhno|kak(?:oj|aja|oe|ie))\b|"
    # ... also after a preposition: "līdz kuram datumam …", "до какого числа …", "for how long …".
    r"^\W*(?:(?:un|и|а|and|also|bet|но|but)\s+)?(?:lidz|par|uz|no|pec|до|за|по|с|от|для|в|на|do|za|po|"
    r"by|until|till|for|from|in|on|to|with)\s+(?:ko|kur[ai]?[ms]?|kuru|kad(?:s|a|am|iem|u)|cik|"
    r"как(?:ой|ая|ое|ие|их|им|ую|ого|ому|ом)|чего|чему|чем|что|когда|сколько|kak(?:oj|ogo|uju|om)|chego|"
    r"how|when|what|which|whom)\b"
    # ... or asked indirectly: "nezinu, kur …", "не понимаю, куда их вносить", "интересует, где …",
    # "I don't understand what …", "not sure if …": the question word after a verb of not knowing;
    rf"|{_INDIRECT}"
    # ... or a short question that ends the sentence and points back at what it said: "… e-pastā
    # nevis papīrā kā to izdarīt", "…, how do i do that", "… как это сделать".
    r"|\b(?:how|where)\s+(?:\w+\s+){0,3}?(?:it|that|this)\W*$"
    r"|\b(?:ka|kur|как|где|kak|gde)\s+(?:\w+\s+)?(?:to|tas|это|eto)\s+\w+(?:t|ties|ть|ться|ti|t')\W*$"
)
# A request: "lūdzu", "please", "пожалуйста", "I want/need", an imperative ("atsūtiet", "пришлите").
REQUEST = re.compile(
    r"\b(?:ludzu|gribu|gribetu|velos|veletos|vajag|vajadzetu|nepieciesam\w*|please|pls|i want|i would like|"
    r"i'd like|i need|we need|(?:could|can|would) (?:you|u)|пожалуйста|прошу|хочу|хотел\w*|нужн\w*|надо|"
    r"pozhalujsta|proshu|hochu|nuzhn\w*|nado|pieprasu|pieprasam|ludzam|требую|просим|trebuju|"
    r"i demand|i request|we request|i ask you)\b|\w{3,}(?:iet|ite|ьте|йте|ите)\b"
    # ... an English imperative that opens the sentence ("Send me …", "and tell me …", "and also tell me …"),
    # ... a wish without its "I", as chat drops it ("also need every invoice from this year"),
    r"|^\W*(?:(?:and|also)\s+)?(?:need|want)\s+(?!to\s+know\b)\w"
    r"|^\W*(?:and\s+)?(?:also\s+)?(?:send|tell|give|change|update|remove|unsubscribe|cancel|stop|delete|correct|fix|"
    r"explain|show|email)\s+(?:me|us|my|our|the|it|this|that)\b"
    # ... and the clause "…, а также …" is cut at (``clauses._CLAUSE``): a second request of the same kind.
    r"|^\W*(?:ka ari|а также|a takzhe|as well as)\s"
)
