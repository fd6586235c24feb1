"""The FAQ through its public interface: free questions, typos, small talk, out of scope."""

from __future__ import annotations

import pytest

from dialogs import faq
from dialogs.knowledge import Knowledge
from tests.helpers import Chat

# Phrasings written for these tests (not the evaluation's), several per entry.
IN_SCOPE = [
    ("is twitching an early symptom of ALS?", "serious_condition"),
    ("im scared my twitches mean i have a brain disease", "serious_condition"),
    ("could this be multiple sclerosis or something bad", "serious_condition"),
    ("should i worry that my muscles twitch so much", "serious_condition"),
    ("how to avoid muscle spasms when i go running", "exercise_prevention"),
    ("what can i do so my legs dont twitch after the gym", "exercise_prevention"),
    ("twitching after a hard workout, how to prevent it next time", "exercise_prevention"),
    ("is magnesium good for muscle twitches", "magnesium"),
    ("do i need magnesium supplements", "magnesium"),
    ("can a lack of magnesium make my muscles spasm", "magnesium"),
    ("magnesum for cramps?", "magnesium"),
    ("my left eye keeps twitching, what's going on", "eyelid"),
    ("eye lid flickering all day", "eyelid"),
    ("why is my upper eyelid jumping", "eyelid"),
    ("what causes eye twitches", "eyelid"),
    ("is 4 espressos a day too much", "caffeine_limit"),
    ("how many energy drinks can i have safely", "caffeine_limit"),
    ("what is the max caffeine per day", "caffeine_limit"),
    ("how much caffine is ok", "caffeine_limit"),
    ("how much should i drink per day", "hydration_amount"),
    ("is 2 liters of water enough", "hydration_amount"),
    ("recommended water intake per day for a man", "hydration_amount"),
    ("what foods are high in magnesium", "mineral_foods"),
    ("good sources of calcium if i dont eat dairy", "mineral_foods"),
    ("foods with lots of potassium", "mineral_foods"),
    ("what to eat for more minerals", "mineral_foods"),
    ("how do i deal with stress", "stress_relief"),
    ("relaxation tips for anxiety twitching", "stress_relief"),
    ("i'm super stressed at work, how can i relax", "stress_relief"),
    ("what causes nighttime leg cramps", "night_cramps"),
    ("cramps in my calf wake me up at night", "night_cramps"),
    ("why do my legs cramp when i'm in bed", "night_cramps"),
    ("i have a cramp right now, help", "stop_cramp_now"),
    ("how can i make a calf cramp go away fast", "stop_cramp_now"),
    ("quickest way to stop a muscle cramp", "stop_cramp_now"),
    ("should i go to a doctor", "see_doctor"),
    ("when is it time to see a doc for spasms", "see_doctor"),
    ("do i need to see my gp about twitching", "see_doctor"),
    ("i cant fall asleep, any tips", "sleep_tips"),
    ("how do i get better sleep", "sleep_tips"),
    ("help with insomnia", "sleep_tips"),
    ("can medication cause muscle twitching", "medication_side_effects"),
    ("could my antidepressants be making me twitch", "medication_side_effects"),
    ("do adhd meds cause twitches", "medication_side_effects"),
    ("is twitching a side effect of drugs", "medication_side_effects"),
    ("how long will this twitching last", "how_long"),
    ("does twitching go away on its own", "how_long"),
    ("my calf has twitched for 2 weeks, is that normal", "how_long"),
    ("symptoms of dehydration", "dehydration_signs"),
    ("how can i tell if i'm dehydrated", "dehydration_signs"),
    ("am i dehydrated if my pee is dark", "dehydration_signs"),
    ("what do electrolytes do", "electrolytes"),
    ("are sports drinks worth it", "electrolytes"),
    ("should i drink powerade after training", "electrolytes"),
    ("electrolite tablets, do they help?", "electrolytes"),
    ("what information do you keep about me", "privacy"),
    ("can i erase my data", "privacy"),
    ("is my data safe with you", "privacy"),
    ("do twitches mean i have a neurological disorder", "serious_condition"),
    ("is body twitching dangerous", "serious_condition"),
    ("how to stop cramping during soccer practice", "exercise_prevention"),
    ("my muscles twitch after lifting weights, can i prevent that", "exercise_prevention"),
    ("does taking magnesium help", "magnesium"),
    ("magnesium deficiency symptoms", "magnesium"),
    ("my eye wont stop twitching", "eyelid"),
    ("twitchy eyelid for 3 days", "eyelid"),
    ("is 3 cups of coffee a day ok", "caffeine_limit"),
    ("how much caffeine is in a red bull and is it too much", "caffeine_limit"),
    ("how many liters should i drink", "hydration_amount"),
    ("daily water intake", "hydration_amount"),
    ("what's high in potassium", "mineral_foods"),
    ("are bananas good for potassium", "mineral_foods"),
    ("how to reduce anxiety", "stress_relief"),
    ("stress is making me twitch, what can i do", "stress_relief"),
    ("leg cramps at night what causes them", "night_cramps"),
    ("why do i get charley horses while sleeping", "night_cramps"),
    ("foot cramp, how do i make it stop", "stop_cramp_now"),
    ("how to release a cramp in my thigh", "stop_cramp_now"),
    ("when should i worry and see a doctor", "see_doctor"),
    ("should i go to the er", "see_doctor"),
    ("how many hours of sleep do adults need", "sleep_tips"),
    ("i wake up every night, how to sleep through", "sleep_tips"),
    ("can sertraline cause twitching", "medication_side_effects"),
    ("side effects of my pills", "medication_side_effects"),
    ("is twitching for a month normal", "how_long"),
    ("will the twitching ever stop", "how_long"),
    ("what does dehydration feel like", "dehydration_signs"),
    ("signs that i need more water", "dehydration_signs"),
    ("do i need electrolytes", "electrolytes"),
    ("is gatorade good for muscle twitching", "electrolytes"),
    ("do you save my answers", "privacy"),
    ("delete everything about me", "privacy"),
    ("i read twitching can be motor neurone disease, should i panic", "serious_condition"),
    ("is this something to worry about or just stress twitching", "serious_condition"),
    ("can twitching be a sign of a tumor", "serious_condition"),
    ("how can i avoid cramps when i play tennis", "exercise_prevention"),
    ("what to do before a run so my legs dont spasm", "exercise_prevention"),
    ("stretching before exercise to prevent twitches?", "exercise_prevention"),
    ("is it worth taking a magnesium pill", "magnesium"),
    ("mag glycinate for eye twitch?", "magnesium"),
    ("my right eye has been fluttering nonstop", "eyelid"),
    ("why is my bottom eyelid twitching", "eyelid"),
    ("can too much coffee cause twitching", "caffeine_limit"),
    ("how many mg of caffeine is safe", "caffeine_limit"),
    ("are 2 monsters a day too much", "caffeine_limit"),
    ("how many glasses of water should i have", "hydration_amount"),
    ("how much fluid do i need when its hot", "hydration_amount"),
    ("what foods help with muscle cramps", "mineral_foods"),
    ("where do i get magnesium and potassium from food", "mineral_foods"),
    ("best foods for calcium", "mineral_foods"),
    ("what helps with stress", "stress_relief"),
    ("how do i stop being so anxious all the time", "stress_relief"),
    ("breathing exercises for anxiety?", "stress_relief"),
    ("why do my feet cramp at night", "night_cramps"),
    ("waking up with calf cramps every night", "night_cramps"),
    ("leg cramps in bed what helps", "night_cramps"),
    ("my hamstring is cramping what do i do", "stop_cramp_now"),
    ("how to get rid of a cramp immediately", "stop_cramp_now"),
    ("ouch calf cramp, how to stop it", "stop_cramp_now"),
    ("when is muscle twitching a reason to see a doctor", "see_doctor"),
    ("should i get checked by a neurologist", "see_doctor"),
    ("at what point should i call a doctor", "see_doctor"),
    ("how to sleep well", "sleep_tips"),
    ("what helps me fall asleep", "sleep_tips"),
    ("i only sleep 5 hours, how do i get more sleep", "sleep_tips"),
    ("my new medication makes me twitch, is that possible", "medication_side_effects"),
    ("can adderall cause muscle twitches", "medication_side_effects"),
    ("does lasix cause cramps", "medication_side_effects"),
    ("how long do muscle twitches last", "how_long"),
    ("is it normal for twitching to come and go", "how_long"),
    ("twitching for 3 weeks now, normal?", "how_long"),
    ("how do i know if i need more fluids", "dehydration_signs"),
    ("is being dizzy a sign of dehydration", "dehydration_signs"),
    ("what happens when youre dehydrated", "dehydration_signs"),
    ("are electrolyte powders useful", "electrolytes"),
    ("what's the point of electrolytes", "electrolytes"),
    ("do i need salt tablets when i sweat", "electrolytes"),
    ("do you share my data", "privacy"),
    ("what happens to my answers", "privacy"),
    ("how can i remove my info from this bot", "privacy"),
    ("als?", "serious_condition"),
    ("magnesium?", "magnesium"),
    ("caffeine limit", "caffeine_limit"),
    ("privacy", "privacy"),
    ("electrolytes?", "electrolytes"),
    ("eye twitch", "eyelid"),
    ("night cramps", "night_cramps"),
    ("cramp!!! help", "stop_cramp_now"),
    ("water per day?", "hydration_amount"),
    ("dehydration symptoms?", "dehydration_signs"),
    ("better sleep", "sleep_tips"),
    ("stress tips", "stress_relief"),
    ("potassium foods", "mineral_foods"),
    ("Is it normal that my thumb twitches?", "how_long"),
    ("Can ADHD medication cause spasms?", "medication_side_effects"),
    ("Doctor or not?", "see_doctor"),
    ("Could this be a symptom of MS", "serious_condition"),
    ("why does my eye flutter when im tired", "eyelid"),
    (
        "Why do I keep getting twitches after my workout and how do I stop them?",
        "exercise_prevention",
    ),
    ("Does coffee make twitching worse?", "caffeine_limit"),
    ("i sweat a lot at the gym, should i use electrolyte tabs", "electrolytes"),
    ("what drinks count towards my daily water", "hydration_amount"),
    ("how can i stop overthinking and relax", "stress_relief"),
    ("how do i stretch out a charley horse", "stop_cramp_now"),
    ("what are warning signs that i should see a doctor", "see_doctor"),
    ("can antidepressants cause muscle jerks", "medication_side_effects"),
    ("tell me about the data you collect", "privacy"),
    ("is bfs something to worry about", "benign_fasciculation"),
    ("what does benign fasciculation mean", "benign_fasciculation"),
    ("can benign fasciculations go on for years", "benign_fasciculation"),
    ("what will the neurologist test", "doctor_tests"),
    ("does an emg hurt", "doctor_tests"),
    ("which blood tests check for muscle twitching", "doctor_tests"),
    ("i google every symptom and panic", "health_anxiety"),
    ("how do i stop obsessing over my body", "health_anxiety"),
    ("im a hypochondriac, how do i cope", "health_anxiety"),
    ("can a hangover make my muscles twitch", "alcohol"),
    ("is drinking beer bad for cramps", "alcohol"),
    ("does alcohol cause twitches", "alcohol"),
    ("is it normal to twitch when pregnant", "pregnancy"),
    ("muscle spasms in the second trimester", "pregnancy"),
    ("my feet cramp a lot now that im pregnant", "pregnancy"),
    ("my toddler's eye keeps twitching", "children"),
    ("do teenagers get muscle twitches", "children"),
    ("my son's leg twitches at night, is that normal for a kid", "children"),
    ("does screen time cause eye twitching", "screens_eyes"),
    ("can dry eyes make my eyelid jump", "screens_eyes"),
    ("my eye twitches after a day at the computer", "screens_eyes"),
    ("how should i recover after a long run", "exercise_recovery"),
    ("what helps muscles recover after the gym", "exercise_recovery"),
    ("how many rest days after a marathon", "exercise_recovery"),
]

