"""Credits around unquoted titles, as news writes them (fictional names): the exact facts each sentence gives."""

from __future__ import annotations

import pytest

from kg.extract import extract_facts
from kg.extract.mentions import title_runs
from kg.model import Document

from .conftest import stored_rows


def _facts(nlp, onto, text):
    doc = Document(id="urn:test", text=text)
    return {(f.subject.label, f.predicate, str(f.object))
            for f in extract_facts(doc, nlp(text), onto, relation_model=None)}


@pytest.mark.parametrize("text, expected", [
    ("Dana Fonseca stars in Shaun of the Valley, which opened last week.",
     {("Shaun of the Valley", "castMember", "Dana Fonseca")}),
    ("The film Northgate, starring Tomas Reyk, Lena Marsh and Ada Ferrante, was a hit.",
     {("Northgate", "castMember", "Tomas Reyk"), ("Northgate", "castMember", "Lena Marsh"),
      ("Northgate", "castMember", "Ada Ferrante")}),
    ("It was Mara Velden's 1950s drama Glass Harbor.", {("Glass Harbor", "director", "Mara Velden")}),
    ("Tomas Reyk's portrayal of Ray Fuller in Fuller won praise.", {("Fuller", "castMember", "Tomas Reyk")}),
    ("Northgate Pictures spokeswoman Lena Marsh declined to comment.", {("Lena Marsh", "worksFor", "Northgate Pictures")}),
    ("Dana Fonseca, who stars in and co-wrote Shaun of the Valley, won.",
     {("Shaun of the Valley", "castMember", "Dana Fonseca"), ("Shaun of the Valley", "screenwriter", "Dana Fonseca")}),
    ("The film Northgate (1970) was a hit.", {("Northgate", "releaseDate", "1970")}),
    ("Keane frontman Tom Chaplin thanked the fans.", {("Tom Chaplin", "memberOf", "Keane")}),
    ("Lemar and Jamelia performed Addicted To Love.",
     {("Addicted To Love", "performer", "Lemar"), ("Addicted To Love", "performer", "Jamelia")}),
])
def test_credit_shapes(nlp, onto, text, expected):
    assert _facts(nlp, onto, text) == expected


@pytest.mark.parametrize("sentence, titles", [
    ("She starred in Maria Full of Grace last year.", ["Maria Full of Grace"]),
    ("Both Shaun of the Dead and Bridget Jones: The Edge of Reason were shown.", ["Shaun of the Dead", "Bridget Jones: The Edge of Reason"]),
    ("They met Tom Hanks in Apollo Park.", []),
    ("The show opened at the Savoy on Sunday night.", []),
])
def test_unquoted_titles_are_read_whole_and_never_run_into_names_or_dates(nlp, sentence, titles):
    doc = nlp(sentence)
    sent = next(iter(doc.sents))
    assert [doc[s:e].text for s, e in title_runs(sent)] == titles


@pytest.mark.parametrize("headline", ["Night of premieres", "Fonseca's big year", "Box office report"])
def test_a_sentence_gives_the_same_facts_whatever_the_headline(nlp, onto, headline):
    sentence = "The film Northgate, starring Tomas Reyk, was a hit."
    assert _facts(nlp, onto, f"{headline}\n\n{sentence}") == _facts(nlp, onto, sentence)


def test_a_round_up_gives_no_roles_to_a_main_work(nlp, onto):
    text = ("Awards night\n\nThe comedy Harbor Lights won best film. Harbor Lights also won best score. "
            "Harbor Lights was praised. Actor Tomas Reyk thanked his family.")
    assert not any(p == "castMember" for _, p, _ in _facts(nlp, onto, text))


