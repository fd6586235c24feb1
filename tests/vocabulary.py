"""The contract's public vocabulary (ids of questions, values, causes, urgency, red flags),
shared by the tests. Kept here, not read from ../shared: a user's clone has none."""

LIST_QUESTIONS = {"location", "medications", "conditions", "warning_signs"}
QUESTIONS = {  # in the order the bot asks them
    "location": {
        "eyelid",
        "face",
        "neck_back",
        "arm",
        "hand",
        "chest_abdomen",
        "thigh",
        "calf",
        "foot",
        "widespread",
    },
    "warning_signs": set(),  # filled below: none and every red flag
    "duration": {"under_a_day", "days", "weeks", "months"},
    "caffeine": {"none", "moderate", "high"},
    "sleep": {"short", "fair", "enough"},
    "stress": {"low", "moderate", "high"},
    "medications": {"none", "diuretic", "adhd_stimulant", "antidepressant", "statin", "other"},
    "exercise": {"none", "light", "intense"},
    "conditions": {"none", "kidney", "diabetes", "heart", "pregnancy", "other"},
}
UNKNOWN = "unknown"
CAUSES = {
    "mineral_deficiency",
    "dehydration",
    "stress",
    "caffeine",
    "sleep_fatigue",
    "physical_activity",
    "medication",
    "serotonin",
    "kidney",
    "calcium_deficiency",
    "intense_exercise",
    "arterial_inflammation",
    "pregnancy",
}
URGENCIES = {"self_care", "doctor_routine", "doctor_soon", "emergency"}
RED_FLAG_URGENCY = {  # CONTRACT.md's table, in its order (most urgent first)
    "self_harm": "emergency",
    "stroke": "emergency",
    "meningitis": "emergency",
    "serotonin_toxicity": "emergency",
    "breathing": "emergency",
    "swallowing": "emergency",
    "speech": "emergency",
    "chest": "emergency",
    "seizure": "emergency",
    "dark_urine": "emergency",
    "tetanus": "emergency",
    "bladder_bowel": "emergency",
    "weakness": "doctor_soon",
    "numbness": "doctor_soon",
    "wasting": "doctor_soon",
    "injury": "doctor_soon",
    "calf_swelling": "doctor_soon",
    "long_cramp": "doctor_soon",
    "eyelid_closure": "doctor_soon",
    "spreading": "doctor_routine",
}
RED_FLAGS = set(RED_FLAG_URGENCY)
QUESTIONS["warning_signs"] = {"none"} | RED_FLAGS
QUESTION_ORDER = list(QUESTIONS)