OUT_OF_SCOPE = [
    "whats the capital of france",
    "how do i change a flat tire",
    "can you recommend a good movie",
    "what time does the supermarket close",
    "my dog keeps scratching his ear",
    "how much is a bitcoin worth",
    "write me a poem about spring",
    "how do i fix a leaking faucet",
    "best laptop for students",
    "is it going to rain this weekend",
    "how do i cook rice",
    "who is the president of the usa",
    "i have a headache and a sore throat",
    "translate hello into spanish",
    "how many calories in a pizza",
    "how do i bake bread",
    "my phone screen is cracked",
    "what is the meaning of life",
    "how do i get a mortgage",
    "what is 15 times 23",
    "recommend a good book",
    "how do i learn python",
    "what's the score of the nba game",
    "my plant is dying, what should i do",
    "where can i buy cheap flights",
    "my back hurts when i sit",
    "how do I make my cake fluffier",
    "whats the best phone to buy",
    "can you book me a table for two",
    "why is the sky blue",
    "how do i get rid of a cold",
]

SMALL_TALK = ["hi", "Hello there!", "thanks!", "thank you so much", "ok thanks", "bye", "hey", "ok"]


@pytest.mark.parametrize(("question", "expected"), IN_SCOPE)
def test_questions_find_their_entry(knowledge: Knowledge, question: str, expected: str) -> None:
    found = faq.answer(knowledge, question)
    assert found.faq_id == expected
    assert found.text == knowledge.faq.entries[expected].answer