@pytest.mark.parametrize("text, expected", [
    ("Lena Marsh released her debut single, Paper Harbour, in May. Her 2019 album Glass Rivers sold well.",
     {("Paper Harbour", "performer", "Lena Marsh"), ("Glass Rivers", "performer", "Lena Marsh")}),
    # the person the article names most, of those it made subjects: not a name in passing
    ("Tomas Reyk died on Monday. Reyk was born in 1930. If Jonathan Hale was the king of swing, then Tomas Reyk was "
     "its prince. His 1962 album Blue Hours sold a million copies.",
     {("Blue Hours", "performer", "Tomas Reyk")}),
    # "his"/"her" point at a person, never at a company
    ("Ada Ferrante signed with Kestrel Records. Kestrel Records was founded in 1990. Her single Salt Lines followed.",
     {("Salt Lines", "performer", "Ada Ferrante")}),
    # no one to point at: no fact
    ("The crowd sang along. Her song Salt Lines closed the night.", set()),
])
def test_possessive_pronoun_works(nlp, onto, text, expected):
    assert {f for f in _facts(nlp, onto, text) if f[1] == "performer"} == expected


@pytest.mark.parametrize("text, expected", [
    # the words make the name before them a work, whatever the recogniser typed it as
    ("It was later spoofed in the comedy Harbourside!, starring Tomas Reyk.", {("Harbourside", "castMember", "Tomas Reyk")}),
    ("The festival opens with Salt Road, a historical epic starring Lena Marsh and Ada Ferrante.",
     {("Salt Road", "castMember", "Lena Marsh"), ("Salt Road", "castMember", "Ada Ferrante")}),
    ("The line-up includes the biopic Velden, which features Jonathan Hale.", {("Velden", "castMember", "Jonathan Hale")}),
    # a show named inside the person's description
    ("Kestrel Bay, starring former Harbour Watch actor Tomas Reyk, was best new comedy.",
     {("Kestrel Bay", "castMember", "Tomas Reyk"), ("Harbour Watch", "castMember", "Tomas Reyk")}),
])
def test_starring_shapes(nlp, onto, text, expected):
    assert {f for f in _facts(nlp, onto, text) if f[1] == "castMember"} == expected


@pytest.mark.parametrize("text, expected", [
    ("Iron Garden took $9.4m after expanding to 1,796 cinemas.", {("Iron Garden", "boxOffice", "9400000 USD")}),
    ("Northgate Nights was second with $24m.", {("Northgate Nights", "boxOffice", "24000000 USD")}),
    ("Paper Harbour fell two places to fourth with $7.4m.", {("Paper Harbour", "boxOffice", "7400000 USD")}),
    ("The Glass Harbour, starring Lena Marsh as Ada Ferrante, took $9.4m.",
     {("The Glass Harbour", "boxOffice", "9400000 USD")}),
    # part of the run, not the takings
    ("Iron Garden took $19.1m on Christmas Day alone.", set()),
    ("Iron Garden took $44.7m between 24 and 26 December.", set()),
    # which of the two took it is not said
    ("Iron Garden and Paper Harbour took $436m.", set()),
    # a person's name: a fee, not takings
    ("Tomas Reyk took $20m for the role.", set()),
])
def test_takings_beside_unquoted_titles(nlp, onto, text, expected):
    assert {f for f in _facts(nlp, onto, text) if f[1] == "boxOffice"} == expected


def test_possessive_title_credits_the_maker_by_the_articles_medium(nlp, onto):
    film = ("Iron Garden leads the box office\n\nThe film topped the US box office. Ada Ferrante's Iron Garden is her "
            "third film as director, and the film cost $20m.")
    play = ("Ada Ferrante play opens\n\nAda Ferrante's Iron Garden opened at the theatre on Friday. The play runs "
            "until May, and the theatre expects the play to sell out.")
    assert ("Iron Garden", "director", "Ada Ferrante") in _facts(nlp, onto, film)
    assert ("Iron Garden", "author", "Ada Ferrante") in _facts(nlp, onto, play)
    # an article about nothing in particular: no credit from the possessive alone
    plain = "Ada Ferrante's Iron Garden was mentioned on Friday."
    assert not {f for f in _facts(nlp, onto, plain) if f[0] == "Iron Garden"}


