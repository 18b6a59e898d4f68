"""The fixed words of the library: what content files may say, and how the app shows them.

Pure Python: the content loader, the builder and the figure renderer all use it.
"""

BODY_AREAS = {
    "lower-back": "Lower back",
    "mid-back": "Mid back",
    "upper-back": "Upper back",
    "glutes": "Glutes (buttocks)",
    "hips": "Hips",
    "neck-shoulders": "Neck and shoulders",
    "hamstrings": "Back of the thighs",
}

POSITIONS = {
    "lying-on-back": "Lying on your back",
    "lying-on-front": "Lying on your front",
    "side-lying": "Lying on your side",
    "sitting": "Sitting",
    "standing": "Standing",
    "kneeling": "Kneeling or on all fours",
}

EQUIPMENT = {
    "hands": "Your hands",
    "foam-roller": "Foam roller",
    "massage-ball": "Massage ball",
    "wall": "A wall",
    "strap": "A strap, belt or towel",
    "chair": "A chair",
    "none": "Nothing",
}
# Always at hand: a routine never needs you to own these.
ALWAYS_AVAILABLE = frozenset({"hands", "none"})

KINDS = {"massage": "Self-massage", "stretch": "Stretch", "mobility": "Mobility"}
INTENSITIES = {"gentle": "Gentle", "moderate": "Moderate", "firm": "Firm"}
SIDES = {"both": "Both sides at once", "each": "Each side in turn"}
STEP_SIDES = {"both": "Both sides", "left": "Left side", "right": "Right side"}

# Conditions that exclude a technique or call for care with it. The safety screen asks
# about these; keep the keys stable, they are stored with each person's answers.
CONTRAINDICATIONS = {
    "osteoporosis": "Osteoporosis or fragile bones",
    "pregnancy": "Pregnancy",
    "recent-spinal-surgery": "Back or spine surgery in the last 6 months",
    "deep-vein-thrombosis": "A blood clot (deep vein thrombosis), now or recently",
    "skin-wound-or-infection": "An open wound, rash or skin infection on the back",
    "fracture": "A broken bone that has not healed",
    "local-inflammation": "A hot, red or swollen area on the back",
    "bleeding-risk": "A bleeding disorder, or blood-thinning medicine",
    "nerve-symptoms-leg": "Pain, tingling or numbness running down a leg",
    "hip-replacement": "A hip replacement",
    "knee-problem": "A painful or injured knee",
    "wrist-problem": "A painful or injured wrist or hand",
}

# Where on the body a cue, a prop or the highlighted work area can be.
ANCHORS = (
    "head",
    "neck-shoulders",
    "upper-back",
    "mid-back",
    "lower-back",
    "glutes",
    "hips",
    "hamstrings",
    "knees",
    "feet",
    "hands",
)
PROPS = ("pillow", "foam-roller", "massage-ball", "strap", "wall", "chair")
SURFACES = ("bed", "floor", "none")
FRONTS = ("up", "down", "left", "right")