def test_every_entry_has_several_test_phrasings(knowledge: Knowledge) -> None:
    counts = {entry_id: 0 for entry_id in knowledge.faq.entries}
    for _, expected in IN_SCOPE:
        counts[expected] += 1
    assert min(counts.values()) >= 3, counts


@pytest.mark.parametrize("question", OUT_OF_SCOPE)
def test_out_of_scope_gets_no_entry(knowledge: Knowledge, question: str) -> None:
    found = faq.answer(knowledge, question)
    assert found.faq_id is None
    assert found.text


@pytest.mark.parametrize(
    "question",
    ["whats the weather tomorrow", "how do i reset my router", "who won the match last night"],
)
def test_clearly_unrelated_questions_are_declined_politely(
    knowledge: Knowledge, question: str
) -> None:
    found = faq.answer(knowledge, question)
    assert found.faq_id is None
    assert found.text == knowledge.faq.texts["out_of_scope"]
    assert found.suggestions == []


@pytest.mark.parametrize("text", SMALL_TALK)
def test_small_talk_gets_a_friendly_line(knowledge: Knowledge, text: str) -> None:
    found = faq.answer(knowledge, text)
    assert found.faq_id is None
    assert "/check" in found.text
    assert found.text != knowledge.faq.texts["out_of_scope"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what should i eat to get more potasium", "mineral_foods"),
        ("how much caffiene is too much", "caffeine_limit"),
        ("do electrolites help", "electrolytes"),
        ("should i take magnesuim", "magnesium"),
        ("why do I get LEG CRAMPS at night???", "night_cramps"),
    ],
)
def test_typos_and_shouting_are_forgiven(
    knowledge: Knowledge, question: str, expected: str
) -> None:
    assert faq.answer(knowledge, question).faq_id == expected