@pytest.mark.parametrize("text, expected", [
    ("Tomas Reyk, news editor of trade weekly Salt Lines, made the call.",
     {("Tomas Reyk", "worksFor", "Salt Lines")}),
    ("Lena Marsh, co-chairman of Kestrel Union, accepted the prize.", {("Lena Marsh", "worksFor", "Kestrel Union")}),
    ("Ada Ferrante of Northgate Nights said the film would do well.", {("Ada Ferrante", "worksFor", "Northgate Nights")}),
])
def test_employers_after_a_name(nlp, onto, text, expected):
    assert {f for f in _facts(nlp, onto, text) if f[1] in {"worksFor", "memberOf"}} == expected


@pytest.mark.parametrize("text, expected", [
    ("Tomas Reyk took the best supporting actor award for playing a gym manager in Iron Garden.",
     {("Iron Garden", "castMember", "Tomas Reyk")}),
    ("Lena Marsh won praise for her role as a smuggler in Paper Harbour.", {("Paper Harbour", "castMember", "Lena Marsh")}),
    # a title in title case that opens with a number word is a title, not an amount
    ("Ada Ferrante triumphed for playing a boxer in Million Harbour Baby.",
     {("Million Harbour Baby", "castMember", "Ada Ferrante")}),
])
def test_cast_for_playing_a_role(nlp, onto, text, expected):
    assert {f for f in _facts(nlp, onto, text) if f[1] == "castMember"} == expected


def test_award_category_is_not_a_name(nlp):
    doc = nlp("Lena Marsh won Best Actress for Paper Harbour.")
    assert [e.text for e in doc.ents if e.label_ in {"ORG", "PERSON", "WORK_OF_ART"}] == ["Lena Marsh"]


@pytest.mark.parametrize("text, expected", [
    ("Kestrel Radio DJ Tomas Reyk said the show would return.", {("Tomas Reyk", "worksFor", "Kestrel Radio")}),
    ("\"It was a guess,\" Northgate Hill spokesman Lena Marsh said.", {("Lena Marsh", "worksFor", "Northgate Hill")}),
])
def test_employer_and_job_before_a_name(nlp, onto, text, expected):
    assert {f for f in _facts(nlp, onto, text) if f[1] == "worksFor"} == expected


def test_an_amount_at_the_end_of_a_line_is_read(nlp, onto):
    text = "Iron Garden took $40m\nThe rest followed."
    assert {f for f in _facts(nlp, onto, text) if f[1] == "boxOffice"} == {("Iron Garden", "boxOffice", "40000000 USD")}


@pytest.mark.parametrize("text, expected", [
    ('Iron Garden sequel in talks\n\nA second "Iron Garden" film is in talks. Mara Velden directed "Iron Garden" in '
     '2019. "Iron Garden" grossed $40 million. Lena Marsh stars as the pilot Vera, and Tomas Reyk plays her father. '
     'Ada Ferrante wrote the screenplay together with Dana Fonseca.',
     {("Iron Garden", "castMember", "Lena Marsh"), ("Iron Garden", "castMember", "Tomas Reyk"),
      ("Iron Garden", "screenwriter", "Ada Ferrante"), ("Iron Garden", "screenwriter", "Dana Fonseca")}),
    # no work the article is about: nothing to give the roles to
    ("Lena Marsh stars as the pilot Vera, and Tomas Reyk plays her father.", set()),
])
def test_roles_without_a_work_go_to_the_articles_work(nlp, onto, text, expected):
    assert {f for f in _facts(nlp, onto, text) if f[1] in {"castMember", "screenwriter"}} == expected


