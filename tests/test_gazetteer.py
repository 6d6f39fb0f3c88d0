"""The built-in actor gazetteer (ontology/actors.tsv) and its loader."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import InputError
from kg.gazetteer import ACTOR_TYPES, GazetteerEntry, load_gazetteer, normalize

ROOT = Path(__file__).resolve().parent.parent
HEADER = "name\ttype\tcountry\taliases\tdemonyms\tmetonyms\twikidata\n"


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def resolved(gaz, text):
    entry = gaz.lookup(text)
    return None if entry is None else (entry.name, entry.type, entry.country)


# --- names, aliases, abbreviations -------------------------------------------------


@pytest.mark.parametrize(
    "text, name, country",
    [
        ("Russia", "Russia", "RUS"),
        ("Russian Federation", "Russia", "RUS"),
        ("Israel", "Israel", "ISR"),
        ("United States", "United States", "USA"),
        ("the United States", "United States", "USA"),
        ("United States of America", "United States", "USA"),
        ("America", "United States", "USA"),
        ("US", "United States", "USA"),
        ("U.S.", "United States", "USA"),
        ("USA", "United States", "USA"),
        ("U.S.A.", "United States", "USA"),
        ("UK", "United Kingdom", "GBR"),
        ("U.K.", "United Kingdom", "GBR"),
        ("Britain", "United Kingdom", "GBR"),
        ("Great Britain", "United Kingdom", "GBR"),
        ("Burma", "Myanmar", "MMR"),
        ("Ivory Coast", "Côte d'Ivoire", "CIV"),
        ("Cote d'Ivoire", "Côte d'Ivoire", "CIV"),
        ("Côte d’Ivoire", "Côte d'Ivoire", "CIV"),
        ("South Korea", "South Korea", "KOR"),
        ("Republic of Korea", "South Korea", "KOR"),
        ("North Korea", "North Korea", "PRK"),
        ("DPRK", "North Korea", "PRK"),
        ("Türkiye", "Turkey", "TUR"),
        ("Turkiye", "Turkey", "TUR"),
        ("Czechia", "Czech Republic", "CZE"),
        ("Syrian Arab Republic", "Syria", "SYR"),
        ("Viet Nam", "Vietnam", "VNM"),
        ("The Gambia", "Gambia", "GMB"),
        ("Guinea-Bissau", "Guinea-Bissau", "GNB"),
        ("Guinea Bissau", "Guinea-Bissau", "GNB"),
        ("Guinea", "Guinea", "GIN"),
        ("Palestine", "Palestine", "PSE"),
        ("State of Palestine", "Palestine", "PSE"),
        ("Taiwan", "Taiwan", "TWN"),
        ("Kosovo", "Kosovo", "XKX"),
        ("Holy See", "Vatican", "VAT"),
        ("Western Sahara", "Western Sahara", "ESH"),
        ("DRC", "Democratic Republic of the Congo", "COD"),
        ("Congo-Brazzaville", "Republic of the Congo", "COG"),
        ("UAE", "United Arab Emirates", "ARE"),
    ],
)
def test_names_and_aliases(gaz, text, name, country):
    entry = gaz.lookup(text)
    assert entry is not None, text
    assert (entry.name, entry.type, entry.country) == (name, "State", country)


def test_normalisation():
    assert normalize("U.S.") == "US"
    assert normalize("the U.N.") == "UN"
    assert normalize("  The   Kremlin’s ") == "Kremlin"
    assert normalize("Israelis'") == "Israelis"
    assert normalize("Guinea\u2013Bissau") == "Guinea Bissau"
    assert normalize("Washington, D.C.") == "Washington DC"
    assert normalize("ＵＳ") == "US"  # NFKC folds full-width letters
    assert normalize("Foreign Minister") == "Foreign Minister"  # plain words are their own key
    assert normalize("The Hague") == "Hague"
    assert normalize("Theodore") == "Theodore"
    assert normalize("Foreign  Minister") == "Foreign Minister"


def test_case_insensitive_and_possessive(gaz):
    assert resolved(gaz, "russia") == ("Russia", "State", "RUS")
    assert resolved(gaz, "ISRAEL") == ("Israel", "State", "ISR")
    assert resolved(gaz, "Russia's") == ("Russia", "State", "RUS")
    assert resolved(gaz, "Israel’s") == ("Israel", "State", "ISR")
    assert resolved(gaz, "U.S.'s") == ("United States", "State", "USA")
    assert resolved(gaz, "Hamas's") == ("Hamas", "ArmedGroup", "PSE")
    assert resolved(gaz, "the  United\nStates") == ("United States", "State", "USA")


def test_unknown(gaz):
    assert gaz.lookup("Atlantis") is None
    assert gaz.lookup("") is None
    assert gaz.lookup("the") is None
    assert gaz.lookup("...") is None


# --- case rules --------------------------------------------------------------------


@pytest.mark.parametrize("text", ["us", "Us", "who", "Who", "is", "Is", "un", "pa", "ap", "eta", "ira", "Ira", "milf"])
def test_upper_case_abbreviations_need_upper_case_text(gaz, text):
    assert gaz.lookup(text) is None


@pytest.mark.parametrize(
    "text, name",
    [
        ("US", "United States"),
        ("WHO", "World Health Organization"),
        ("IS", "Islamic State"),
        ("UN", "United Nations"),
        ("U.N.", "United Nations"),
        ("PA", "Palestinian Authority"),
        ("AP", "Associated Press"),
        ("ETA", "ETA"),
        ("IRA", "Irish Republican Army"),
        ("ICC", "International Criminal Court"),
    ],
)
def test_upper_case_abbreviations(gaz, text, name):
    assert gaz.lookup(text).name == name


def test_common_words_need_a_capital(gaz):
    assert gaz.lookup("turkey") is None
    assert gaz.lookup("china") is None
    assert gaz.lookup("polish") is None
    assert gaz.lookup("kiwis") is None
    assert gaz.lookup("the pentagon") is None
    assert gaz.lookup("the Pentagon").country == "USA"
    assert gaz.lookup("Turkey").country == "TUR"
    assert gaz.lookup("TURKEY").country == "TUR"
    assert gaz.lookup("China").country == "CHN"
    assert gaz.lookup("Polish").country == "POL"


# --- demonyms and metonyms ---------------------------------------------------------


@pytest.mark.parametrize(
    "text, country",
    [
        ("Israeli", "ISR"),
        ("Israelis", "ISR"),
        ("Palestinian", "PSE"),
        ("Palestinians", "PSE"),
        ("American", "USA"),
        ("Americans", "USA"),
        ("Russian", "RUS"),
        ("British", "GBR"),
        ("Serb", "SRB"),
        ("Serbs", "SRB"),
        ("Serbian", "SRB"),
        ("Bosnian", "BIH"),
        ("Chinese", "CHN"),
        ("Ukrainians", "UKR"),
        ("Filipino", "PHL"),
        ("Emirati", "ARE"),
        ("Congolese", "COD"),
        ("Dominican", "DOM"),
        ("Nigerien", "NER"),
        ("Nigerian", "NGA"),
    ],
)
def test_demonyms(gaz, text, country):
    entry = gaz.lookup(text)
    assert entry is not None and entry.type == "State" and entry.country == country


@pytest.mark.parametrize(
    "text, country",
    [
        ("the Kremlin", "RUS"),
        ("Kremlin", "RUS"),
        ("Moscow", "RUS"),
        ("Washington", "USA"),
        ("the White House", "USA"),
        ("London", "GBR"),
        ("Downing Street", "GBR"),
        ("Whitehall", "GBR"),
        ("Beijing", "CHN"),
        ("Seoul", "KOR"),
        ("Pyongyang", "PRK"),
        ("Jerusalem", "ISR"),
        ("Ramallah", "PSE"),
        ("Kyiv", "UKR"),
        ("Kiev", "UKR"),
        ("Tehran", "IRN"),
        ("Reykjavik", "ISL"),
    ],
)
def test_metonyms(gaz, text, country):
    entry = gaz.lookup(text)
    assert entry is not None and entry.type == "State" and entry.country == country


# --- organisations ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text, name",
    [
        ("United Nations", "United Nations"),
        ("the UN", "United Nations"),
        ("Security Council", "United Nations Security Council"),
        ("U.N. Security Council", "United Nations Security Council"),
        ("EU", "European Union"),
        ("European Union", "European Union"),
        ("Brussels", "European Union"),
        ("NATO", "NATO"),
        ("Nato", "NATO"),
        ("OSCE", "Organization for Security and Co-operation in Europe"),
        ("African Union", "African Union"),
        ("Arab League", "Arab League"),
        ("ASEAN", "ASEAN"),
        ("OPEC", "OPEC"),
        ("World Health Organization", "World Health Organization"),
        ("IAEA", "International Atomic Energy Agency"),
        ("IMF", "International Monetary Fund"),
        ("World Bank", "World Bank"),
        ("WTO", "World Trade Organization"),
        ("ICJ", "International Court of Justice"),
        ("Red Cross", "International Committee of the Red Cross"),
        ("ICRC", "International Committee of the Red Cross"),
        ("UNRWA", "UNRWA"),
        ("UNHCR", "UNHCR"),
        ("UNICEF", "UNICEF"),
        ("OAS", "Organization of American States"),
        ("GCC", "Gulf Cooperation Council"),
        ("SCO", "Shanghai Cooperation Organisation"),
        ("BRICS", "BRICS"),
        ("G7", "G7"),
        ("G-20", "G20"),
        ("CIS", "Commonwealth of Independent States"),
        ("Council of Europe", "Council of Europe"),
        ("Interpol", "Interpol"),
    ],
)
def test_international_organisations(gaz, text, name):
    entry = gaz.lookup(text)
    assert entry is not None, text
    assert entry.name == name and entry.type == "InternationalOrganization" and entry.country is None


@pytest.mark.parametrize(
    "text, name, type_, country",
    [
        ("Hamas", "Hamas", "ArmedGroup", "PSE"),
        ("Hezbollah", "Hezbollah", "ArmedGroup", "LBN"),
        ("Hizbollah", "Hezbollah", "ArmedGroup", "LBN"),
        ("Houthis", "Houthis", "ArmedGroup", "YEM"),
        ("Ansar Allah", "Houthis", "ArmedGroup", "YEM"),
        ("the Taliban", "Taliban", "ArmedGroup", "AFG"),
        ("ISIS", "Islamic State", "ArmedGroup", None),
        ("ISIL", "Islamic State", "ArmedGroup", None),
        ("Daesh", "Islamic State", "ArmedGroup", None),
        ("al Qaeda", "al-Qaeda", "ArmedGroup", None),
        ("Al-Qaida", "al-Qaeda", "ArmedGroup", None),
        ("al-Shabab", "al-Shabaab", "ArmedGroup", "SOM"),
        ("Boko Haram", "Boko Haram", "ArmedGroup", "NGA"),
        ("Wagner Group", "Wagner Group", "ArmedGroup", "RUS"),
        ("FARC", "FARC", "ArmedGroup", "COL"),
        ("ELN", "ELN", "ArmedGroup", "COL"),
        ("PKK", "PKK", "ArmedGroup", "TUR"),
        ("Kurdistan Workers’ Party", "PKK", "ArmedGroup", "TUR"),
        ("MILF", "Moro Islamic Liberation Front", "ArmedGroup", "PHL"),
        ("Tamil Tigers", "Liberation Tigers of Tamil Eelam", "ArmedGroup", "LKA"),
        ("LTTE", "Liberation Tigers of Tamil Eelam", "ArmedGroup", "LKA"),
        ("KLA", "Kosovo Liberation Army", "ArmedGroup", "XKX"),
        ("Islamic Jihad", "Palestinian Islamic Jihad", "ArmedGroup", "PSE"),
        ("Palestinian Authority", "Palestinian Authority", "PoliticalOrganization", "PSE"),
        ("PLO", "Palestine Liberation Organization", "PoliticalOrganization", "PSE"),
        ("Fatah", "Fatah", "PoliticalOrganization", "PSE"),
        ("PFLP", "Popular Front for the Liberation of Palestine", "PoliticalOrganization", "PSE"),
        ("Muslim Brotherhood", "Muslim Brotherhood", "PoliticalOrganization", "EGY"),
        ("TASS", "TASS", "MediaOrganization", "RUS"),
        ("ITAR-TASS", "TASS", "MediaOrganization", "RUS"),
        ("Itar-Tass", "TASS", "MediaOrganization", "RUS"),
        ("Reuters", "Reuters", "MediaOrganization", "GBR"),
        ("Associated Press", "Associated Press", "MediaOrganization", "USA"),
        ("Xinhua", "Xinhua", "MediaOrganization", "CHN"),
        ("Al Jazeera", "Al Jazeera", "MediaOrganization", "QAT"),
        ("KCNA", "KCNA", "MediaOrganization", "PRK"),
        ("World Israel News", "World Israel News", "MediaOrganization", "ISR"),
        ("The Times of Israel", "Times of Israel", "MediaOrganization", "ISR"),
        ("The Washington Post", "Washington Post", "MediaOrganization", "USA"),
    ],
)
def test_groups_and_media(gaz, text, name, type_, country):
    assert resolved(gaz, text) == (name, type_, country)


def test_conflicts_prefer_states(gaz):
    assert resolved(gaz, "Georgia") == ("Georgia", "State", "GEO")
    assert resolved(gaz, "Jordan") == ("Jordan", "State", "JOR")
    assert resolved(gaz, "Congo") == ("Democratic Republic of the Congo", "State", "COD")
    # Longer names are distinct keys, not shadowed by their parts.
    assert gaz.lookup("Washington Post").type == "MediaOrganization"
    assert gaz.lookup("Palestinian Authority").type == "PoliticalOrganization"


# --- state_for_adjective, entries, aliases ------------------------------------------


@pytest.mark.parametrize(
    "word, country",
    [
        ("Israeli", "ISR"),
        ("Russian", "RUS"),
        ("US", "USA"),
        ("U.S.", "USA"),
        ("Palestinian", "PSE"),
        ("Chinese", "CHN"),
        ("Saudi", "SAU"),
        ("Iran", "IRN"),
        ("Kremlin", "RUS"),
        ("US-led", "USA"),
        ("Iranian-backed", "IRN"),
        ("Saudi–led", "SAU"),
    ],
)
def test_state_for_adjective(gaz, word, country):
    entry = gaz.state_for_adjective(word)
    assert entry is not None and entry.type == "State" and entry.country == country


@pytest.mark.parametrize("word", ["us", "Hamas", "NATO", "UN", "Reuters", "Atlantis", "left-led"])
def test_state_for_adjective_only_states(gaz, word):
    assert gaz.state_for_adjective(word) is None


def test_entries(gaz):
    entries = gaz.entries()
    assert all(isinstance(e, GazetteerEntry) for e in entries)
    assert all(e.type in ACTOR_TYPES for e in entries)
    names = [e.name for e in entries]
    assert len(names) == len(set(names))
    states = [e for e in entries if e.type == "State"]
    assert len(states) == 198  # 193 UN members + Palestine, Taiwan, Kosovo, Vatican, Western Sahara
    assert len({e.country for e in states}) == 198
    assert all(e.country and len(e.country) == 3 and e.country.isupper() for e in states)
    assert all(e.country is None for e in entries if e.type == "InternationalOrganization")
    by_name = {e.name: e for e in entries}
    assert by_name["Russia"].wikidata == "Q159"
    assert by_name["Israel"].wikidata == "Q801"
    assert by_name["United States"].wikidata == "Q30"
    assert all(e.wikidata is None or e.wikidata.startswith("Q") for e in entries)


def test_aliases(gaz):
    forms = gaz.aliases("United States")
    assert forms[0] == "United States"
    for form in ("US", "U.S.", "USA", "America", "American", "Americans", "Washington", "the White House"):
        assert form in forms
    assert set(gaz.aliases("Russia")) >= {"Russia", "Moscow", "the Kremlin", "Russian", "Russians"}
    assert gaz.aliases("U.S.") == forms  # any surface form resolves
    assert gaz.aliases("Atlantis") == []


def test_every_state_has_demonym_and_capital():
    """Counted straight from the TSV rows."""
    text = (ROOT / "ontology" / "actors.tsv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    header = lines[0].split("\t")
    assert header == ["name", "type", "country", "aliases", "demonyms", "metonyms", "wikidata"]
    rows = [dict(zip(header, line.split("\t"))) for line in lines[1:]]
    assert all(len(line.split("\t")) == len(header) for line in lines)
    states = [r for r in rows if r["type"] == "State"]
    assert sum(1 for r in states if r["demonyms"]) >= 190
    assert sum(1 for r in states if r["metonyms"]) >= 190
    assert sum(1 for r in states if r["demonyms"] and r["metonyms"]) >= 190


def test_default_is_cached():
    assert load_gazetteer() is load_gazetteer()


# --- user extension file ------------------------------------------------------------


def test_user_file_adds_and_overrides(tmp_path):
    path = tmp_path / "mine.tsv"
    path.write_text(
        "# my actors\n"
        + HEADER
        + "Sergei Lavrov\tPerson\tRUS\tLavrov\t\t\t\n"
        + "Kurdistan Regional Government\tPoliticalOrganization\tIRQ\tKRG\t\tErbil\t\n"
        # replaces the built-in Belgium: now Brussels is Belgium, for this gazetteer only
        + "Belgium\tState\tBEL\tKingdom of Belgium\tBelgian|Belgians\tBrussels\tQ31\n"
        # user forms win over built-in ones
        + "Washington State\tPoliticalOrganization\tUSA\tWashington\t\t\t\n",
        encoding="utf-8",
    )
    gaz = load_gazetteer(path)
    assert resolved(gaz, "Lavrov") == ("Sergei Lavrov", "Person", "RUS")
    assert resolved(gaz, "KRG") == ("Kurdistan Regional Government", "PoliticalOrganization", "IRQ")
    assert resolved(gaz, "Erbil") == ("Kurdistan Regional Government", "PoliticalOrganization", "IRQ")
    assert resolved(gaz, "Brussels") == ("Belgium", "State", "BEL")
    assert resolved(gaz, "Washington") == ("Washington State", "PoliticalOrganization", "USA")
    assert resolved(gaz, "the White House") == ("United States", "State", "USA")
    assert [e.name for e in gaz.entries()].count("Belgium") == 1
    assert len(gaz.entries()) == len(load_gazetteer().entries()) + 3
    # The cached default is untouched.
    assert resolved(load_gazetteer(), "Brussels") == ("European Union", "InternationalOrganization", None)
    assert load_gazetteer().lookup("Lavrov") is None


def test_user_file_with_fewer_columns(tmp_path):
    path = tmp_path / "short.tsv"
    path.write_text("name\ttype\tcountry\taliases\nOSINT Group\tGroup\t\tOG|Osint\n", encoding="utf-8")
    gaz = load_gazetteer(str(path))
    assert resolved(gaz, "Osint") == ("OSINT Group", "Group", None)
    assert gaz.lookup("og") is None and gaz.lookup("OG").name == "OSINT Group"


@pytest.mark.parametrize(
    "content, line, message",
    [
        (HEADER + "Foo\tNation\tFOO\t\t\t\t\n", 2, "type 'Nation'"),
        (HEADER + "\tState\tFOO\t\t\t\t\n", 2, "empty name"),
        (HEADER + "Foo\tState\tFo\t\t\t\t\n", 2, "ISO 3166-1"),
        (HEADER + "Foo\tState\tFOO\t\t\t\t123\n", 2, "Q-id"),
        (HEADER + "Foo\tState\tFOO\t\t\t\t\textra\n", 2, "8 tab-separated fields"),
        ("# comment\n\n" + HEADER + "Foo\tState\tFOO\n" + "foo\tState\tFOO\n", 5, "duplicate name"),
        ("name country type\nFoo State\n", 1, "unknown column"),
        ("country\taliases\nFOO\tFoo\n", 1, "lacks column(s) name, type"),
        (HEADER + "Foo bar State\n", 2, "type ''"),
    ],
)
def test_malformed_user_file(tmp_path, content, line, message):
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_gazetteer(path)
    text = str(info.value)
    assert str(path) in text
    assert f"line {line}" in text
    assert message in text


def test_user_file_without_header(tmp_path):
    path = tmp_path / "empty.tsv"
    path.write_text("# nothing here\n\n", encoding="utf-8")
    with pytest.raises(InputError, match="no header"):
        load_gazetteer(path)


def test_user_file_missing_or_not_utf8(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        load_gazetteer(tmp_path / "nope.tsv")
    path = tmp_path / "latin1.tsv"
    path.write_bytes(HEADER.encode() + "Foo\tState\tFOO\tFöö\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"line 2: not UTF-8"):
        load_gazetteer(path)