def test_an_unclear_question_in_the_field_offers_close_topics(knowledge: Knowledge) -> None:
    found = faq.answer(knowledge, "twitching and cramps, what about that")
    assert found.faq_id is None
    assert found.text == knowledge.faq.texts["unknown"]
    assert 1 <= len(found.suggestions) <= knowledge.faq.matching.suggestions
    for faq_id, label in found.suggestions:
        assert label == knowledge.faq.entries[faq_id].title


def test_answer_by_id(knowledge: Knowledge) -> None:
    found = faq.answer_by_id(knowledge, "magnesium")
    assert found is not None
    assert found.faq_id == "magnesium"
    assert faq.answer_by_id(knowledge, "no_such_topic") is None


def test_every_entry_answers_by_its_own_examples_of_titles(knowledge: Knowledge) -> None:
    """Each entry's title, asked as a question, finds the entry (titles stay meaningful)."""
    for entry in knowledge.faq.entries.values():
        assert faq.answer(knowledge, entry.title).faq_id == entry.id, entry.title


def test_answers_cite_the_public_health_figures(knowledge: Knowledge) -> None:
    entries = knowledge.faq.entries
    assert "400 mg" in entries["caffeine_limit"].answer
    assert "2.7" in entries["hydration_amount"].answer
    assert "7 hours" in entries["sleep_tips"].answer
    assert "don't stop" in entries["medication_side_effects"].answer.lower()


def test_topics_for_causes(knowledge: Knowledge) -> None:
    topics = dict(faq.topics_for_causes(knowledge, ["caffeine"]))
    assert "caffeine_limit" in topics


def test_empty_and_odd_input(knowledge: Knowledge) -> None:
    for text in ["", "   ", "???", "😀😀", "a" * 3000]:
        found = faq.answer(knowledge, text)
        assert found.faq_id is None
        assert found.text


async def test_ask_command_and_topic_buttons(chat: Chat, knowledge: Knowledge) -> None:
    replies = await chat.send("/ask how much caffeine per day is safe")
    assert [r.faq for r in replies if r.faq] == ["caffeine_limit"]
    replies = await chat.send("/ask twitching and cramps, what about that")
    buttons = [b.data for r in replies for row in r.buttons for b in row]
    assert buttons and all(b.startswith("faq:") for b in buttons)
    pressed = await chat.press(buttons[0])
    assert pressed[0].faq == buttons[0].split(":", 1)[1]


def test_an_unclear_question_with_nothing_close_offers_the_default_topics(
    knowledge: Knowledge,
) -> None:
    found = faq.answer(knowledge, "tell me about spasms")
    assert found.faq_id is None
    assert [i for i, _ in found.suggestions] == list(knowledge.faq.default_topics)