@pytest.mark.parametrize("text, expected", [
    # a participle far from its work: the cast of the work its clause is about, not the characters after "as"
    ("Glass Harbor, a thriller about a port, was turned into a film in 1986, starring Tomas Reyk, Lena Marsh and a "
     "panoply of former soap stars.",
     {("Glass Harbor", "castMember", "Tomas Reyk"), ("Glass Harbor", "castMember", "Lena Marsh")}),
    ("The film Glass Harbor opened in 1970, starring Tomas Reyk as the harbour master and Lena Marsh as a pilot, "
     "alongside Ada Ferrante.",
     {("Glass Harbor", "castMember", "Tomas Reyk"), ("Glass Harbor", "castMember", "Lena Marsh"),
      ("Glass Harbor", "castMember", "Ada Ferrante")}),
    # a cast verb whose work is after "in", past the broadcaster and the genre
    ("Tomas Reyk, who starred in hit Kestrel TV comedy The Office Party, will play the lead.",
     {("The Office Party", "castMember", "Tomas Reyk")}),
    ("Critics cited the 2003 film The Long Road, in which Dana Fonseca played a man on death row.",
     {("The Long Road", "castMember", "Dana Fonseca")}),
    # a relative clause of several credits makes the name a work, and "he" is the sentence's subject
    ("Dana Fonseca won the award for best first feature for Garden Walls, which he wrote, directed and starred in.",
     {("Garden Walls", "castMember", "Dana Fonseca"), ("Garden Walls", "director", "Dana Fonseca"),
      ("Garden Walls", "screenwriter", "Dana Fonseca")}),
])
def test_cast_and_crew_from_clauses(nlp, onto, text, expected):
    assert {f for f in _facts(nlp, onto, text) if f[1] in {"castMember", "director", "screenwriter"}} == expected


def test_the_film_far_from_its_name_is_the_articles_work(nlp, onto):
    text = ("Reyk joins Harbour cast\n\nActor Tomas Reyk is joining the cast of the film adaptation of The Harbour "
            "Lights. He will voice the narrator. The Harbour Lights is due in May. The Harbour Lights was a hit "
            "first. Lena Marsh, Ada Ferrante and Dana Fonseca are co-starring in the film, due for release in May.")
    assert {f for f in _facts(nlp, onto, text) if f[1] == "castMember" and f[2] != "Tomas Reyk"} == {
        ("The Harbour Lights", "castMember", "Lena Marsh"), ("The Harbour Lights", "castMember", "Ada Ferrante"),
        ("The Harbour Lights", "castMember", "Dana Fonseca")}


def test_a_title_is_a_work_wherever_the_article_calls_it_one(nlp, onto):
    # "hit comedy Blackadder" types the name; "the show's star" and "appeared in the show" then reach it
    text = ("No return for Quillmoor\n\nThere are no plans for a new series of hit comedy Quillmoor, which ended in "
            "1989. Tomas Reyk said the show's star, Lena Marsh, was keen. Many actors, including Ada Ferrante and "
            "Dana Fonseca, also appeared in the show.")
    assert {f for f in _facts(nlp, onto, text) if f[1] == "castMember"} == {
        ("Quillmoor", "castMember", "Lena Marsh"), ("Quillmoor", "castMember", "Ada Ferrante"),
        ("Quillmoor", "castMember", "Dana Fonseca")}


@pytest.mark.parametrize("text, expected", [
    ("Harbour (1968) remains her best-loved work. Wheelhouse (1971) followed.",
     {("Harbour", "releaseDate", "1968"), ("Wheelhouse", "releaseDate", "1971")}),
])
def test_a_year_in_parentheses_dates_the_name_before_it(nlp, onto, text, expected):
    assert {f for f in _facts(nlp, onto, text) if f[1] == "releaseDate"} == expected


def test_a_first_name_is_not_a_prize_and_a_company_is_not_part_of_a_title(nlp, onto):
    text = "Tony Reyk lost out to Lena Marsh, who played Emilia in Othello for the Royal Kestrel Company."
    facts = _facts(nlp, onto, text)
    assert not any("Company" in s or p in {"awardReceived", "nominatedFor"} for s, p, _ in facts)


