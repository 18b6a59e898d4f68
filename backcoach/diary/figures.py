"""The fingertip-to-floor test as a picture, drawn by the library's pose renderer."""

from backcoach.library.figures import render_pose

FINGERTIP_FLOOR_POSE = {
    "frames": [
        {
            "label": "Stand tall",
            "figure": {
                "torso": 90,
                "head": 90,
                "front": "right",
                "upper_arm": 270,
                "forearm": 270,
                "thigh": 270,
                "shin": 270,
            },
            "props": [],
            "surface": "floor",
            "work_area": [],
        },
        {
            "label": "Bend and reach",
            "figure": {
                "torso": 305,
                "head": 290,
                "front": "down",
                "upper_arm": 275,
                "forearm": 270,
                "thigh": 265,
                "shin": 270,
            },
            "props": [],
            "surface": "floor",
            "work_area": ["lower-back", "hamstrings"],
        },
    ]
}
FINGERTIP_FLOOR_STEPS = (
    "Stand barefoot with your feet together, knees straight.",
    "Bend forward slowly and let your arms and head hang, reaching your fingertips towards "
    "the floor. Stop where it starts to hurt; never bounce.",
    "Hold still while someone measures, or rest a ruler on the floor: the distance from "
    "your middle fingertip to the floor. Touching the floor is 0.",
)


def fingertip_floor_figure() -> str:
    return render_pose(
        FINGERTIP_FLOOR_POSE,
        title="The fingertip-to-floor test",
        description=" ".join(FINGERTIP_FLOOR_STEPS),
        id_prefix="fingertip-floor",
    )