NEW_WORDING = [
    ("why do my calves cramp when i wake up", "night_cramps"),
    ("i keep waking up with a cramp in my foot", "night_cramps"),
    ("cramps in the middle of the night, why", "night_cramps"),
    ("what causes leg cramps overnight", "night_cramps"),
    ("do you save what i write to you", "privacy"),
    ("are my chats stored somewhere", "privacy"),
    ("who can read our conversation", "privacy"),
    ("do you log my messages", "privacy"),
    ("is what i tell you kept private", "privacy"),
    ("can my diuretic tablets cause muscle twitches", "medication_side_effects"),
    ("could my fluid pills be causing the cramps", "medication_side_effects"),
    ("are my blood pressure tablets behind this twitching", "medication_side_effects"),
    ("do water tablets make you twitch", "medication_side_effects"),
    ("my new tablets might be making me twitch", "medication_side_effects"),
    ("does stretching before rugby stop the twitches", "exercise_prevention"),
    ("will a proper cool down help with twitching after football", "exercise_prevention"),
    ("how to avoid cramps at hockey practice", "exercise_prevention"),
    ("should i warm up longer before the gym", "exercise_prevention"),
    ("what can i do in the middle of a cramp", "stop_cramp_now"),
    ("what should i do while my calf is cramping", "stop_cramp_now"),
    ("how do i get a cramp to let go", "stop_cramp_now"),
    ("what to do when a cramp hits", "stop_cramp_now"),
    ("how can i relax before going to sleep", "sleep_tips"),
    ("any tips for a bedtime routine", "sleep_tips"),
    ("how to unwind at night so i can drop off", "sleep_tips"),
    ("what helps me nod off faster", "sleep_tips"),
    ("how much water should i drink when it's hot", "hydration_amount"),
]


@pytest.mark.parametrize(("question", "expected"), NEW_WORDING)
def test_new_wordings_find_their_entry(knowledge: Knowledge, question: str, expected: str) -> None:
    assert faq.answer(knowledge, question).faq_id == expected


def test_a_phrase_counts_as_a_unit_not_its_words(knowledge: Knowledge) -> None:
    """'water tablets' is a medicine: the word 'water' inside it is not about drinking."""
    assert faq.answer(knowledge, "are water tablets safe").faq_id == "medication_side_effects"
    assert faq.answer(knowledge, "how much water is enough").faq_id == "hydration_amount"


def test_a_much_larger_faq_still_finds_the_entries(knowledge: Knowledge) -> None:
    """Hundreds of unrelated synthetic entries (sharing only everyday words such as
    'twitch') do not crowd out the real ones: candidates come from the rarer words."""
    import random

    import yaml

    from dialogs.knowledge import DEFAULT_PATH, parse_knowledge

    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    rng = random.Random(3)

    def word() -> str:
        return "".join(rng.choice("bdfgklmnprstvz") + rng.choice("aeiou") for _ in range(4))

    for i in range(400):
        topic = [word() for _ in range(3)]
        data["faq"]["entries"].append(
            {
                "id": f"synthetic_{i}",
                "title": " ".join(topic),
                "answer": "synthetic",
                "keywords": {topic[0]: 4, f"{topic[1]} {topic[2]}": 4, "twitch": 0.5},
                "examples": [f"why does my {rng.choice(['leg', 'eye'])} twitch {t}" for t in topic],
            }
        )
    data["faq"].pop("classifier")  # the rules alone: the synthetic entries have no examples
    big = parse_knowledge(yaml.safe_dump(data, sort_keys=False))
    for question, expected in IN_SCOPE[::3] + NEW_WORDING:
        assert faq.answer(big, question).faq_id == expected, question
    assert faq.answer(big, "tell me about " + data["faq"]["entries"][-1]["title"]).faq_id == (
        "synthetic_399"
    )


SNACKS_EARLY_WAKING_AND_LOW_FLUIDS = [
    ("healthy snacks that have potassium", "mineral_foods"),
    ("what should i snack on for more calcium", "mineral_foods"),
    ("a good dinner with lots of magnesium and potassium?", "mineral_foods"),
    ("i keep waking up at 5am, how do i sleep through", "sleep_tips"),
    ("why am i waking up so early in the morning", "sleep_tips"),
    ("waking in the early hours every night, tips?", "sleep_tips"),
    ("am i running low on fluids", "dehydration_signs"),
    ("how would i know if im low on water", "dehydration_signs"),
    ("could i be short of fluids, im always thirsty", "dehydration_signs"),
]


@pytest.mark.parametrize(("question", "expected"), SNACKS_EARLY_WAKING_AND_LOW_FLUIDS)
def test_snacks_early_waking_and_low_fluids(
    knowledge: Knowledge, question: str, expected: str
) -> None:
    assert faq.answer(knowledge, question).faq_id == expected