@pytest.mark.parametrize("text, expected", [
    # a description between the possessive and the kind noun, a person inside it
    ("Mara Velden's Howard Hughes biopic The Aviatrix came third.", {("The Aviatrix", "director", "Mara Velden")}),
    ("Tomas Reyk's anti-war documentary Glass Harbor won best film.", {("Glass Harbor", "director", "Tomas Reyk")}),
    # "the director's": the person the article is about
    ("Director Mara Velden was honoured. He cited the director's 2003 film The Long Road.",
     {("The Long Road", "director", "Mara Velden")}),
    # an actor's film is one they are in, not one they directed
    ("Hollywood actor Tomas Reyk was praised. It followed problems on the set of Reyk's previous film Glass Harbor.",
     {("Glass Harbor", "castMember", "Tomas Reyk")}),
    # a filmography
    ("British film director Mara Velden was honoured. Velden's films include Fame plus Midnight Road and The Quays.",
     {("Fame", "director", "Mara Velden"), ("Midnight Road", "director", "Mara Velden"),
      ("The Quays", "director", "Mara Velden")}),
    # the prize in the sentence says what "<work>'s <person>" credits
    ("The film Glass Harbor was praised. Glass Harbor's Lena Marsh was named best director.",
     {("Glass Harbor", "director", "Lena Marsh")}),
])
def test_possessive_makers_and_filmographies(nlp, onto, text, expected):
    assert {f for f in _facts(nlp, onto, text) if f[1] in {"castMember", "director"}} == expected


def test_her_points_at_a_woman_not_the_last_man_named(nlp, onto):
    text = ("Late R&B star Lenna Quay's label has lost a case. Lenna Quay had finished a video. She was killed in a "
            "crash. The label's lawyer Frank Penski said he would appeal. Lenna Quay was a rising star. She won awards "
            "and her single More Than A Dream went to number one.")
    facts = _facts(nlp, onto, text)
    assert {f for f in facts if f[1] == "performer"} == {("More Than A Dream", "performer", "Lenna Quay")}
    assert not any(p == "castMember" for _, p, _ in facts)  # "Late R&B star" describes, it names no show


@pytest.mark.parametrize("text, expected", [
    ("Will Quay won the best single prize for Your Game.", {("Your Game", "performer", "Will Quay")}),
    ("The singer Lena Marsh won the best video award for Paper Harbour.", {("Paper Harbour", "performer", "Lena Marsh")}),
])
def test_a_music_prize_for_a_record_names_its_performer(nlp, onto, text, expected):
    assert {f for f in _facts(nlp, onto, text) if f[1] == "performer"} == expected


@pytest.mark.parametrize("text, expected", [
    # "Mr Quillan" makes "Peter Quillan" a person wherever the recogniser took the name for a company
    # the recogniser takes "Angie Verrigo" for a company here
    ('Critics tipped the film, with the Observer\'s Angie Verrigo plumping for it. "He will win," said Ms Verrigo.',
     {("Angie Verrigo", "worksFor", "Observer")}),
    ("Northgate Theatre artistic director Lena Marsh said the play would return.",
     {("Lena Marsh", "worksFor", "Northgate Theatre")}),
    ("Kestrel Records' lawyer Frank Penski said he had yet to read the ruling.",
     {("Frank Penski", "worksFor", "Kestrel Records")}),
])
def test_employers_named_before_a_person(nlp, onto, text, expected):
    assert {f for f in _facts(nlp, onto, text) if f[1] == "worksFor"} == expected


def test_a_genre_star_is_no_cast_member_of_the_articles_work(nlp, onto):
    text = ("Glass Harbor opens\n\nThe film Glass Harbor opens today. Glass Harbor was made in Leeds. Glass Harbor "
            "cost $5m. Its producer once managed country star Tomas Reyk.")
    assert not any(p == "castMember" for _, p, _ in _facts(nlp, onto, text))


def test_a_place_played_in_is_a_venue_not_a_work(nlp, onto):
    assert not any(p == "castMember" for _, p, _ in _facts(nlp, onto, "The rockers Kestrel Quay played in Glasgow."))


@pytest.mark.parametrize("text, expected", [
    ("Oasis singer Liam Quay has been fined 50,000 euros.", {("Liam Quay", "memberOf", "Oasis")}),
    ("Pop singer Lena Marsh won.", set()),
    ("Lead singer Lena Marsh left.", set()),
    ("George Quay will perform on a BBC Radio 2 special. Radio 2 singer Lena Marsh joined him.", set()),
])
def test_band_members_named_before_a_role(nlp, onto, text, expected):
    assert {f for f in _facts(nlp, onto, text) if f[1] == "memberOf"} == expected


def test_a_creator_of_a_named_show(nlp, onto):
    text = "Comedian Tomas Reyk, who created controversial TV show Brass Kettle, is to return to screens."
    assert {f for f in _facts(nlp, onto, text) if f[1] == "creator"} == {("Brass Kettle", "creator", "Tomas Reyk")}


@pytest.mark.parametrize("text, expected", [
    # Wikipedia's lead sentence: a chain of participles the parser hangs on each other's agents
    ("Glass Harbor is a 1995 American drama film directed by Mara Velden and starring Lena Marsh, Ada Ferrante and "
     "Dana Fonseca.",
     {("Glass Harbor", "director", "Mara Velden"), ("Glass Harbor", "castMember", "Lena Marsh"),
      ("Glass Harbor", "castMember", "Ada Ferrante"), ("Glass Harbor", "castMember", "Dana Fonseca")}),
    ("Glass Harbor is a 2004 film written and directed by Mara Velden.",
     {("Glass Harbor", "director", "Mara Velden"), ("Glass Harbor", "screenwriter", "Mara Velden")}),
    ("Glass Harbor, a 1995 film directed by Mara Velden, opened.", {("Glass Harbor", "director", "Mara Velden")}),
])
def test_a_film_described_by_participles(nlp, onto, text, expected):
    assert {f for f in _facts(nlp, onto, text) if f[1] in {"castMember", "director", "screenwriter"}} == expected


def test_a_former_job_is_stored_as_ended(tmp_path):
    rows = stored_rows(tmp_path, "Studio news\n\nLena Marsh, the former chief executive of Northgate Pictures, spoke on "
                       "Monday. Kestrel Records spokeswoman Ada Ferrante declined to comment.\n",
                       "SELECT ?person ?ended WHERE { ?s a kg:Statement ; rdf:predicate kg:worksFor ; rdf:subject ?p . "
                       "?p rdfs:label ?person OPTIONAL { ?s kg:ended ?ended } } ORDER BY ?person")
    assert [(str(p), None if e is None else e.toPython()) for p, e in rows] == [
        ("Ada Ferrante", None), ("Lena Marsh", True)]


@pytest.mark.parametrize("text", [
    'Neither Mara Velden nor Tomas Reyk directed "Glass Harbor".',
    'Mara Velden no longer directs "Glass Harbor".',
    "Neither Lena Marsh nor Ada Ferrante stars in Shaun of the Valley.",
])
def test_denied_credits_are_no_facts(nlp, onto, text):
    assert not any(p in {"director", "castMember"} for _, p, _ in _facts(nlp, onto, text))


@pytest.mark.parametrize("text, expected", [
    ('"Glass Harbor" was produced by Northgate Pictures.', {("Glass Harbor", "productionCompany", "Northgate Pictures")}),
    ('"Glass Harbor" was produced by Lena Marsh.', {("Glass Harbor", "producer", "Lena Marsh")}),
])
def test_a_producing_company_is_the_production_company_only(nlp, onto, text, expected):
    assert {f for f in _facts(nlp, onto, text) if f[1] in {"producer", "productionCompany"}} == expected
